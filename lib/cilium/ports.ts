/**
 * `toPorts[].ports[]` strings, protocols and ICMP types as the agent reads them (docs/cilium-semantics.md,
 * "Port numbers and names", "Port ranges" and "Protocol").
 */

/** The CRD enum of `protocol` (case-sensitive): the L4 ones and the 1.20 extended IP protocols. */
export const L4_PROTOCOLS = ['TCP', 'UDP', 'SCTP', 'ANY'] as const;
export const EXTENDED_PROTOCOLS = ['VRRP', 'IGMP', 'GRE', 'IPIP', 'IPV6', 'ESP', 'AH'] as const;
export const ALL_PROTOCOLS: readonly string[] = [...L4_PROTOCOLS, ...EXTENDED_PROTOCOLS];

/** The protocols a port entry can match on a flow; the tunnel protocols never appear as one. */
export type MatchedProtocol = 'TCP' | 'UDP' | 'SCTP' | 'VRRP' | 'IGMP';
/** What `ANY` (or an omitted protocol) stands for: never ICMP. */
export const ANY_PROTOCOLS: readonly MatchedProtocol[] = ['TCP', 'UDP', 'SCTP'];

export interface PolicyProtocol {
  /** Upper-cased, `ANY` when omitted. */
  readonly name: string;
  readonly protocols: readonly MatchedProtocol[];
  /** Needs a port that is empty or `"0"`. */
  readonly extended: boolean;
}

/** A `protocol` value as the agent reads it (upper-cased; omitted means ANY), or undefined when unknown. */
export function parsePolicyProtocol(raw: unknown): PolicyProtocol | undefined {
  const name = raw === undefined || raw === null || raw === '' ? 'ANY' : String(raw).toUpperCase();
  if (name === 'ANY') return { name, protocols: ANY_PROTOCOLS, extended: false };
  if (name === 'TCP' || name === 'UDP' || name === 'SCTP')
    return { name, protocols: [name], extended: false };
  if (name === 'VRRP' || name === 'IGMP') return { name, protocols: [name], extended: true };
  if ((EXTENDED_PROTOCOLS as readonly string[]).includes(name))
    return { name, protocols: [], extended: true };
  return undefined;
}

/** The flow protocols a `protocol` value covers (ANY/omitted: TCP, UDP and SCTP); none when unknown. */
export function protocolsCovered(raw: unknown): readonly string[] {
  return parsePolicyProtocol(raw)?.protocols ?? [];
}

/** IANA service name rules: 1-15 of [A-Za-z0-9-], a letter, no leading/trailing/double hyphen. */
export function isServiceName(text: string): boolean {
  return (
    /^[a-z0-9-]{1,15}$/i.test(text) &&
    /[a-z]/i.test(text) &&
    !text.startsWith('-') &&
    !text.endsWith('-') &&
    !text.includes('--')
  );
}

export type ParsedPort =
  | { readonly kind: 'number'; readonly value: number; readonly octal: boolean }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'empty' }
  | { readonly kind: 'invalid'; readonly reason: string };

/**
 * Parses a `port` the way `PortProtocol.sanitize` does: a service name first (lower-cased, so
 * `0x10` is a name), else an unsigned 16-bit number with Go's base detection: a leading zero
 * means octal (`"010"` is 8, `"08"` is rejected) and `_` may separate digits.
 */
export function parsePort(raw: unknown): ParsedPort {
  if (raw === undefined || raw === null || raw === '') return { kind: 'empty' };
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw) || raw < 0 || raw > 65535)
      return { kind: 'invalid', reason: `port ${raw} is not a number 0-65535` };
    return { kind: 'number', value: raw, octal: false };
  }
  if (typeof raw !== 'string') return { kind: 'invalid', reason: 'a port must be a string' };
  if (isPlainDecimal(raw) && Number(raw) <= 65535)
    return { kind: 'number', value: Number(raw), octal: false };
  if (isServiceName(raw)) return { kind: 'name', name: raw.toLowerCase() };
  let value: number;
  const octal = /^0(_?[0-7])+$/.test(raw);
  if (raw === '0') value = 0;
  else if (octal) value = parseInt(raw.replace(/_/g, ''), 8);
  else if (/^0(_?[0-9])+$/.test(raw)) {
    return {
      kind: 'invalid',
      reason: `port "${raw}" starts with 0, which makes it octal, but has digits 8 or 9`,
    };
  } else if (/^[1-9](_?[0-9])*$/.test(raw)) value = parseInt(raw.replace(/_/g, ''), 10);
  else {
    return {
      kind: 'invalid',
      reason: `port "${raw}" is neither a number 0-65535 nor a port name (1-15 letters, digits and single inner hyphens, at least one letter)`,
    };
  }
  if (value > 65535) {
    return {
      kind: 'invalid',
      reason: octal
        ? `port "${raw}" read as octal is ${value}, above 65535`
        : `port "${raw}" is out of range 0-65535`,
    };
  }
  return { kind: 'number', value, octal };
}

