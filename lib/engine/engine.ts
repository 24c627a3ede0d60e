import { KubeManifest, SourcedManifest } from '../manifest/types';
import { compilePolicies } from './compile';
import { describePeer, describePort } from './describe';
import { Identity, IdentityTable } from './identity';
import { entryMatches, MatchContext, NO, peerMatches, UNKNOWN, YES_L7 } from './match';
import { CompiledRule, Entry } from './model';
import { SelectorRegistry } from './selector';
import { entrySelectors, SelectorIndex } from './selector-index';
import { Direction, DirectionResult, EngineOptions, Flow, FlowPeer, FlowResult, RuleRef } from './types';
import { ALLOW_LOCALHOST_MODES, POLICY_ENFORCEMENT_MODES } from '../cilium/agent-settings';
import { FLOW_PROTOCOL_INDEX, isDrop, overallVerdict } from './verdict';

export { overallVerdict };

/** Which entries of which rules select one identity in one direction. */
interface Selection {
  readonly denies: readonly Entry[];
  readonly allows: readonly Entry[];
  readonly hasEntries: boolean;
  /** Some selecting entry has default-deny (section 1.2). */
  readonly defaultDeny: boolean;
  /** The rule sections that made the direction default-deny. */
  readonly defaultDenyRefs: readonly RuleRef[];
  /** Some selecting egress allow carries a DNS L7 rule (section 4.3). */
  readonly dnsRule: boolean;
  /** Some entry has CIDR peers (the peer's address matters). */
  readonly usesAddress: boolean;
  /** Some entry has FQDN peers (the peer's DNS names matter). */
  readonly usesNames: boolean;
  /** Some entry has named ports (the destination's named ports matter). */
  readonly usesNamedPorts: boolean;
  /** Indexes of denies and allows by peer, built for long lists on first use. */
  denyIndex?: SelectorIndex;
  allowIndex?: SelectorIndex;
}

/** What the engine assumes for an option not given: the agent's own defaults. */
export const DEFAULT_ENGINE_OPTIONS: Readonly<Required<EngineOptions>> = {
  policyEnforcementMode: 'default',
  allowLocalhost: 'always',
  policyAuditMode: false,
  enableNonDefaultDenyPolicies: true,
  clusterName: 'default',
  cidrMatchNodes: false,
};

const VALID_OPTION_VALUES: Record<string, readonly unknown[]> = {
  policyEnforcementMode: POLICY_ENFORCEMENT_MODES,
  allowLocalhost: ALLOW_LOCALHOST_MODES,
};

/**
 * The offline policy evaluator: Cilium 1.20 semantics over CNP/CCNP manifests
 * (docs/cilium-semantics.md). Both ends decide: egress at the source,
 * ingress at the destination.
 */
export class PolicyEngine {
  static fromManifests(
    manifests: ReadonlyArray<KubeManifest | SourcedManifest>,
    options: EngineOptions = {},
  ): PolicyEngine {
    return new PolicyEngine(manifests, options);
  }

  readonly options: Required<EngineOptions>;
  /** Policies skipped or parts ignored, naming the policy, file and spec path. */
  readonly warnings: readonly string[];
  /** The compiled rules, in a deterministic order. */
  readonly rules: readonly CompiledRule[];
  private readonly cnpByNamespace = new Map<string, CompiledRule[]>();
  private readonly clusterwide: CompiledRule[] = [];
  /** The rules that may select a pod of a namespace (its CNPs, then the CCNPs), indexed by subject. */
  private readonly subjectIndex = new Map<
    string | undefined,
    { rules: readonly CompiledRule[]; index: SelectorIndex }
  >();
  private readonly identities: IdentityTable;

  private constructor(manifests: ReadonlyArray<KubeManifest | SourcedManifest>, options: EngineOptions) {
    const merged = { ...DEFAULT_ENGINE_OPTIONS };
    for (const [k, v] of Object.entries(options)) {
      if (v === undefined) continue;
      const allowed = VALID_OPTION_VALUES[k];
      if (allowed && !allowed.includes(v))
        throw new Error(`engine option ${k}: "${String(v)}" is not one of ${allowed.join(', ')}`);
      (merged as Record<string, unknown>)[k] = v;
    }
    this.options = Object.freeze(merged);
    const registry = new SelectorRegistry();
    const compiled = compilePolicies(
      manifests,
      {
        clusterName: this.options.clusterName,
        enableNonDefaultDenyPolicies: this.options.enableNonDefaultDenyPolicies,
      },
      registry,
    );
    this.rules = compiled.rules;
    this.warnings = compiled.warnings;
    for (const rule of this.rules) {
      if (rule.namespace === undefined) this.clusterwide.push(rule);
      else {
        const list = this.cnpByNamespace.get(rule.namespace);
        if (list) list.push(rule);
        else this.cnpByNamespace.set(rule.namespace, [rule]);
      }
    }
    this.identities = new IdentityTable(this.options.clusterName, registry.all.length);
  }

