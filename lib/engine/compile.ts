import {
  KubeManifest,
  SourcedManifest,
  CCNP_KIND,
  CILIUM_API_VERSION,
  CNP_KIND,
  describeManifest,
  isCiliumPolicy,
  isCiliumPolicyKind,
  policyRules,
} from '../manifest/types';
import { ListTrie } from './list-trie';
import {
  CidrPeer,
  CompiledRule,
  Entry,
  FqdnPeer,
  L4Set,
  NO_ITEMS,
  OpaquePeer,
  PeerSet,
  PolicySource,
  PortClause,
} from './model';
import { parsePrefix } from '../cilium/cidr';
import {
  compileMatchName,
  compileMatchPattern,
  MATCH_NAME_RE,
  MATCH_PATTERN_RE,
  MAX_FQDN_LENGTH,
} from '../cilium/fqdn';
import { CLUSTER_KEY, NAMESPACE_KEY, NAMESPACE_LABELS_PREFIX } from '../cilium/labels';
import { EGRESS_PEER_FIELDS, INGRESS_PEER_FIELDS } from '../cilium/peer-fields';
import {
  AGENT_ENTITY_NAMES,
  CLUSTER_RESERVED_LABELS,
  CRD_ENTITY_NAMES,
  isCrdEntityName,
  RESERVED_ENTITY_LABELS,
} from '../cilium/entities';
import { sanitizeRule } from '../cilium/sanitize';
import { Requirement } from '../cilium/requirements';
import {
  CompiledSelector,
  matchLabelsText,
  parseLabelSelector,
  SelectorError,
  SelectorRegistry,
} from './selector';
import { Direction, RuleRef } from './types';
import { byKey } from '../util/order';
import { describeObject } from '../manifest/object-ref';
import { asArray, asObject, isNonEmptyArray, isObject, PlainObject } from '../util/shape';
import { compileL4, portRange } from './compile-l4';
import { PolicyError } from './policy-error';

/**
 * Turns CNP/CCNP manifests into CompiledRules, applying what the agent does on import
 * (docs/cilium-semantics.md, "Default deny" to "toFQDNs", and "Validation"): selector scoping, default-deny flags,
 * entities, port expansion. A policy the agent or API server would reject is skipped whole.
 */

export interface CompileSettings {
  readonly clusterName: string;
  readonly enableNonDefaultDenyPolicies: boolean;
}

export interface CompileOutput {
  readonly rules: CompiledRule[];
  readonly warnings: string[];
}

const INGRESS_PEERS: readonly string[] = INGRESS_PEER_FIELDS;
const EGRESS_PEERS: readonly string[] = EGRESS_PEER_FIELDS;
const ALLOW_FIELDS: Record<Direction, ReadonlySet<string>> = {
  ingress: new Set([...INGRESS_PEERS, 'fromRequires', 'toPorts', 'icmps', 'authentication']),
  egress: new Set([...EGRESS_PEERS, 'toRequires', 'toPorts', 'icmps', 'authentication']),
};
/** Deny elements have neither toFQDNs nor authentication. */
const DENY_FIELDS: Record<Direction, ReadonlySet<string>> = {
  ingress: new Set([...INGRESS_PEERS, 'fromRequires', 'toPorts', 'icmps']),
  egress: new Set([...EGRESS_PEERS.filter((f) => f !== 'toFQDNs'), 'toRequires', 'toPorts', 'icmps']),
};
/** Fields that must be lists when present, per element kind. */
/** The element lists of a direction: its allows, then its denies. */
const ELEMENT_LISTS: Record<Direction, ReadonlyArray<readonly [string, boolean]>> = {
  ingress: [
    ['ingress', false],
    ['ingressDeny', true],
  ],
  egress: [
    ['egress', false],
    ['egressDeny', true],
  ],
};

