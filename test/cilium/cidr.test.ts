import {
  parseCidrLabel,
  parseIp,
  parsePrefix,
  parsePrefixOrAddress,
  prefixContainsIp,
  prefixContainsPrefix,
  prefixesOverlap,
} from '../../lib/cilium/cidr';

describe('1.7 addresses', () => {
  test.each([
    ['1.2.3.4', 4],
    ['0.0.0.0', 4],
    ['::1', 6],
    ['2001:db8::', 6],
    ['::ffff:1.2.3.4', 6],
    ['::1.2.3.4', 6],
    ['fe80::1:2:3:4:5', 6],
    ['1:2:3:4:5:6:1.2.3.4', 6],
  ])('parses %s', (text, family) => expect(parseIp(text)?.family).toBe(family));
  test.each([
    '1.2.3',
    '256.1.1.1',
    '01.2.3.4',
    '1::2::3',
    '12345::',
    'x',
    '1.2.3.4::',
    '1:2:3:4:5:6:7:8::',
    '1:2:3:4:5:6:7:1.2.3.4',
    'fe80::1%eth0',
    '',
  ])('rejects %j', (text) => expect(parseIp(text)).toBeUndefined());
  test('non-strings are not addresses', () => expect(parseIp(42)).toBeUndefined());
});

describe('5 prefixes (Go net/netip rules)', () => {
  test.each(['10.0.0.0/8', '10.1.2.3/8', '0.0.0.0/0', '2001:db8::/32', '::/0', '::ffff:10.0.0.1/128'])(
    'accepts %s',
    (text) => {
      expect(parsePrefix(text)).toBeDefined();
    },
  );
  test.each([
    '10.0.0.1',
    '10.0.0.0/33',
    '300.0.0.0/8',
    '10.0.0/8',
    '1::2::3/64',
    'x/8',
    '::/129',
    '010.0.0.0/8',
    '10.0.0.0/08',
    '10.0.0.0/',
    '10.0.0.0/-1',
    '1.2.3.4::/64',
  ])('rejects %j', (text) => expect(parsePrefix(text)).toBeUndefined());
  test('host bits are cleared', () =>
    expect(parsePrefix('10.1.2.3/8')!.value).toBe(parsePrefix('10.0.0.0/8')!.value));
  test('a bare address is its host prefix only where asked', () => {
    expect(parsePrefixOrAddress('10.0.0.1')?.length).toBe(32);
    expect(parsePrefixOrAddress('2001:db8::1')?.length).toBe(128);
    expect(parsePrefixOrAddress('10.0.0.0/8')?.length).toBe(8);
    expect(parsePrefixOrAddress('10.0.0')).toBeUndefined();
  });
  test('IPv6 CIDR labels use - for :', () =>
    expect(parseCidrLabel('2001-db8--/32')?.text).toBe('2001:db8::/32'));
});

describe('containment', () => {
  const p = (t: string) => parsePrefix(t)!;
  test('addresses', () => {
    expect(prefixContainsIp(p('10.0.0.0/8'), parseIp('10.255.0.1')!)).toBe(true);
    expect(prefixContainsIp(p('10.0.0.0/8'), parseIp('11.0.0.1')!)).toBe(false);
    expect(prefixContainsIp(p('2001:db8::/32'), parseIp('2001:db8:ffff::1')!)).toBe(true);
    expect(prefixContainsIp(p('0.0.0.0/0'), parseIp('::1')!)).toBe(false);
  });
  test('prefixes', () => {
    expect(prefixContainsPrefix(p('10.0.0.0/8'), p('10.96.0.0/12'))).toBe(true);
    expect(prefixContainsPrefix(p('10.96.0.0/12'), p('10.0.0.0/8'))).toBe(false);
    expect(prefixContainsPrefix(p('2001:db8::/32'), p('2001:db8:1::/48'))).toBe(true);
    expect(prefixContainsPrefix(p('2001:db8::/32'), p('10.0.0.0/8'))).toBe(false);
    expect(prefixesOverlap(p('10.96.0.0/12'), p('10.0.0.0/8'))).toBe(true);
    expect(prefixesOverlap(p('10.0.0.0/8'), p('11.0.0.0/8'))).toBe(false);
  });
});