/** `8080`: one to five decimal digits, the first not 0 (what nearly every port is written as). */
function isPlainDecimal(raw: string): boolean {
  if (raw.length === 0 || raw.length > 5) return false;
  const first = raw.charCodeAt(0);
  if (first < 49 || first > 57) return false;
  for (let i = 1; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

export type IcmpFamily = 'IPv4' | 'IPv6';

export const ICMPV4_TYPES: Readonly<Record<string, number>> = {
  EchoReply: 0,
  DestinationUnreachable: 3,
  Redirect: 5,
  Echo: 8,
  EchoRequest: 8,
  RouterAdvertisement: 9,
  RouterSelection: 10,
  TimeExceeded: 11,
  ParameterProblem: 12,
  Timestamp: 13,
  TimestampReply: 14,
  Photuris: 40,
  ExtendedEchoRequest: 42,
  ExtendedEchoReply: 43,
};

export const ICMPV6_TYPES: Readonly<Record<string, number>> = {
  DestinationUnreachable: 1,
  PacketTooBig: 2,
  TimeExceeded: 3,
  ParameterProblem: 4,
  EchoRequest: 128,
  EchoReply: 129,
  MulticastListenerQuery: 130,
  MulticastListenerReport: 131,
  MulticastListenerDone: 132,
  RouterSolicitation: 133,
  RouterAdvertisement: 134,
  NeighborSolicitation: 135,
  NeighborAdvertisement: 136,
  RedirectMessage: 137,
  RouterRenumbering: 138,
  ICMPNodeInformationQuery: 139,
  ICMPNodeInformationResponse: 140,
  InverseNeighborDiscoverySolicitation: 141,
  InverseNeighborDiscoveryAdvertisement: 142,
  HomeAgentAddressDiscoveryRequest: 144,
  HomeAgentAddressDiscoveryReply: 145,
  MobilePrefixSolicitation: 146,
  MobilePrefixAdvertisement: 147,
  DuplicateAddressRequestCodeSuffix: 157,
  DuplicateAddressConfirmationCodeSuffix: 158,
  ExtendedEchoRequest: 160,
  ExtendedEchoReply: 161,
};

export function icmpTypes(family: IcmpFamily): Readonly<Record<string, number>> {
  return family === 'IPv4' ? ICMPV4_TYPES : ICMPV6_TYPES;
}

/** An ICMP type number 0-255 (a string as the CRD pattern writes it: no leading zeros), else undefined. */
function icmpTypeNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isInteger(raw) && raw >= 0 && raw <= 255 ? raw : undefined;
  if (typeof raw === 'string' && /^(0|[1-9][0-9]{0,2})$/.test(raw) && Number(raw) <= 255) return Number(raw);
  return undefined;
}

/** An ICMP type: 0-255 or a CamelCase name valid for the family; undefined otherwise. */
export function parseIcmpType(raw: unknown, family: IcmpFamily): number | undefined {
  const n = icmpTypeNumber(raw);
  if (n !== undefined) return n;
  const table = icmpTypes(family);
  return typeof raw === 'string' && Object.prototype.hasOwnProperty.call(table, raw) ? table[raw] : undefined;
}

export function icmpTypeName(type: number, family: IcmpFamily): string | undefined {
  const table = icmpTypes(family);
  return Object.keys(table).find((k) => table[k] === type && k !== 'Echo');
}