/** Fields removed in Cilium 1.19 (the CRD allows no items in them). */
const REQUIRES_FIELDS: readonly string[] = ['fromRequires', 'toRequires'];
const LIST_FIELDS = {
  allow: { ingress: listFields('ingress', ALLOW_FIELDS), egress: listFields('egress', ALLOW_FIELDS) },
  deny: { ingress: listFields('ingress', DENY_FIELDS), egress: listFields('egress', DENY_FIELDS) },
} as const;

function listFields(d: Direction, fields: Record<Direction, ReadonlySet<string>>): readonly string[] {
  return [
    ...(d === 'ingress' ? INGRESS_PEERS : EGRESS_PEERS).filter((k) => fields[d].has(k)),
    'toPorts',
    'icmps',
  ];
}

type PeerKind = 'Endpoints' | 'Entities' | 'CIDR' | 'CIDRSet' | 'FQDNs' | 'Services' | 'Groups';

/** The peer fields of an element in the order they are compiled, with their kind. */
const PEER_KINDS: Record<Direction, ReadonlyArray<readonly [string, PeerKind]>> = {
  ingress: (['Endpoints', 'Entities', 'CIDR', 'CIDRSet', 'Groups'] as const).map(
    (k) => [`from${k}`, k] as const,
  ),
  egress: (['Endpoints', 'Entities', 'CIDR', 'CIDRSet', 'FQDNs', 'Services', 'Groups'] as const).map(
    (k) => [`to${k}`, k] as const,
  ),
};

/** Peer fields whose explicit empty list selects nothing. */
const EMPTY_MEANS_NONE: Record<Direction, readonly string[]> = {
  ingress: ['Endpoints', 'Nodes', 'Entities', 'CIDR', 'CIDRSet'].map((k) => `from${k}`),
  egress: ['Endpoints', 'Nodes', 'Entities', 'CIDR', 'CIDRSet'].map((k) => `to${k}`),
};

const RULE_FIELDS = new Set([
  'endpointSelector',
  'nodeSelector',
  'ingress',
  'ingressDeny',
  'egress',
  'egressDeny',
  'labels',
  'description',
  'enableDefaultDeny',
  'log',
]);

function ruleRef(source: PolicySource, path: string): RuleRef {
  // (Written out, not spread: one shape per kind of reference, in the same key order.)
  return source.namespace
    ? { kind: source.kind, namespace: source.namespace, name: source.name, path }
    : { kind: source.kind, name: source.name, path };
}

function describeSource(s: PolicySource): string {
  const id = describeObject(s);
  return s.file ? `${id} (${s.file}${s.line ? `:${s.line}` : ''})` : id;
}

/** One rule (`spec` or `specs[i]`) being compiled, and what its elements share. */
interface RuleContext {
  readonly rule: PlainObject;
  readonly path: string;
  readonly source: PolicySource;
  /** The subject selects reserved:init (a CCNP peer then gets no namespace requirement). */
  readonly matchesInit: boolean;
  readonly defaultDeny: { readonly ingress: boolean; readonly egress: boolean };
}

interface ElementKind {
  readonly direction: Direction;
  readonly deny: boolean;
}

/** A peer selector's requirements, and the selector they give in each scope (see `peerSelector`). */
interface PeerSelectorSlot {
  readonly reqs: Requirement[];
  readonly scopeFree: boolean;
  readonly scoped: Map<string, CompiledSelector>;
}

/** The four default-deny settings of a rule, shared by the rules (ingress 1, egress 2). */
const DEFAULT_DENY: ReadonlyArray<{ readonly ingress: boolean; readonly egress: boolean }> = [
  { ingress: false, egress: false },
  { ingress: true, egress: false },
  { ingress: false, egress: true },
  { ingress: true, egress: true },
];

const ANY_PEER: PeerSet = { kind: 'any' };
const NO_PEER: PeerSet = { kind: 'none' };

type PeerLists = {
  selectors: CompiledSelector[];
  cidrs: CidrPeer[];
  fqdns: FqdnPeer[];
  opaque: OpaquePeer[];
};