  /** Number of distinct identities seen so far. */
  get identityCount(): number {
    return this.identities.size;
  }

  evaluate(flow: Flow): FlowResult {
    const src = this.identities.of(flow.source);
    const dst = this.identities.of(flow.destination);
    const egress = this.evaluateSide('egress', flow.source, src, flow.destination, dst, flow);
    const ingress = this.evaluateSide('ingress', flow.destination, dst, flow.source, src, flow);
    return { verdict: overallVerdict(egress, ingress), egress, ingress };
  }

  /**
   * The entries of the rules that select this endpoint in one direction (deny entries first):
   * what could decide its flows there, e.g. to learn which ports its rules name.
   */
  selectingEntries(endpoint: FlowPeer, direction: Direction): readonly Entry[] {
    const sel = this.selection(this.identities.of(endpoint), direction);
    return [...sel.denies, ...sel.allows];
  }

  /**
   * Whether an entry's peers may match this peer (a definite no is NO): a cheap filter before
   * evaluating flows to or from it.
   */
  peerMayMatch(entry: Entry, peer: FlowPeer): boolean {
    const ctx: MatchContext = {
      flow: { source: peer, destination: peer, protocol: 'TCP' },
      peer,
      peerId: this.identities.of(peer),
      cidrMatchNodes: this.options.cidrMatchNodes,
    };
    return peerMatches(entry.peers, ctx, false) !== NO;
  }

  private selection(id: Identity, direction: Direction): Selection {
    const cached = id.selections[direction] as Selection | undefined;
    if (cached) return cached;
    const candidates = this.subjectCandidates(id);
    const denies: Entry[] = [];
    const allows: Entry[] = [];
    const refs: RuleRef[] = [];
    let defaultDeny = false;
    let dnsRule = false;
    for (const rule of candidates) {
      const entries = rule.entries[direction];
      if (entries.length === 0 || !rule.subject.matches(id)) continue;
      for (const e of entries) {
        (e.deny ? denies : allows).push(e);
        if (e.dnsRule) dnsRule = true;
      }
      if (rule.defaultDeny[direction]) {
        defaultDeny = true;
        for (const path of rule.sections[direction]) {
          refs.push({
            kind: rule.source.kind,
            ...(rule.namespace ? { namespace: rule.namespace } : {}),
            name: rule.source.name,
            path,
          });
        }
      }
    }
    const sel: Selection = {
      denies,
      allows,
      hasEntries: denies.length + allows.length > 0,
      defaultDeny,
      defaultDenyRefs: refs,
      dnsRule,
      usesAddress: [...denies, ...allows].some((e) => e.peers.kind === 'list' && e.peers.cidrs.length > 0),
      usesNames: allows.some((e) => e.peers.kind === 'list' && e.peers.fqdns.length > 0),
      usesNamedPorts: [...denies, ...allows].some((e) => e.l4?.ports.some((p) => p.name !== undefined)),
    };
    id.selections[direction] = sel;
    return sel;
  }

  /** The rules whose subject may select `id`, in rule order. */
  private subjectCandidates(id: Identity): CompiledRule[] {
    let slot = this.subjectIndex.get(id.namespace);
    if (!slot) {
      const rules =
        id.namespace !== undefined
          ? [...(this.cnpByNamespace.get(id.namespace) ?? []), ...this.clusterwide]
          : this.clusterwide;
      slot = { rules, index: new SelectorIndex(rules.length, (i) => [rules[i].subject]) };
      this.subjectIndex.set(id.namespace, slot);
    }
    const { rules, index } = slot;
    return index.candidates(id).map((i) => rules[i]);
  }

