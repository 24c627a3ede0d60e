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
import {
  CidrPeer,
  CompiledRule,
  Entry,
  FqdnPeer,
  IcmpClause,
  L4Set,
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
import { ALL_PROTOCOLS, parseIcmpType, parsePolicyProtocol, parsePort } from '../cilium/ports';
import { sanitizeRule } from '../cilium/sanitize';
import { Requirement } from '../cilium/requirements';
import { EndpointSelector, parseLabelSelector, SelectorError, SelectorRegistry } from './selector';
import { Direction } from './types';
import { byKey } from '../util/order';
import { describeObject } from '../manifest/object-ref';

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

class PolicyError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

const INGRESS_PEERS: readonly string[] = INGRESS_PEER_FIELDS;
const EGRESS_PEERS: readonly string[] = EGRESS_PEER_FIELDS;
const ALLOW_FIELDS: Record<Direction, ReadonlySet<string>> = {
  ingress: new Set([...INGRESS_PEERS, 'fromRequires', 'toPorts', 'icmps', 'authentication']),
  egress: new Set([...EGRESS_PEERS, 'toRequires', 'toPorts', 'icmps', 'authentication']),
};
const DENY_FIELDS: Record<Direction, ReadonlySet<string>> = {
  ingress: new Set([
    'fromEndpoints',
    'fromCIDR',
    'fromCIDRSet',
    'fromEntities',
    'fromNodes',
    'fromGroups',
    'fromRequires',
    'toPorts',
    'icmps',
  ]),
  egress: new Set([
    'toEndpoints',
    'toCIDR',
    'toCIDRSet',
    'toEntities',
    'toServices',
    'toGroups',
    'toNodes',
    'toRequires',
    'toPorts',
    'icmps',
  ]),
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

function describeSource(s: PolicySource): string {
  const id = describeObject(s);
  return s.file ? `${id} (${s.file}${s.line ? `:${s.line}` : ''})` : id;
}

function isList(v: unknown): v is unknown[] {
  return Array.isArray(v);
}

function nonEmpty(v: unknown): v is unknown[] {
  return Array.isArray(v) && v.length > 0;
}

class PolicyCompiler {
  readonly warnings: string[] = [];

  constructor(
    private readonly settings: CompileSettings,
    private readonly registry: SelectorRegistry,
  ) {}

  private readonly entitySelectorCache = new Map<string, EndpointSelector[]>();

  private reserved(name: string): EndpointSelector {
    return this.registry.intern([{ source: 'reserved', key: name, operator: 'In', values: [''] }]);
  }

  /** Entities as selectors (section 2). */
  private entitySelectors(entity: string): EndpointSelector[] {
    const cached = this.entitySelectorCache.get(entity);
    if (cached) return cached;
    let out: EndpointSelector[];
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

  private compileRule(rule: any, path: string, source: PolicySource): CompiledRule | undefined {
    const hasEp = rule.endpointSelector !== undefined && rule.endpointSelector !== null;
    const hasNode = rule.nodeSelector !== undefined && rule.nodeSelector !== null;
    if (hasNode && source.kind !== CCNP_KIND)
      throw new PolicyError(
        `${path}.nodeSelector`,
        'nodeSelector is only allowed in a CiliumClusterwideNetworkPolicy',
      );
    const sections = ['ingress', 'ingressDeny', 'egress', 'egressDeny'] as const;
    for (const s of sections) {
      if (rule[s] !== undefined && rule[s] !== null && !isList(rule[s]))
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
    const subjectReqs = this.selector(
      rule.endpointSelector ?? rule.nodeSelector,
      `${path}.${hasEp ? 'endpointSelector' : 'nodeSelector'}`,
    );
    const matchesInit = subjectReqs.some((r) => r.source === 'reserved' && r.key === 'init');
    const defaultDeny = this.defaultDeny(rule, path);
    const build = (direction: Direction): Entry[] => {
      const allowKey = direction;
      const denyKey = `${direction}Deny`;
      const entries: Entry[] = [];
      for (const [key, deny] of [
        [allowKey, false],
        [denyKey, true],
      ] as const) {
        const list: unknown[] = isList(rule[key]) ? rule[key] : [];
        list.forEach((el, i) => {
          entries.push(
            this.compileElement(
              el,
              `${path}.${key}[${i}]`,
              direction,
              deny,
              defaultDeny[direction],
              source,
              matchesInit,
            ),
          );
        });
      }
      return entries;
    };
    const entries = { ingress: build('ingress'), egress: build('egress') };
    if (hasNode) {
      this.warnings.push(
        `${describeSource(source)} ${path}.nodeSelector: host policies need the host firewall, which the evaluator does not model; rule ignored`,
      );
      return undefined;
    }
    const subject =
      source.kind === CNP_KIND
        ? this.registry.intern([
            ...subjectReqs.filter(
              (r) => !(r.fromMatchLabels && r.source === 'k8s' && r.key === NAMESPACE_KEY),
            ),
            { source: 'k8s', key: NAMESPACE_KEY, operator: 'In', values: [source.namespace!] },
          ])
        : this.registry.intern(subjectReqs);
    return {
      source,
      path,
      subject,
      namespace: source.kind === CNP_KIND ? source.namespace : undefined,
      entries,
      defaultDeny,
      sections: {
        ingress: ['ingress', 'ingressDeny'].filter((s) => nonEmpty(rule[s])).map((s) => `${path}.${s}`),
        egress: ['egress', 'egressDeny'].filter((s) => nonEmpty(rule[s])).map((s) => `${path}.${s}`),
      },
    };
  }

  /** Section 1.2: unset means "has ingress or ingressDeny"; the agent flag off forces true. */
  private defaultDeny(rule: any, path: string): { ingress: boolean; egress: boolean } {
    if (!this.settings.enableNonDefaultDenyPolicies) return { ingress: true, egress: true };
    const edd = rule.enableDefaultDeny ?? {};
    const pick = (d: Direction): boolean => {
      const v = edd[d];
      if (v === undefined || v === null) return nonEmpty(rule[d]) || nonEmpty(rule[`${d}Deny`]);
      if (typeof v !== 'boolean')
        throw new PolicyError(
          `${path}.enableDefaultDeny.${d}`,
          `expected true or false, got ${JSON.stringify(v)}`,
        );
      return v;
    };
    return { ingress: pick('ingress'), egress: pick('egress') };
  }

  private selector(sel: unknown, path: string): Requirement[] {
    try {
      return parseLabelSelector(sel);
    } catch (e) {
      if (e instanceof SelectorError) throw new PolicyError(path, e.message);
      throw e;
    }
  }

  /** Section 1.6: peer selectors get the policy namespace (CNP) or `namespace Exists` (CCNP), and the cluster. */
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

  private compileElement(
    el: any,
    path: string,
    direction: Direction,
    deny: boolean,
    defaultDeny: boolean,
    source: PolicySource,
    matchesInit: boolean,
  ): Entry {
    if (!el || typeof el !== 'object' || Array.isArray(el)) throw new PolicyError(path, 'must be an object');
    const fields = deny ? DENY_FIELDS[direction] : ALLOW_FIELDS[direction];
    for (const key of Object.keys(el)) {
      if (!fields.has(key)) {
        this.warnings.push(
          `${describeSource(source)} ${path}.${key}: not a field of ${deny ? 'a deny rule' : 'this rule'} in the 1.20 schema; ignored (the API server prunes or rejects it)`,
        );
      }
    }
    for (const req of ['fromRequires', 'toRequires']) {
      if (nonEmpty(el[req]))
        throw new PolicyError(
          `${path}.${req}`,
          `${req} was removed in Cilium 1.19 (the CRD allows no items)`,
        );
    }
    const peerKeys = (direction === 'ingress' ? INGRESS_PEERS : EGRESS_PEERS).filter((k) => fields.has(k));
    for (const k of [...peerKeys, 'toPorts', 'icmps']) {
      if (el[k] !== undefined && el[k] !== null && !isList(el[k]))
        throw new PolicyError(`${path}.${k}`, 'must be a list');
    }
    const l4 = this.compileL4(el, path, deny);
    const hasL4 = l4 !== undefined;
    const peers = this.compilePeers(el, path, direction, source, matchesInit, hasL4);
    const ref = {
      kind: source.kind,
      ...(source.namespace ? { namespace: source.namespace } : {}),
      name: source.name,
      path,
    };
    const dnsRule =
      !deny &&
      direction === 'egress' &&
      isList(el.toPorts) &&
      el.toPorts.some((tp: any) => nonEmpty(tp?.rules?.dns));
    return { ref, direction, deny, defaultDeny, peers, l4, dnsRule };
  }

  private compilePeers(
    el: any,
    path: string,
    direction: Direction,
    source: PolicySource,
    matchesInit: boolean,
    hasL4: boolean,
  ): PeerSet {
    const p = direction === 'ingress' ? 'from' : 'to';
    // Section 1.4: an explicit empty list selects nothing (not for FQDNs, groups, services: 10.7, 10.8).
    for (const k of ['Endpoints', 'Nodes', 'Entities', 'CIDR', 'CIDRSet']) {
      if (isList(el[p + k]) && el[p + k].length === 0) return { kind: 'none' };
    }
    const selectors: EndpointSelector[] = [];
    const cidrs: CidrPeer[] = [];
    const fqdns: FqdnPeer[] = [];
    const opaque: OpaquePeer[] = [];
    let anyL3 = false;
    if (nonEmpty(el[`${p}Endpoints`])) {
      anyL3 = true;
      el[`${p}Endpoints`].forEach((sel: unknown, i: number) => {
        const reqs = this.selector(sel ?? {}, `${path}.${p}Endpoints[${i}]`);
        selectors.push(this.registry.intern(this.scopePeer(reqs, source, matchesInit)));
      });
    }
    if (nonEmpty(el[`${p}Entities`])) {
      anyL3 = true;
      el[`${p}Entities`].forEach((ent: unknown, i: number) => {
        if (!isCrdEntityName(ent)) {
          // The agent knows world-ipv4, world-ipv6 and cluster-mesh, but the 1.20 CRD enum rejects them at the API server.
          const why = AGENT_ENTITY_NAMES.includes(String(ent))
            ? `entity "${String(ent)}" is not in the 1.20 CRD enum`
            : `unknown entity "${String(ent)}"`;
          throw new PolicyError(
            `${path}.${p}Entities[${i}]`,
            `${why}; expected one of ${CRD_ENTITY_NAMES.join(', ')}`,
          );
        }
        try {
          selectors.push(...this.entitySelectors(String(ent)));
        } catch (e) {
          throw new PolicyError(`${path}.${p}Entities[${i}]`, (e as Error).message);
        }
      });
    }
    if (nonEmpty(el[`${p}CIDR`])) {
      anyL3 = true;
      el[`${p}CIDR`].forEach((c: unknown, i: number) => {
        cidrs.push({ prefix: this.prefix(c, `${path}.${p}CIDR[${i}]`), except: [] });
      });
    }
    if (nonEmpty(el[`${p}CIDRSet`])) {
      anyL3 = true;
      el[`${p}CIDRSet`].forEach((c: any, i: number) => {
        const at = `${path}.${p}CIDRSet[${i}]`;
        const kinds = ['cidr', 'cidrGroupRef', 'cidrGroupSelector'].filter(
          (k) => c?.[k] !== undefined && c?.[k] !== null,
        );
        if (kinds[0] !== 'cidr') {
          opaque.push({
            reason: `${kinds[0]} ${JSON.stringify(c[kinds[0]])} refers to a CiliumCIDRGroup, which the evaluator does not resolve`,
            worldOnly: true,
          });
          return;
        }
        const prefix = this.prefix(c.cidr, `${at}.cidr`);
        const except = (isList(c.except) ? c.except : []).map((x: unknown, j: number) => {
          return this.prefix(x, `${at}.except[${j}]`);
        });
        cidrs.push({ prefix, except });
      });
    }
    if (direction === 'egress' && nonEmpty(el.toFQDNs)) {
      anyL3 = true;
      el.toFQDNs.forEach((f: any, i: number) => fqdns.push(this.fqdn(f, `${path}.toFQDNs[${i}]`)));
    }
    if (direction === 'egress' && nonEmpty(el.toServices)) {
      anyL3 = true;
      opaque.push({
        reason: 'toServices depends on Services and their endpoints, which the evaluator does not see',
        worldOnly: false,
      });
    }
    if (nonEmpty(el[`${p}Groups`])) {
      anyL3 = true;
      opaque.push({
        reason: `${p}Groups resolves cloud-provider groups to addresses, which the evaluator cannot do`,
        worldOnly: true,
      });
    }
    if (!anyL3) return hasL4 ? { kind: 'any' } : { kind: 'none' };
    return { kind: 'list', selectors, cidrs, fqdns, opaque };
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

  private fqdn(f: any, path: string): FqdnPeer {
    const hasName = typeof f?.matchName === 'string' && f.matchName !== '';
    const hasPattern = typeof f?.matchPattern === 'string' && f.matchPattern !== '';
    if (hasName === hasPattern)
      throw new PolicyError(path, 'needs exactly one of matchName and matchPattern');
    const text: string = hasName ? f.matchName : f.matchPattern;
    if (text.length > MAX_FQDN_LENGTH)
      throw new PolicyError(path, `is longer than ${MAX_FQDN_LENGTH} characters`);
    if (hasName && !MATCH_NAME_RE.test(text))
      throw new PolicyError(`${path}.matchName`, `"${text}" has characters outside [-a-zA-Z0-9_.]`);
    if (hasPattern && !MATCH_PATTERN_RE.test(text))
      throw new PolicyError(`${path}.matchPattern`, `"${text}" has characters outside [-a-zA-Z0-9_.*]`);
    return hasName
      ? { text: `matchName ${text}`, matches: compileMatchName(text) }
      : { text: `matchPattern ${text}`, matches: compileMatchPattern(text) };
  }

  private compileL4(el: any, path: string, deny: boolean): L4Set | undefined {
    if (nonEmpty(el.icmps)) {
      const icmps: IcmpClause[] = [];
      el.icmps.forEach((rule: any, i: number) => {
        const fields = isList(rule?.fields) ? rule.fields : [];
        fields.forEach((f: any, j: number) => {
          const at = `${path}.icmps[${i}].fields[${j}]`;
          const family = f?.family ?? 'IPv4';
          if (family !== 'IPv4' && family !== 'IPv6')
            throw new PolicyError(`${at}.family`, `"${family}" is not IPv4 or IPv6`);
          // An integer above 255 passes the CRD (its pattern only applies to strings) and the agent; it matches no packet.
          const type =
            typeof f?.type === 'number' && Number.isInteger(f.type) && f.type > 255
              ? f.type
              : parseIcmpType(f?.type, family);
          if (type === undefined)
            throw new PolicyError(
              `${at}.type`,
              `ICMP type "${String(f?.type)}" is not a number 0-255 or an ${family} type name`,
            );
          icmps.push({ protocol: family === 'IPv4' ? 'ICMPv4' : 'ICMPv6', type });
        });
      });
      return { ports: [], icmps };
    }
    if (!nonEmpty(el.toPorts)) return undefined;
    const ports: PortClause[] = [];
    el.toPorts.forEach((tp: any, i: number) => {
      const at = `${path}.toPorts[${i}]`;
      const rules = deny ? undefined : tp?.rules;
      const l7Kinds =
        rules && typeof rules === 'object'
          ? ['http', 'kafka', 'dns', 'l7'].filter((k) => nonEmpty(rules[k]))
          : [];
      const l7 =
        l7Kinds.length > 0 ||
        (!deny && (nonEmpty(tp?.serverNames) || (tp?.listener !== undefined && tp?.listener !== null)));
      const list: unknown[] = isList(tp?.ports) ? tp.ports : [];
      list.forEach((pp: any, j: number) => {
        const pat = `${at}.ports[${j}]`;
        const proto = parsePolicyProtocol(pp?.protocol);
        if (typeof pp?.protocol === 'string' && pp.protocol !== '' && !ALL_PROTOCOLS.includes(pp.protocol)) {
          throw new PolicyError(
            `${pat}.protocol`,
            `protocol "${pp.protocol}" is not one of ${ALL_PROTOCOLS.join(', ')} (the CRD enum is case-sensitive)`,
          );
        }
        if (!proto)
          throw new PolicyError(
            `${pat}.protocol`,
            `protocol "${String(pp?.protocol)}" is not one of ${ALL_PROTOCOLS.join(', ')}`,
          );
        const rawPort = pp?.port === undefined || pp?.port === null ? '' : String(pp.port);
        const parsed = parsePort(rawPort);
        // sanitizeRule has rejected empty and unparsable ports, and non-zero ports of extended protocols.
        if (parsed.kind === 'empty' || parsed.kind === 'invalid')
          throw new PolicyError(`${pat}.port`, 'port must be specified');
        const endPort = typeof pp?.endPort === 'number' ? pp.endPort : undefined;
        if (endPort !== undefined && (endPort < 0 || endPort > 65535 || !Number.isInteger(endPort))) {
          throw new PolicyError(`${pat}.endPort`, `${endPort} is outside 0-65535`);
        }
        if (parsed.kind === 'name') {
          ports.push({ protocols: proto.protocols, low: 0, high: 0, name: parsed.name, l7 });
          return;
        }
        const port = parsed.value;
        if (port === 0) ports.push({ protocols: proto.protocols, low: 0, high: 65535, l7 });
        else
          ports.push({
            protocols: proto.protocols,
            low: port,
            high: endPort !== undefined && endPort > port ? endPort : port,
            l7,
          });
      });
    });
    return { ports, icmps: [] };
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