const opaqueServices = (): OpaquePeer => ({
  reason: 'toServices depends on Services and their endpoints, which the evaluator does not see',
  worldOnly: false,
});

const opaqueGroups = (p: 'from' | 'to'): OpaquePeer => ({
  reason: `${p}Groups resolves cloud-provider groups to addresses, which the evaluator cannot do`,
  worldOnly: true,
});

class PolicyCompiler {
  readonly warnings: string[] = [];

  constructor(
    private readonly settings: CompileSettings,
    private readonly registry: SelectorRegistry,
  ) {}

  private readonly entitySelectorCache = new Map<string, CompiledSelector[]>();

  private reserved(name: string): CompiledSelector {
    return this.registry.intern([{ source: 'reserved', key: name, operator: 'In', values: [''] }]);
  }

  /** Entities as selectors (docs/cilium-semantics.md, "Entities"). */
  private entitySelectors(entity: string): CompiledSelector[] {
    const cached = this.entitySelectorCache.get(entity);
    if (cached) return cached;
    let out: CompiledSelector[];
    if (RESERVED_ENTITY_LABELS[entity]) out = RESERVED_ENTITY_LABELS[entity].map((n) => this.reserved(n));
    else if (entity === 'all') out = [this.registry.intern([])];
    else if (entity === 'none') out = [];
    else if (entity === 'cluster') {
      out = [
        ...CLUSTER_RESERVED_LABELS.map((n) => this.reserved(n)),
        this.registry.intern([
          { source: 'k8s', key: CLUSTER_KEY, operator: 'In', values: [this.settings.clusterName] },
        ]),
      ];
    } else if (entity === 'cluster-mesh') {
      out = [
        ...CLUSTER_RESERVED_LABELS.map((n) => this.reserved(n)),
        this.registry.intern([{ source: 'k8s', key: CLUSTER_KEY, operator: 'Exists', values: [] }]),
      ];
    } else {
      throw new Error(`unknown entity "${entity}"; expected one of ${AGENT_ENTITY_NAMES.join(', ')}`);
    }
    this.entitySelectorCache.set(entity, out);
    return out;
  }

  compileManifest(sourced: SourcedManifest): CompiledRule[] {
    const m = sourced.manifest;
    const source: PolicySource = {
      kind: String(m.kind),
      namespace: m.kind === CNP_KIND ? m.metadata?.namespace || 'default' : undefined,
      name: m.metadata?.name ?? '<unnamed>',
      file: sourced.file,
      line: sourced.line,
    };
    try {
      return this.compilePolicy(m, source);
    } catch (e) {
      if (e instanceof PolicyError) {
        this.warnings.push(`${describeSource(source)} ${e.path}: ${e.message}; policy skipped`);
        return [];
      }
      throw e;
    }
  }

  private compilePolicy(m: KubeManifest, source: PolicySource): CompiledRule[] {
    if (!m.metadata?.name) throw new PolicyError('metadata.name', 'the policy has no name');
    if (m.kind === CNP_KIND && !m.metadata.namespace) {
      this.warnings.push(
        `${describeSource(source)}: no metadata.namespace; evaluated as namespace "default"`,
      );
    }
    const rules = policyRules(m);
    if (rules.length === 0) {
      // Cilium accepts `specs: []` without `spec`: a policy with no rules (conformance correction).
      if ((m.spec === undefined || m.spec === null) && Array.isArray(m.specs)) {
        this.warnings.push(`${describeSource(source)} specs: the list is empty, so the policy has no rules`);
        return [];
      }
      throw new PolicyError('spec', 'the policy has neither spec nor specs (empty policy)');
    }
    const out: CompiledRule[] = [];
    for (const { rule, path } of rules) {
      const compiled = this.compileRule(rule, path, source);
      if (compiled) out.push(compiled);
    }
    return out;
  }

