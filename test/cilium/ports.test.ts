import {
  ALL_PROTOCOLS,
  icmpTypeName,
  isServiceName,
  parseIcmpType,
  parsePolicyProtocol,
  parsePort,
  protocolsCovered,
} from '../../lib/cilium/ports';

describe('3.1 / 10.5 port strings', () => {
  test.each([
    ['80', { kind: 'number', value: 80, octal: false }],
    ['0', { kind: 'number', value: 0, octal: false }],
    ['010', { kind: 'number', value: 8, octal: true }],
    ['0777', { kind: 'number', value: 511, octal: true }],
    ['00', { kind: 'number', value: 0, octal: true }],
    ['65535', { kind: 'number', value: 65535, octal: false }],
    ['1_000', { kind: 'number', value: 1000, octal: false }],
    ['0_10', { kind: 'number', value: 8, octal: true }],
    ['http', { kind: 'name', name: 'http' }],
    ['HTTP-Alt', { kind: 'name', name: 'http-alt' }],
    ['0x10', { kind: 'name', name: '0x10' }],
    ['', { kind: 'empty' }],
    [80, { kind: 'number', value: 80, octal: false }],
  ])('%j', (raw, want) => expect(parsePort(raw)).toEqual(want));

  test.each([
    '08',
    '080',
    '65536',
    '99999',
    '0200000',
    '-1',
    '+1',
    'a--b',
    '-http',
    '_1',
    '1_',
    '1__0',
    'http_alt',
    '1234567890abcdef',
    'x y',
    70000,
    1.5,
    true,
  ])('rejects %j', (raw) => expect(parsePort(raw).kind).toBe('invalid'));

  test('the reason names the octal trap', () => {
    expect(parsePort('08')).toEqual({
      kind: 'invalid',
      reason: 'port "08" starts with 0, which makes it octal, but has digits 8 or 9',
    });
  });

  test('service names (IANA)', () => {
    expect(isServiceName('https')).toBe(true);
    expect(isServiceName('-http')).toBe(false);
    expect(isServiceName('1234')).toBe(false);
    expect(isServiceName('a-very-long-name-x')).toBe(false);
  });
});

describe('3.3 protocols', () => {
  test('ANY or omitted is TCP, UDP and SCTP, never ICMP', () => {
    for (const raw of [undefined, null, '', 'ANY', 'any'])
      expect(parsePolicyProtocol(raw)?.protocols).toEqual(['TCP', 'UDP', 'SCTP']);
  });
  test('extended protocols need a port of 0; tunnel ones never match a flow', () => {
    expect(parsePolicyProtocol('VRRP')).toEqual({ name: 'VRRP', protocols: ['VRRP'], extended: true });
    expect(parsePolicyProtocol('gre')).toEqual({ name: 'GRE', protocols: [], extended: true });
    expect(parsePolicyProtocol('tcp')).toEqual({ name: 'TCP', protocols: ['TCP'], extended: false });
  });
  test('unknown protocols', () => {
    expect(parsePolicyProtocol('ICMP')).toBeUndefined();
    expect(protocolsCovered('ICMP')).toEqual([]);
    expect(protocolsCovered(undefined)).toEqual(['TCP', 'UDP', 'SCTP']);
  });
  test('the 1.20 CRD enum', () =>
    expect(ALL_PROTOCOLS).toEqual([
      'TCP',
      'UDP',
      'SCTP',
      'ANY',
      'VRRP',
      'IGMP',
      'GRE',
      'IPIP',
      'IPV6',
      'ESP',
      'AH',
    ]));
});

describe('3.3 ICMP types are per family', () => {
  test.each([
    ['EchoRequest', 'IPv4', 8],
    ['EchoRequest', 'IPv6', 128],
    ['Echo', 'IPv4', 8],
    ['8', 'IPv4', 8],
    [0, 'IPv6', 0],
    [255, 'IPv4', 255],
    ['Echo', 'IPv6', undefined],
    ['PacketTooBig', 'IPv4', undefined],
    [256, 'IPv4', undefined],
    ['08', 'IPv4', undefined],
    ['256', 'IPv4', undefined],
    ['toString', 'IPv4', undefined],
    [1.5, 'IPv4', undefined],
  ] as const)('%j %s -> %s', (raw, family, want) => expect(parseIcmpType(raw, family)).toBe(want));
  test('names for descriptions', () => {
    expect(icmpTypeName(8, 'IPv4')).toBe('EchoRequest');
    expect(icmpTypeName(128, 'IPv6')).toBe('EchoRequest');
    expect(icmpTypeName(200, 'IPv4')).toBeUndefined();
  });
});
