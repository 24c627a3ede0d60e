import { FlowProtocol } from './types';

/** Port strings, protocols and ICMP types (semantics note 3.1-3.4, 10.4, 10.5). */

export const ANY_PROTOCOLS: readonly FlowProtocol[] = ['TCP', 'UDP', 'SCTP'];
const EXTENDED = new Set(['VRRP', 'IGMP', 'GRE', 'IPIP', 'IPV6', 'ESP', 'AH']);

export class PortSyntaxError extends Error {}

/** IANA service name rules: 1-15 of [a-z0-9-], a letter, no leading/trailing/double hyphen. */
export function isServiceName(text: string): boolean {
  return /^[a-z0-9-]{1,15}$/i.test(text) && /[a-z]/i.test(text)
    && !text.startsWith('-') && !text.endsWith('-') && !text.includes('--');
}

/**
 * Parses a policy port: a name (lower-cased) or an unsigned 16-bit number with Go base detection
 * (a leading zero means octal: "010" is 8, "08" is rejected).
 */
export function parsePolicyPort(text: string): { port: number } | { name: string } {
  if (isServiceName(text)) return { name: text.toLowerCase() };
  let value: number;
  if (text === '0') value = 0;
  else if (/^0(_?[0-7])+$/.test(text)) value = parseInt(text.replace(/_/g, ''), 8);
  else if (/^0(_?[0-9])+$/.test(text)) {
    throw new PortSyntaxError(`port "${text}" starts with 0, which makes it octal, but has digits 8 or 9`);
  } else if (/^[1-9](_?[0-9])*$/.test(text)) value = parseInt(text.replace(/_/g, ''), 10);
  else throw new PortSyntaxError(`port "${text}" is neither a number nor a service name`);
  if (value > 65535) throw new PortSyntaxError(`port "${text}" is out of range 0-65535`);
  return { port: value };
}

/** Protocols a `protocol` value stands for; `ANY`/omitted is TCP, UDP and SCTP (never ICMP). */
export function parsePolicyProtocol(raw: unknown): { protocols: readonly FlowProtocol[]; extended: boolean; name: string } {
  const name = raw === undefined || raw === null || raw === '' ? 'ANY' : String(raw).toUpperCase();
  if (name === 'ANY') return { protocols: ANY_PROTOCOLS, extended: false, name };
  if (name === 'TCP' || name === 'UDP' || name === 'SCTP') return { protocols: [name], extended: false, name };
  if (name === 'VRRP' || name === 'IGMP') return { protocols: [name], extended: true, name };
  // Tunnel protocols exist in 1.20 policies but never appear as a flow protocol here.
  if (EXTENDED.has(name)) return { protocols: [], extended: true, name };
  throw new PortSyntaxError(`protocol "${String(raw)}" is not one of TCP, UDP, SCTP, ANY, VRRP, IGMP, GRE, IPIP, IPV6, ESP, AH`);
}

export const ICMPV4_TYPES: Readonly<Record<string, number>> = {
  EchoReply: 0, DestinationUnreachable: 3, Redirect: 5, Echo: 8, EchoRequest: 8, RouterAdvertisement: 9,
  RouterSelection: 10, TimeExceeded: 11, ParameterProblem: 12, Timestamp: 13, TimestampReply: 14, Photuris: 40,
  ExtendedEchoRequest: 42, ExtendedEchoReply: 43,
};

export const ICMPV6_TYPES: Readonly<Record<string, number>> = {
  DestinationUnreachable: 1, PacketTooBig: 2, TimeExceeded: 3, ParameterProblem: 4, EchoRequest: 128,
  EchoReply: 129, MulticastListenerQuery: 130, MulticastListenerReport: 131, MulticastListenerDone: 132,
  RouterSolicitation: 133, RouterAdvertisement: 134, NeighborSolicitation: 135, NeighborAdvertisement: 136,
  RedirectMessage: 137, RouterRenumbering: 138, ICMPNodeInformationQuery: 139, ICMPNodeInformationResponse: 140,
  InverseNeighborDiscoverySolicitation: 141, InverseNeighborDiscoveryAdvertisement: 142,
  HomeAgentAddressDiscoveryRequest: 144, HomeAgentAddressDiscoveryReply: 145, MobilePrefixSolicitation: 146,
  MobilePrefixAdvertisement: 147, DuplicateAddressRequestCodeSuffix: 157, DuplicateAddressConfirmationCodeSuffix: 158,
  ExtendedEchoRequest: 160, ExtendedEchoReply: 161,
};

/** Resolves an ICMP type (0-255 or a CamelCase name valid for the family). */
export function parseIcmpType(raw: unknown, family: 'IPv4' | 'IPv6'): number {
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 && raw <= 255) return raw;
  const text = String(raw);
  if (/^[0-9]{1,3}$/.test(text) && Number(text) <= 255) return Number(text);
  const table = family === 'IPv4' ? ICMPV4_TYPES : ICMPV6_TYPES;
  const value = Object.prototype.hasOwnProperty.call(table, text) ? table[text] : undefined;
  if (value === undefined) throw new PortSyntaxError(`ICMP type "${text}" is not a number 0-255 or an ${family} type name`);
  return value;
}

export function icmpTypeName(type: number, family: 'IPv4' | 'IPv6'): string | undefined {
  const table = family === 'IPv4' ? ICMPV4_TYPES : ICMPV6_TYPES;
  const names = Object.keys(table).filter((k) => table[k] === type && k !== 'Echo');
  return names[0];
}