  private compileRule(rule: PlainObject, path: string, source: PolicySource): CompiledRule | undefined {
    const hasEp = rule.endpointSelector !== undefined && rule.endpointSelector !== null;
    const hasNode = rule.nodeSelector !== undefined && rule.nodeSelector !== null;
    this.checkRuleShape(rule, path, source, hasNode);
    const subjectReqs = this.selector(
      rule.endpointSelector ?? rule.nodeSelector,
      `${path}.${hasEp ? 'endpointSelector' : 'nodeSelector'}`,
    );
    const at: RuleContext = {
      rule,
      path,
      source,
      matchesInit: subjectReqs.some((r) => r.source === 'reserved' && r.key === 'init'),
      defaultDeny: this.defaultDeny(rule, path),
    };
    const entries = {
      ingress: this.compileEntries(at, 'ingress'),
      egress: this.compileEntries(at, 'egress'),
    };
    if (hasNode) {
      this.warnings.push(
        `${describeSource(source)} ${path}.nodeSelector: host policies need the host firewall, which the evaluator does not model; rule ignored`,
      );
      return undefined;
    }
    const sectionsOf = (keys: readonly string[]): readonly RuleRef[] => {
      const present = keys.filter((s) => isNonEmptyArray(rule[s]));
      return present.length === 0 ? NO_ITEMS : present.map((s) => ruleRef(source, `${path}.${s}`));
    };
    return {
      source,
      path,
      subject: this.subject(subjectReqs, source),
      namespace: source.kind === CNP_KIND ? source.namespace : undefined,
      entries,
      defaultDeny: at.defaultDeny,
      sections: {
        ingress: sectionsOf(['ingress', 'ingressDeny']),
        egress: sectionsOf(['egress', 'egressDeny']),
      },
    };
  }

  /** What the API server and the agent check of a rule before compiling it; warns of unknown fields. */
  private checkRuleShape(rule: PlainObject, path: string, source: PolicySource, hasNode: boolean): void {
    if (hasNode && source.kind !== CCNP_KIND)
      throw new PolicyError(
        `${path}.nodeSelector`,
        'nodeSelector is only allowed in a CiliumClusterwideNetworkPolicy',
      );
    for (const s of ['ingress', 'ingressDeny', 'egress', 'egressDeny']) {
      if (rule[s] !== undefined && rule[s] !== null && !Array.isArray(rule[s]))
        throw new PolicyError(`${path}.${s}`, 'must be a list');
    }
    // What the agent rejects is defined once, in lib/cilium/sanitize (Rule.Sanitize).
    const rejected = sanitizeRule(rule, path);
    if (rejected) throw new PolicyError(rejected.path, rejected.message);
    for (const key of Object.keys(rule)) {
      if (!RULE_FIELDS.has(key))
        this.warnings.push(
          `${describeSource(source)} ${path}.${key}: not a field of the 1.20 schema; ignored (the API server prunes or rejects it)`,
        );
    }
  }

  /** The allow elements, then the deny elements, of one direction. */
  private compileEntries(at: RuleContext, direction: Direction): readonly Entry[] {
    const entries: Entry[] = [];
    for (const [key, deny] of ELEMENT_LISTS[direction]) {
      asArray(at.rule[key]).forEach((el, i) => {
        entries.push(this.compileElement(el, `${at.path}.${key}[${i}]`, { direction, deny }, at));
      });
    }
    return entries.length === 0 ? NO_ITEMS : entries;
  }

  /** A CNP's subject is confined to its namespace (docs/cilium-semantics.md, "Cluster scoping"). */
  private subject(subjectReqs: Requirement[], source: PolicySource): CompiledSelector {
    if (source.kind !== CNP_KIND) return this.registry.intern(subjectReqs);
    return this.registry.intern([
      ...subjectReqs.filter((r) => !(r.fromMatchLabels && r.source === 'k8s' && r.key === NAMESPACE_KEY)),
      { source: 'k8s', key: NAMESPACE_KEY, operator: 'In', values: [source.namespace!] },
    ]);
  }

