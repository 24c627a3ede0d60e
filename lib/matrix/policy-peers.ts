import { parseIp, parsePrefix, Prefix, prefixContainsIp } from '../cilium/cidr';
import {
  compileMatchPattern,
  exampleName,
  MATCH_NAME_RE,
  MATCH_PATTERN_RE,
  normalizeDnsName,
} from '../cilium/fqdn';
import { parsePeer } from '../engine/peer-syntax';
import { isCiliumPolicy, policyRules, SourcedManifest } from '../manifest/types';
import { FqdnExample, MatrixNode } from './model';
import { compareStrings } from '../util/order';

/**
 * The non-workload peers policies talk about: entities (world and host always), the DNS names of
 * `toFQDNs` (an example name for each pattern) and the CIDRs of CIDR rules.
 */

/** Entities that are a single endpoint (`cluster`, `all` are sets of these). */
const SINGLE_ENTITIES = [
  'host',
  'remote-node',
  'kube-apiserver',
  'ingress',
  'health',
  'init',
  'unmanaged',
  'world',
];
const ENTITY_ALIASES: Readonly<Record<string, string>> = { 'world-ipv4': 'world', 'world-ipv6': 'world' };
const SECTIONS = ['ingress', 'ingressDeny', 'egress', 'egressDeny'];
const SELECTOR_FIELDS = ['fromEndpoints', 'toEndpoints', 'fromRequires', 'toRequires'];

export interface PolicyPeers {
  readonly entities: readonly MatrixNode[];
  readonly fqdns: readonly MatrixNode[];
  readonly cidrs: readonly MatrixNode[];
  readonly fqdnExamples: readonly FqdnExample[];
  readonly warnings: readonly string[];
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Entity names in selector keys: `reserved:health`, `$host`. */
function reservedKeys(selector: unknown, into: Set<string>): void {
  if (!selector || typeof selector !== 'object') return;
  const sel = selector as { matchLabels?: unknown; matchExpressions?: unknown };
  const keys = [
    ...Object.keys(sel.matchLabels && typeof sel.matchLabels === 'object' ? sel.matchLabels : {}),
    ...list(sel.matchExpressions).map((e) => String((e as { key?: unknown } | null)?.key ?? '')),
  ];
  for (const k of keys) {
    const m = /^(?:reserved:|\$)(.+)$/.exec(k);
    if (m) into.add(ENTITY_ALIASES[m[1]] ?? m[1]);
  }
}

export { exampleName };

function formatIp(family: 4 | 6, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((value >> s) & 0xffffn).toString(16));
  return groups.join(':');
}

/** An address in the prefix outside every except prefix, or undefined. */
function representativeIp(prefix: Prefix, except: readonly Prefix[]): string | undefined {
  const width = prefix.family === 4 ? 32 : 128;
  const candidates = [
    prefix.value,
    prefix.value + 1n,
    ...except.map((e) => e.value + (1n << BigInt(width - e.length))),
  ];
  for (const c of candidates) {
    const ip = parseIp(formatIp(prefix.family, c));
    if (ip && prefixContainsIp(prefix, ip) && !except.some((e) => prefixContainsIp(e, ip)))
      return formatIp(prefix.family, c);
  }
  return undefined;
}

/** What the policies' peers name, collected before the nodes are built. */
interface NamedPeers {
  readonly entities: Set<string>;
  /** DNS name -> the patterns it exemplifies. */
  readonly names: Map<string, Set<string>>;
  readonly cidrs: Map<string, { prefix: Prefix; except: Prefix[] }>;
}

export function discoverPolicyPeers(manifests: readonly SourcedManifest[]): PolicyPeers {
  const named: NamedPeers = { entities: new Set(['world', 'host']), names: new Map(), cidrs: new Map() };
  for (const s of manifests) {
    if (!isCiliumPolicy(s.manifest)) continue;
    for (const { rule } of policyRules(s.manifest)) {
      reservedKeys(rule.endpointSelector, named.entities);
      for (const section of SECTIONS) {
        for (const el of list(rule[section])) {
          if (el && typeof el === 'object') collectElement(el as Record<string, unknown>, named);
        }
      }
    }
  }
  const warnings: string[] = [];
  const { nodes: fqdns, examples } = fqdnNodes(named.names);
  return {
    entities: entityNodes(named.entities),
    fqdns,
    cidrs: cidrNodes(named.cidrs, warnings),
    fqdnExamples: examples,
    warnings,
  };
}

