/** Port strings as the agent parses them (semantics note 3.1, 10.5). */

export type ParsedPort =
  | { readonly kind: 'number'; readonly value: number; readonly octal: boolean }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'empty' }
  | { readonly kind: 'invalid'; readonly reason: string };

const IANA_NAME = /^(?=.*[a-zA-Z])[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*$/;

export function parsePort(raw: unknown): ParsedPort {
  if (raw === undefined || raw === null || raw === '') return { kind: 'empty' };
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw) || raw < 0 || raw > 65535) return { kind: 'invalid', reason: `${raw} is not a port number 0-65535` };
    return { kind: 'number', value: raw, octal: false };
  }
  if (typeof raw !== 'string') return { kind: 'invalid', reason: 'a port must be a string' };
  if (/^[0-9]+$/.test(raw)) {
    // Go's base detection: a leading zero means octal
    if (raw.length > 1 && raw.startsWith('0')) {
      if (!/^[0-7]+$/.test(raw)) return { kind: 'invalid', reason: `"${raw}" has a leading zero, so it is read as octal, and it has digits 8 or 9` };
      const value = parseInt(raw, 8);
      if (value > 65535) return { kind: 'invalid', reason: `"${raw}" read as octal is ${value}, above 65535` };
      return { kind: 'number', value, octal: true };
    }
    const value = Number(raw);
    if (value > 65535) return { kind: 'invalid', reason: `${raw} is above 65535` };
    return { kind: 'number', value, octal: false };
  }
  if (raw.length <= 15 && IANA_NAME.test(raw)) return { kind: 'name', name: raw.toLowerCase() };
  return { kind: 'invalid', reason: `"${raw}" is neither a port number 0-65535 nor a port name (1-15 letters, digits and single inner hyphens, at least one letter)` };
}

export const L4_PROTOCOLS = ['TCP', 'UDP', 'SCTP', 'ANY'] as const;
export const EXTENDED_PROTOCOLS = ['VRRP', 'IGMP', 'GRE', 'IPIP', 'IPV6', 'ESP', 'AH'] as const;
export const ALL_PROTOCOLS: readonly string[] = [...L4_PROTOCOLS, ...EXTENDED_PROTOCOLS];

/** The transport protocols a port entry covers: omitted or ANY means TCP, UDP and SCTP. */
export function protocolsCovered(protocol: unknown): string[] {
  if (protocol === undefined || protocol === null || protocol === '' || protocol === 'ANY') return ['TCP', 'UDP', 'SCTP'];
  return typeof protocol === 'string' ? [protocol.toUpperCase()] : [];
}