  /** docs/cilium-semantics.md, "Default deny": unset means "has ingress or ingressDeny"; the agent flag off forces true. */
  private defaultDeny(rule: PlainObject, path: string): RuleContext['defaultDeny'] {
    if (!this.settings.enableNonDefaultDenyPolicies) return DEFAULT_DENY[3];
    const edd = asObject(rule.enableDefaultDeny);
    const pick = (d: Direction): boolean => {
      const v = edd[d];
      if (v === undefined || v === null) return isNonEmptyArray(rule[d]) || isNonEmptyArray(rule[`${d}Deny`]);
      if (typeof v !== 'boolean')
        throw new PolicyError(
          `${path}.enableDefaultDeny.${d}`,
          `expected true or false, got ${JSON.stringify(v)}`,
        );
      return v;
    };
    return DEFAULT_DENY[(pick('ingress') ? 1 : 0) + (pick('egress') ? 2 : 0)];
  }

  private selector(sel: unknown, path: string): Requirement[] {
    try {
      return parseLabelSelector(sel);
    } catch (e) {
      if (e instanceof SelectorError) throw new PolicyError(path, e.message);
      throw e;
    }
  }

  /** docs/cilium-semantics.md, "Selectors" and "Cluster scoping": peer selectors get the policy namespace (CNP) or `namespace Exists` (CCNP), and the cluster. */
  private scopePeer(reqs: Requirement[], source: PolicySource, matchesInit: boolean): Requirement[] {
    if (reqs.some((r) => r.source === 'reserved')) return reqs;
    const out = [...reqs];
    const k8sOrAny = (r: Requirement) => r.source === 'k8s' || r.source === 'any';
    if (!reqs.some((r) => k8sOrAny(r) && r.key === NAMESPACE_KEY)) {
      if (source.kind === CCNP_KIND) {
        if (!matchesInit) out.push({ source: 'k8s', key: NAMESPACE_KEY, operator: 'Exists', values: [] });
      } else if (!reqs.some((r) => k8sOrAny(r) && r.key.startsWith(NAMESPACE_LABELS_PREFIX.slice(0, -1)))) {
        out.push({ source: 'k8s', key: NAMESPACE_KEY, operator: 'In', values: [source.namespace!] });
      }
    }
    if (!reqs.some((r) => k8sOrAny(r) && r.key === CLUSTER_KEY)) {
      out.push({ source: 'k8s', key: CLUSTER_KEY, operator: 'In', values: [this.settings.clusterName] });
    }
    return out;
  }

  private compileElement(raw: unknown, path: string, kind: ElementKind, at: RuleContext): Entry {
    if (!isObject(raw)) throw new PolicyError(path, 'must be an object');
    const el = raw;
    const { direction, deny } = kind;
    this.checkElementShape(el, path, kind, at.source);
    const compiledL4 = compileL4(el, path, deny);
    const l4 =
      compiledL4 && compiledL4.icmps.length === 0
        ? this.portLists.of(compiledL4.ports, () => compiledL4)
        : compiledL4;
    const peers = this.compilePeers(el, path, direction, at, l4 !== undefined);
    const ref = ruleRef(at.source, path);
    const dnsRule =
      !deny &&
      direction === 'egress' &&
      asArray(el.toPorts).some((tp) => isNonEmptyArray(asObject(asObject(tp).rules).dns));
    const { lowestPort, highestPort } = portRange(l4);
    const defaultDeny = at.defaultDeny[direction];
    return { ref, direction, deny, defaultDeny, peers, l4, lowestPort, highestPort, dnsRule };
  }