/** One rule element's entities, reserved labels of its selectors, DNS names and CIDRs. */
function collectElement(e: Record<string, unknown>, named: NamedPeers): void {
  for (const field of ['fromEntities', 'toEntities']) {
    for (const ent of list(e[field])) {
      const name = ENTITY_ALIASES[String(ent)] ?? String(ent);
      if (SINGLE_ENTITIES.includes(name)) named.entities.add(name);
    }
  }
  for (const field of SELECTOR_FIELDS) for (const sel of list(e[field])) reservedKeys(sel, named.entities);
  for (const f of list(e.toFQDNs)) {
    const fq = (f ?? {}) as { matchName?: unknown; matchPattern?: unknown };
    if (typeof fq.matchName === 'string' && MATCH_NAME_RE.test(fq.matchName)) {
      const n = normalizeDnsName(fq.matchName);
      if (!named.names.has(n)) named.names.set(n, new Set());
    }
    if (typeof fq.matchPattern === 'string' && MATCH_PATTERN_RE.test(fq.matchPattern)) {
      const example = exampleName(fq.matchPattern);
      if (!compileMatchPattern(fq.matchPattern)(example)) continue;
      const set = named.names.get(example) ?? new Set<string>();
      set.add(normalizeDnsName(fq.matchPattern));
      named.names.set(example, set);
    }
  }
  const cidrItems: Array<{ cidr: unknown; except?: unknown }> = [
    ...[...list(e.fromCIDR), ...list(e.toCIDR)].map((c) => ({ cidr: c })),
    ...[...list(e.fromCIDRSet), ...list(e.toCIDRSet)].map(
      (c) => (c ?? {}) as { cidr: unknown; except?: unknown },
    ),
  ];
  for (const item of cidrItems) {
    const prefix = typeof item.cidr === 'string' ? parsePrefix(item.cidr) : undefined;
    if (!prefix || prefix.length === 0) continue; // /0 is the world node
    const key = `${formatIp(prefix.family, prefix.value)}/${prefix.length}`;
    const except = list(item.except)
      .map((x) => (typeof x === 'string' ? parsePrefix(x) : undefined))
      .filter((x): x is Prefix => !!x);
    const known = named.cidrs.get(key);
    if (known) known.except.push(...except);
    else named.cidrs.set(key, { prefix, except });
  }
}

function entityNodes(entities: ReadonlySet<string>): MatrixNode[] {
  return [...entities].sort(compareStrings).map((name): MatrixNode => {
    const peer = parsePeer(`entity:${name}`);
    return { id: `entity:${name}`, kind: 'entity', name, labels: peer.labels, declaredPorts: [], peer };
  });
}

function fqdnNodes(names: ReadonlyMap<string, ReadonlySet<string>>): {
  nodes: MatrixNode[];
  examples: FqdnExample[];
} {
  const examples: FqdnExample[] = [];
  const nodes = [...names.keys()].sort(compareStrings).map((name): MatrixNode => {
    const patterns = [...names.get(name)!].sort(compareStrings);
    for (const pattern of patterns) examples.push({ pattern, example: name });
    return {
      id: `fqdn:${name}`,
      kind: 'fqdn',
      name,
      labels: ['reserved:world'],
      declaredPorts: [],
      ...(patterns.length > 0 ? { examplePatterns: patterns } : {}),
      peer: { labels: ['reserved:world'], dnsNames: [name] },
    };
  });
  return { nodes, examples: examples.sort((a, b) => compareStrings(a.pattern, b.pattern)) };
}

function cidrNodes(
  cidrs: ReadonlyMap<string, { prefix: Prefix; except: Prefix[] }>,
  warnings: string[],
): MatrixNode[] {
  const out: MatrixNode[] = [];
  for (const key of [...cidrs.keys()].sort(compareStrings)) {
    const { prefix, except } = cidrs.get(key)!;
    const ip = representativeIp(prefix, except);
    if (!ip) {
      warnings.push(`CIDR ${key}: every address is excluded by its except list, so it has no node`);
      continue;
    }
    out.push({
      id: `cidr:${key}`,
      kind: 'cidr',
      name: key,
      labels: ['reserved:world'],
      declaredPorts: [],
      peer: { labels: ['reserved:world'], ip },
    });
  }
  return out;
}