  private evaluateSide(
    direction: Direction,
    endpoint: FlowPeer,
    id: Identity,
    peer: FlowPeer,
    peerId: Identity,
    flow: Flow,
  ): DirectionResult {
    const opts = this.options;
    if (opts.policyEnforcementMode === 'never') return NEVER_ENFORCED;
    if (id.isHost) return direction === 'ingress' ? HOST_INGRESS : HOST_EGRESS;
    if (!(endpoint.managed ?? id.managedByDefault)) {
      return (id.unmanaged[direction] ??= notEnforced(
        `${describePeer({ labels: endpoint.labels })} is not a Cilium-managed endpoint, so it does not enforce ${direction}`,
      )) as DirectionResult;
    }
    const audited = endpoint.auditMode ?? opts.policyAuditMode;
    // The decision depends on the peer's identity and the port; on the peer's address and names
    // only for world (or, with cidrMatchNodes, node) peers and only when CIDR/FQDN rules select
    // this endpoint; named ports make a flow uncacheable.
    const sel = this.selection(id, direction);
    if (sel.usesNamedPorts && flow.destination.namedPorts !== undefined) {
      return withAudit(this.decide(direction, id, peer, peerId, flow), audited);
    }
    const portKey = FLOW_PROTOCOL_INDEX[flow.protocol] * 0x20000 + (flow.port ?? flow.icmpType ?? 0x1ffff);
    let key: number | string = peerId.num * 0x100000 + portKey;
    if (peerId.isWorld || (opts.cidrMatchNodes && peerId.isNode)) {
      const ip = sel.usesAddress ? (peer.ip ?? '') : '';
      const names = sel.usesNames && peer.dnsNames ? peer.dnsNames.join(',') : '';
      if (ip !== '' || names !== '') key = `${key}|${ip}|${names}`;
    }
    const cache = (id.decisions[direction] ??= new Map<number | string, unknown>());
    let cached = cache.get(key) as CachedDecision | undefined;
    if (!cached) {
      if (++this.cachedDecisions > MAX_CACHED_DECISIONS) this.clearDecisionCache();
      cached = { plain: this.decide(direction, id, peer, peerId, flow) };
      cache.set(key, cached);
    }
    if (!audited || !isDrop(cached.plain)) return cached.plain;
    return (cached.audited ??= withAudit(cached.plain, true));
  }

  private cachedDecisions = 0;

  private clearDecisionCache(): void {
    this.cachedDecisions = 0;
    this.identities.forEach((i) => {
      i.decisions.ingress = undefined;
      i.decisions.egress = undefined;
    });
  }

  /** The decision of one enforcing, managed endpoint, before audit mode. */
  private decide(
    direction: Direction,
    id: Identity,
    peer: FlowPeer,
    peerId: Identity,
    flow: Flow,
  ): DirectionResult {
    const opts = this.options;
    const endpointName = () =>
      describePeer({ labels: (direction === 'egress' ? flow.source : flow.destination).labels });
    const sel = this.selection(id, direction);
    // Notes only name what the decision cache keys on (see evaluateSide).
    const peerName = () =>
      describePeer({
        labels: peer.labels,
        ...(sel.usesAddress && peer.ip !== undefined ? { ip: peer.ip } : {}),
        ...(sel.usesNames && peer.dnsNames !== undefined ? { dnsNames: peer.dnsNames } : {}),
      });
    const defaultDeny = opts.policyEnforcementMode === 'always' || id.isInit || sel.defaultDeny;
    if (!sel.hasEntries && !defaultDeny)
      return notEnforced(`no policy selects ${endpointName()} for ${direction}`);

    const ctx: MatchContext = { flow, peer, peerId, cidrMatchNodes: opts.cidrMatchNodes };
    const denied: RuleRef[] = [];
    let denyUnknown: Entry[] | undefined;
    for (const e of candidateEntries(sel, 'denies', peerId)) {
      const r = entryMatches(e, ctx, false);
      if (r === NO) continue;
      if (r === UNKNOWN) (denyUnknown ??= []).push(e);
      else denied.push(e.ref);
    }
    if (denied.length > 0) {
      return drop('DENIED', denied, [`denied: a deny rule matches ${peerName()} on ${describePort(flow)}`]);
    }
    const allowed: RuleRef[] = [];
    let allL7 = true;
    let fqdnAllow = false;
    let allowUnknown: Entry[] | undefined;
    for (const e of candidateEntries(sel, 'allows', peerId)) {
      const r = entryMatches(e, ctx, false);
      if (r === NO) continue;
      if (r === UNKNOWN) {
        (allowUnknown ??= []).push(e);
        continue;
      }
      allowed.push(e.ref);
      if (r !== YES_L7) allL7 = false;
      if (e.peers.kind === 'list' && e.peers.fqdns.length > 0) fqdnAllow = true;
    }
    const notes: string[] = [];
    let decision: 'ALLOWED' | 'UNDECIDED' | 'DEFAULT_DENY';
    let l7 = false;
    if (allowed.length > 0) {
      decision = 'ALLOWED';
      if (defaultDeny && allL7) {
        l7 = true;
        notes.push('allowed at L3/L4, L7 rules apply');
      } else if (!defaultDeny) {
        notes.push(
          `no selecting rule makes ${direction} default-deny, so Cilium also adds an allow-all (and L7 rules do not deny)`,
        );
      }
      if (fqdnAllow && !sel.dnsRule) {
        notes.push(
          'no DNS L7 rule (rules.dns) selects this endpoint, so Cilium may never learn the IPs of these names (section 4.3)',
        );
      }
    } else if (!defaultDeny) {
      decision = 'ALLOWED';
      notes.push(
        `no selecting rule makes ${direction} default-deny (enableDefaultDeny: false), so Cilium adds an allow-all at the lowest tier`,
      );
    } else if (
      direction === 'ingress' &&
      opts.allowLocalhost === 'always' &&
      peerId.isHost &&
      sel.hasEntries
    ) {
      decision = 'ALLOWED';
      notes.push(
        'allowed from the local host: allow-localhost=always adds a lowest-tier allow from reserved:host',
      );
    } else if (allowUnknown) {
      decision = 'UNDECIDED';
    } else {
      decision = 'DEFAULT_DENY';
    }
    if (allowUnknown && decision === 'UNDECIDED') notes.push(...this.reasons(allowUnknown, ctx, 'allow'));
    if (denyUnknown && decision !== 'DEFAULT_DENY') {
      decision = 'UNDECIDED';
      notes.unshift(...this.reasons(denyUnknown, ctx, 'deny'));
      l7 = false;
    }
    if (decision === 'DEFAULT_DENY') {
      const why = sel.defaultDeny
        ? []
        : opts.policyEnforcementMode === 'always'
          ? ['policyEnforcementMode is always: every endpoint is default-deny']
          : ['endpoints with reserved:init are always default-deny'];
      if (direction === 'ingress' && peerId.isHost && opts.allowLocalhost === 'always' && !sel.hasEntries) {
        why.push(
          'the local host is only auto-allowed when ingress rules select the endpoint (cilium/cilium#48444)',
        );
      }
      return drop('DEFAULT_DENY', sel.defaultDenyRefs, [
        ...why,
        `no rule allows ${peerName()} on ${describePort(flow)}`,
      ]);
    }
    if (decision === 'UNDECIDED')
      return { decision, rules: [...(allowUnknown ?? []), ...(denyUnknown ?? [])].map((e) => e.ref), notes };
    return { decision, rules: allowed, ...(l7 ? { l7 } : {}), notes };
  }