  /** Unknown fields warn; removed fields and non-list peers or ports make the API server reject the policy. */
  private checkElementShape(el: PlainObject, path: string, kind: ElementKind, source: PolicySource): void {
    const fields = kind.deny ? DENY_FIELDS[kind.direction] : ALLOW_FIELDS[kind.direction];
    const lists = LIST_FIELDS[kind.deny ? 'deny' : 'allow'][kind.direction];
    // Its own fields only (the checks below read no other): most elements have two or three.
    let rejected = false;
    for (const key of Object.keys(el)) {
      if (!fields.has(key)) {
        this.warnings.push(
          `${describeSource(source)} ${path}.${key}: not a field of ${kind.deny ? 'a deny rule' : 'this rule'} in the 1.20 schema; ignored (the API server prunes or rejects it)`,
        );
      }
      const v = el[key];
      if (REQUIRES_FIELDS.includes(key)) rejected ||= isNonEmptyArray(v);
      else if (v !== undefined && v !== null && !Array.isArray(v)) rejected ||= lists.includes(key);
    }
    if (rejected) this.rejectElement(el, path, lists);
  }

  /** The first reason, in field order, the API server rejects an element's shape. */
  private rejectElement(el: PlainObject, path: string, lists: readonly string[]): void {
    for (const req of REQUIRES_FIELDS) {
      if (isNonEmptyArray(el[req]))
        throw new PolicyError(
          `${path}.${req}`,
          `${req} was removed in Cilium 1.19 (the CRD allows no items)`,
        );
    }
    for (const k of lists) {
      if (el[k] !== undefined && el[k] !== null && !Array.isArray(el[k]))
        throw new PolicyError(`${path}.${k}`, 'must be a list');
    }
  }

  /** The L3 peers of an element (docs/cilium-semantics.md, "How L3 and L4 combine"). */
  private compilePeers(
    el: PlainObject,
    path: string,
    direction: Direction,
    at: RuleContext,
    hasL4: boolean,
  ): PeerSet {
    // An explicit empty list selects nothing (not for FQDNs, groups, services).
    for (const k of EMPTY_MEANS_NONE[direction]) {
      const list = el[k];
      if (Array.isArray(list) && list.length === 0) return NO_PEER;
    }
    const peers: PeerLists = { selectors: [], cidrs: [], fqdns: [], opaque: [] };
    let anyL3 = false;
    for (const [key, kind] of PEER_KINDS[direction]) {
      const list = el[key];
      if (!isNonEmptyArray(list)) continue;
      anyL3 = true;
      this.addPeers(kind, list, `${path}.${key}`, at, peers, direction);
    }
    if (!anyL3) return hasL4 ? ANY_PEER : NO_PEER;
    const { selectors, cidrs, fqdns, opaque } = peers;
    if (cidrs.length + fqdns.length + opaque.length === 0) {
      return this.selectorPeerSets.of(selectors, () => ({
        kind: 'list',
        selectors: selectors.length === 0 ? NO_ITEMS : selectors,
        cidrs: NO_ITEMS,
        fqdns: NO_ITEMS,
        opaque: NO_ITEMS,
      }));
    }
    const listed = <T>(list: readonly T[]): readonly T[] => (list.length === 0 ? NO_ITEMS : list);
    return {
      kind: 'list',
      selectors: listed(selectors),
      cidrs: listed(cidrs),
      fqdns: listed(fqdns),
      opaque: listed(opaque),
    };
  }

  /** Peer sets of selectors only, one per distinct list: most elements name the same few peers. */
  private readonly selectorPeerSets = new ListTrie<CompiledSelector, PeerSet>();
  /** Port lists, one per distinct list of (shared) port clauses. */
  private readonly portLists = new ListTrie<PortClause, L4Set>();

  private addPeers(
    kind: PeerKind,
    list: unknown[],
    where: string,
    at: RuleContext,
    peers: PeerLists,
    direction: Direction,
  ): void {
    switch (kind) {
      case 'Endpoints':
        return this.endpointPeers(list, where, at, peers);
      case 'Entities':
        return this.entityPeers(list, where, peers);
      case 'CIDR':
        return this.cidrPeers(list, where, peers);
      case 'CIDRSet':
        return this.cidrSetPeers(list, where, peers);
      case 'FQDNs':
        return this.fqdnPeers(list, where, peers);
      case 'Services':
        peers.opaque.push(opaqueServices());
        return;
      case 'Groups':
        peers.opaque.push(opaqueGroups(direction === 'ingress' ? 'from' : 'to'));
    }
  }

