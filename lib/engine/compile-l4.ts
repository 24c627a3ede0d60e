import {
  ALL_PROTOCOLS,
  ANY_PROTOCOLS,
  MatchedProtocol,
  parseIcmpType,
  parsePolicyProtocol,
  parsePort,
} from '../cilium/ports';
import { asArray, asObject, isNonEmptyArray, isObject, PlainObject } from '../util/shape';
import { IcmpClause, L4Set, NO_ITEMS, PortClause } from './model';
import { PolicyError } from './policy-error';

/**
 * The L4 part of a rule element (docs/cilium-semantics.md, "Ports"): its ICMP fields, else its
 * toPorts; undefined when it has neither.
 */
export function compileL4(el: PlainObject, path: string, deny: boolean): L4Set | undefined {
  if (isNonEmptyArray(el.icmps)) return { ports: NO_ITEMS, icmps: compileIcmps(el.icmps, path) };
  if (!isNonEmptyArray(el.toPorts)) return undefined;
  const ports: PortClause[] = [];
  el.toPorts.forEach((tp, i) => ports.push(...compilePortRule(asObject(tp), `${path}.toPorts[${i}]`, deny)));
  return { ports, icmps: NO_ITEMS };
}

/** The range of flow ports `l4` may match (see Entry.lowestPort): [1, 0] when none. */
export function portRange(l4: L4Set | undefined): { lowestPort: number; highestPort: number } {
  if (!l4) return { lowestPort: 0, highestPort: 65535 };
  let lowestPort = 65536;
  let highestPort = -1;
  for (const p of l4.ports) {
    const [low, high] = p.name !== undefined ? [0, 65535] : [p.low, p.high];
    lowestPort = Math.min(lowestPort, low);
    highestPort = Math.max(highestPort, high);
  }
  return highestPort < 0 ? { lowestPort: 1, highestPort: 0 } : { lowestPort, highestPort };
}

function compileIcmps(rules: readonly unknown[], path: string): IcmpClause[] {
  const icmps: IcmpClause[] = [];
  rules.forEach((rule, i) => {
    asArray(asObject(rule).fields).forEach((f, j) => {
      icmps.push(compileIcmpField(asObject(f), `${path}.icmps[${i}].fields[${j}]`));
    });
  });
  return icmps;
}

function compileIcmpField(f: PlainObject, at: string): IcmpClause {
  const family = f.family ?? 'IPv4';
  if (family !== 'IPv4' && family !== 'IPv6')
    throw new PolicyError(`${at}.family`, `"${String(family)}" is not IPv4 or IPv6`);
  // An integer above 255 passes the CRD (its pattern only applies to strings) and the agent; it matches no packet.
  const type =
    typeof f.type === 'number' && Number.isInteger(f.type) && f.type > 255
      ? f.type
      : parseIcmpType(f.type, family);
  if (type === undefined)
    throw new PolicyError(
      `${at}.type`,
      `ICMP type "${String(f.type)}" is not a number 0-255 or an ${family} type name`,
    );
  return { protocol: family === 'IPv4' ? 'ICMPv4' : 'ICMPv6', type };
}

/** One `toPorts` entry: a port clause per port, each marked when the entry carries L7 rules. */
function compilePortRule(tp: PlainObject, at: string, deny: boolean): PortClause[] {
  const rules = deny ? undefined : tp.rules;
  const l7Kinds = isObject(rules)
    ? ['http', 'kafka', 'dns', 'l7'].filter((k) => isNonEmptyArray(rules[k]))
    : [];
  const l7 =
    l7Kinds.length > 0 ||
    (!deny && (isNonEmptyArray(tp.serverNames) || (tp.listener !== undefined && tp.listener !== null)));
  return asArray(tp.ports).map((pp, j) => portClause(asObject(pp), `${at}.ports[${j}]`, l7));
}

/** Port clauses compiled so far (plain data, shared): policies repeat a few ports thousands of times. */
const PORT_CLAUSES = new Map<string, PortClause>();
/** Port clauses kept at a time; forgotten beyond it. */
const MAX_PORT_CLAUSES = 4096;

/** `compilePort`, once per distinct value of what it reads. */
function portClause(pp: PlainObject, at: string, l7: boolean): PortClause {
  const key = portClauseKey(pp, l7);
  let clause = key === undefined ? undefined : PORT_CLAUSES.get(key);
  if (!clause) {
    clause = compilePort(pp, at, l7);
    if (key !== undefined) {
      if (PORT_CLAUSES.size >= MAX_PORT_CLAUSES) PORT_CLAUSES.clear();
      PORT_CLAUSES.set(key, clause);
    }
  }
  return clause;
}

/**
 * A text equal for two port entries exactly when `compilePort` reads the same of them (the port as
 * text, a numeric endPort, the protocol as given), or undefined for unusual values. A valid
 * clause's protocol and port hold no `|`, so no other entry shares its text.
 */
function portClauseKey(pp: PlainObject, l7: boolean): string | undefined {
  const { protocol, port, endPort } = pp;
  if (protocol !== undefined && protocol !== null && typeof protocol !== 'string') return undefined;
  if (port !== undefined && port !== null && typeof port !== 'string' && typeof port !== 'number')
    return undefined;
  const portText = port === undefined || port === null ? '' : String(port);
  const end = typeof endPort === 'number' ? String(endPort) : '';
  return `${l7 ? 'l7' : ''} ${end}|${typeof protocol}:${protocol}|${portText}`;
}

/**
 * One list per protocol value for all port clauses: matching reads it for every port clause a
 * flow meets, and a shared list of literal strings stays in the CPU cache.
 */
const SHARED_PROTOCOLS: ReadonlyMap<string, readonly MatchedProtocol[]> = new Map([
  ['ANY', ANY_PROTOCOLS],
  ...(['TCP', 'UDP', 'SCTP', 'VRRP', 'IGMP'] as const).map((p) => [p, [p]] as const),
]);

function compilePort(pp: PlainObject, at: string, l7: boolean): PortClause {
  const proto = parsePolicyProtocol(pp.protocol);
  if (typeof pp.protocol === 'string' && pp.protocol !== '' && !ALL_PROTOCOLS.includes(pp.protocol)) {
    throw new PolicyError(
      `${at}.protocol`,
      `protocol "${pp.protocol}" is not one of ${ALL_PROTOCOLS.join(', ')} (the CRD enum is case-sensitive)`,
    );
  }
  if (!proto)
    throw new PolicyError(
      `${at}.protocol`,
      `protocol "${String(pp.protocol)}" is not one of ${ALL_PROTOCOLS.join(', ')}`,
    );
  const parsed = parsePort(pp.port === undefined || pp.port === null ? '' : String(pp.port));
  // sanitizeRule has rejected empty and unparsable ports, and non-zero ports of extended protocols.
  if (parsed.kind === 'empty' || parsed.kind === 'invalid')
    throw new PolicyError(`${at}.port`, 'port must be specified');
  const endPort = typeof pp.endPort === 'number' ? pp.endPort : undefined;
  if (endPort !== undefined && (endPort < 0 || endPort > 65535 || !Number.isInteger(endPort))) {
    throw new PolicyError(`${at}.endPort`, `${endPort} is outside 0-65535`);
  }
  const protocols = SHARED_PROTOCOLS.get(proto.name) ?? proto.protocols;
  if (parsed.kind === 'name') return { protocols, low: 0, high: 0, name: parsed.name, l7 };
  const port = parsed.value;
  if (port === 0) return { protocols, low: 0, high: 65535, l7 };
  return { protocols, low: port, high: endPort !== undefined && endPort > port ? endPort : port, l7 };
}