  private reasons(entries: readonly Entry[], base: MatchContext, kind: 'allow' | 'deny'): string[] {
    const out: string[] = [];
    for (const e of entries) {
      const ctx: MatchContext = { ...base, reasons: [] };
      entryMatches(e, ctx, true);
      for (const r of ctx.reasons ?? []) {
        const text = `${kind} ${e.ref.path} of ${e.ref.namespace ? `${e.ref.namespace}/` : ''}${e.ref.name}: ${r}`;
        if (!out.includes(text)) out.push(text);
      }
    }
    return out;
  }
}

/** Entries shorter than this are tested one by one; longer lists are indexed by peer. */
const INDEX_ENTRIES_FROM = 16;

/** The entries of a selection that may match the peer, in order (the others match no flow from it). */
function candidateEntries(sel: Selection, list: 'denies' | 'allows', peerId: Identity): readonly Entry[] {
  const entries = sel[list];
  if (entries.length < INDEX_ENTRIES_FROM) return entries;
  const key = list === 'denies' ? 'denyIndex' : 'allowIndex';
  const index = (sel[key] ??= new SelectorIndex(entries.length, (i) => entrySelectors(entries[i])));
  return index.candidates(peerId).map((i) => entries[i]);
}

function notEnforced(note: string): DirectionResult {
  return { decision: 'NOT_ENFORCED', rules: [], notes: [note] };
}

function drop(
  decision: 'DENIED' | 'DEFAULT_DENY',
  rules: readonly RuleRef[],
  notes: string[],
): DirectionResult {
  return { decision, rules, notes };
}

/** Audit mode turns this side's drop into a forward reported as AUDIT (section 6). */
function withAudit(r: DirectionResult, audited: boolean): DirectionResult {
  if (!audited || !isDrop(r)) return r;
  return { ...r, audited: true, notes: [...r.notes, 'audit mode: reported as AUDIT and forwarded'] };
}

interface CachedDecision {
  readonly plain: DirectionResult;
  audited?: DirectionResult;
}

/** Bound on cached per-flow-shape decisions; the cache is dropped and refilled beyond it. */
const MAX_CACHED_DECISIONS = 1_000_000;

const NEVER_ENFORCED = notEnforced('policyEnforcementMode is never: nothing is enforced');
const HOST_INGRESS = notEnforced(
  'the host enforces ingress only with the host firewall (nodeSelector policies), which the evaluator does not model',
);
const HOST_EGRESS = notEnforced(
  'the host enforces egress only with the host firewall (nodeSelector policies), which the evaluator does not model',
);