  private endpointPeers(list: unknown[], path: string, at: RuleContext, peers: PeerLists): void {
    list.forEach((sel, i) => peers.selectors.push(this.peerSelector(sel ?? {}, `${path}[${i}]`, at)));
  }

  /**
   * Peer selectors read so far, by `matchLabelsText`: policies repeat the same few peers (every
   * app's policy names its ingress controller), so each is parsed and checked once.
   */
  private readonly peerSelectors = new Map<string, PeerSelectorSlot>();

  private peerSelector(sel: unknown, path: string, at: RuleContext): CompiledSelector {
    const text = matchLabelsText(sel);
    let slot = text === undefined ? undefined : this.peerSelectors.get(text);
    if (!slot) {
      const reqs = this.selector(sel, path);
      slot = { reqs, scopeFree: this.scopeFree(reqs), scoped: new Map() };
      if (text !== undefined) this.peerSelectors.set(text, slot);
    }
    // What scopePeer adds depends on the policy only when the peer names no namespace itself.
    const scope = slot.scopeFree
      ? ''
      : at.source.kind === CCNP_KIND
        ? `ccnp ${at.matchesInit}`
        : `cnp ${at.source.namespace}`;
    let compiled = slot.scoped.get(scope);
    if (!compiled) {
      compiled = this.registry.intern(this.scopePeer(slot.reqs, at.source, at.matchesInit));
      slot.scoped.set(scope, compiled);
    }
    return compiled;
  }

  /** Whether scopePeer adds the same to these requirements in every policy. */
  private scopeFree(reqs: Requirement[]): boolean {
    return reqs.some(
      (r) =>
        r.source === 'reserved' || ((r.source === 'k8s' || r.source === 'any') && r.key === NAMESPACE_KEY),
    );
  }

  private entityPeers(list: unknown[], path: string, peers: PeerLists): void {
    list.forEach((ent, i) => {
      if (!isCrdEntityName(ent)) {
        // The agent knows world-ipv4, world-ipv6 and cluster-mesh, but the 1.20 CRD enum rejects them at the API server.
        const why = AGENT_ENTITY_NAMES.includes(String(ent))
          ? `entity "${String(ent)}" is not in the 1.20 CRD enum`
          : `unknown entity "${String(ent)}"`;
        throw new PolicyError(`${path}[${i}]`, `${why}; expected one of ${CRD_ENTITY_NAMES.join(', ')}`);
      }
      try {
        peers.selectors.push(...this.entitySelectors(String(ent)));
      } catch (e) {
        throw new PolicyError(`${path}[${i}]`, (e as Error).message);
      }
    });
  }

  private cidrPeers(list: unknown[], path: string, peers: PeerLists): void {
    list.forEach((c, i) => peers.cidrs.push({ prefix: this.prefix(c, `${path}[${i}]`), except: [] }));
  }

  private cidrSetPeers(list: unknown[], path: string, peers: PeerLists): void {
    list.forEach((raw, i) => {
      const at = `${path}[${i}]`;
      const c = asObject(raw);
      const kinds = ['cidr', 'cidrGroupRef', 'cidrGroupSelector'].filter(
        (k) => c[k] !== undefined && c[k] !== null,
      );
      if (kinds[0] !== 'cidr') {
        peers.opaque.push({
          reason: `${kinds[0]} ${JSON.stringify(c[String(kinds[0])])} refers to a CiliumCIDRGroup, which the evaluator does not resolve`,
          worldOnly: true,
        });
        return;
      }
      const prefix = this.prefix(c.cidr, `${at}.cidr`);
      const except = asArray(c.except).map((x, j) => this.prefix(x, `${at}.except[${j}]`));
      peers.cidrs.push({ prefix, except });
    });
  }

  private fqdnPeers(list: unknown[], path: string, peers: PeerLists): void {
    list.forEach((f, i) => peers.fqdns.push(this.fqdn(f, `${path}[${i}]`)));
  }

  private prefix(raw: unknown, path: string) {
    const p = parsePrefix(raw);
    if (!p)
      throw new PolicyError(
        path,
        `${JSON.stringify(raw)} is not a CIDR in prefix notation (a.b.c.d/n or x::/n)`,
      );
    return p;
  }

  private fqdn(raw: unknown, path: string): FqdnPeer {
    const f = asObject(raw);
    const name = typeof f.matchName === 'string' && f.matchName !== '' ? f.matchName : undefined;
    const pattern = typeof f.matchPattern === 'string' && f.matchPattern !== '' ? f.matchPattern : undefined;
    if ((name === undefined) === (pattern === undefined))
      throw new PolicyError(path, 'needs exactly one of matchName and matchPattern');
    const text = name ?? pattern ?? '';
    if (text.length > MAX_FQDN_LENGTH)
      throw new PolicyError(path, `is longer than ${MAX_FQDN_LENGTH} characters`);
    if (name !== undefined && !MATCH_NAME_RE.test(text))
      throw new PolicyError(`${path}.matchName`, `"${text}" has characters outside [-a-zA-Z0-9_.]`);
    if (pattern !== undefined && !MATCH_PATTERN_RE.test(text))
      throw new PolicyError(`${path}.matchPattern`, `"${text}" has characters outside [-a-zA-Z0-9_.*]`);
    return name !== undefined
      ? { text: `matchName ${text}`, matches: compileMatchName(text) }
      : { text: `matchPattern ${text}`, matches: compileMatchPattern(text) };
  }
}

function asSourced(m: KubeManifest | SourcedManifest): SourcedManifest {
  const maybe = m as SourcedManifest;
  return maybe.manifest && typeof maybe.manifest === 'object' && !(m as KubeManifest).kind
    ? maybe
    : { manifest: m as KubeManifest };
}

/** Compiles every Cilium policy among the manifests; other kinds are ignored. */
export function compilePolicies(
  manifests: ReadonlyArray<KubeManifest | SourcedManifest>,
  settings: CompileSettings,
  registry: SelectorRegistry,
): CompileOutput {
  const compiler = new PolicyCompiler(settings, registry);
  const sourced = manifests.map(asSourced);
  // Later definitions of the same policy replace earlier ones, as `kubectl apply` would.
  const byId = new Map<string, SourcedManifest>();
  for (const s of sourced) {
    if (isCiliumPolicyKind(s.manifest) && s.manifest.apiVersion !== CILIUM_API_VERSION) {
      const m = s.manifest;
      const where = s.file ? ` (${s.file}${s.line ? `:${s.line}` : ''})` : '';
      compiler.warnings.push(
        `${m.kind} ${m.metadata?.name ?? '<unnamed>'}${where} apiVersion: ${JSON.stringify(m.apiVersion ?? null)} is not served by the Cilium 1.20 CRD (only ${CILIUM_API_VERSION}); policy skipped`,
      );
      continue;
    }
    if (!isCiliumPolicy(s.manifest)) continue;
    const m = s.manifest;
    const id = `${m.kind}/${m.kind === CNP_KIND ? m.metadata?.namespace || 'default' : ''}/${m.metadata?.name ?? ''}`;
    const prev = byId.get(id);
    if (prev && m.metadata?.name) {
      const where = (x: SourcedManifest) => (x.file ? `${x.file}${x.line ? `:${x.line}` : ''}` : 'input');
      compiler.warnings.push(
        `${describeManifest(m)} is defined twice (${where(prev)}, ${where(s)}); the later one is used`,
      );
      byId.delete(id);
    }
    byId.set(id, s);
  }
  const ordered = [...byId.entries()].sort(byKey).map(([, s]) => s);
  const rules: CompiledRule[] = [];
  for (const s of ordered) rules.push(...compiler.compileManifest(s));
  return { rules, warnings: compiler.warnings };
}
