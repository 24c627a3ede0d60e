import { KubeManifest, SourcedManifest } from '../manifest/types';
import { AddressClasses } from './address-class';
import { compilePolicies } from './compile';
import { decide, notEnforced, withAudit } from './decide';
import { describePeer } from './describe';
import { Decisions, Identity, IdentityTable } from './identity';
import { MatchContext, NO, peerMatches } from './match';
import { CompiledRule, Entry } from './model';
import { SelectorRegistry } from './selector';
import { SelectorIndex } from './selector-index';
import { INDEX_ENTRIES_FROM, Selection, Selections } from './selection';
import { Direction, DirectionResult, EngineOptions, Flow, FlowPeer, FlowResult } from './types';
import { ALLOW_LOCALHOST_MODES, POLICY_ENFORCEMENT_MODES } from '../cilium/agent-settings';
import { FLOW_PROTOCOL_INDEX, isDrop, overallVerdict } from './verdict';

export { overallVerdict };

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
    { rules: readonly CompiledRule[]; index?: SelectorIndex }
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
    this.identities = new IdentityTable(this.options.clusterName);
  }

  /** Number of distinct identities seen so far. */
  get identityCount(): number {
    return this.identities.size;
  }

  /** The identity the engine decides a peer's flows for (interned by label list, as `evaluate` does). */
  identityOf(peer: FlowPeer): Identity {
    return this.identities.of(peer);
  }

  evaluate(flow: Flow): FlowResult {
    const src = this.identities.of(flow.source);
    const dst = this.identities.of(flow.destination);
    const egress = this.evaluateSide('egress', flow.source, src, flow.destination, dst, flow);
    const ingress = this.evaluateSide('ingress', flow.destination, dst, flow.source, src, flow);
    return { verdict: overallVerdict(egress, ingress), egress, ingress };
  }

  /**
   * A key equal for two addresses that every CIDR rule (prefixes and their `except`s) treats
   * alike: the CIDR identity Cilium gives them. Two flows that differ only in such addresses are
   * decided alike, though the notes of a decision may name the address it was asked about.
   */
  addressClass(ip: string): string {
    return (this.addressClasses ??= new AddressClasses(this.rules)).of(ip);
  }

  private addressClasses?: AddressClasses;

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
    const known = direction === 'ingress' ? id.ingress : id.egress;
    if (known) return known;
    const selecting: CompiledRule[] = [];
    for (const rule of this.subjectCandidates(id)) {
      if (rule.entries[direction].length > 0 && rule.subject.matches(id)) selecting.push(rule);
    }
    const sel = this.selections.of(selecting, direction);
    if (direction === 'ingress') id.ingress = sel;
    else id.egress = sel;
    return sel;
  }

  private readonly selections = new Selections();

  /** The rules whose subject may select `id`, in rule order. */
  private subjectCandidates(id: Identity): readonly CompiledRule[] {
    let slot = this.subjectIndex.get(id.namespace);
    if (!slot) {
      const rules =
        id.namespace !== undefined
          ? [...(this.cnpByNamespace.get(id.namespace) ?? []), ...this.clusterwide]
          : this.clusterwide;
      // A few rules are tested one by one.
      const index =
        rules.length < INDEX_ENTRIES_FROM
          ? undefined
          : new SelectorIndex(rules.length, (i) => [rules[i].subject]);
      slot = { rules, index };
      this.subjectIndex.set(id.namespace, slot);
    }
    const { rules, index } = slot;
    return index ? index.candidates(id).map((i) => rules[i]) : rules;
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
      return ((id.unmanaged ??= {})[direction] ??= notEnforced(
        `${describePeer({ labels: endpoint.labels })} is not a Cilium-managed endpoint, so it does not enforce ${direction}`,
      ));
    }
    const audited = endpoint.auditMode ?? opts.policyAuditMode;
    // The decision depends on the peer's identity and the port; on the peer's address and names
    // only for world (or, with cidrMatchNodes, node) peers and only when CIDR/FQDN rules select
    // this endpoint; named ports make a flow uncacheable.
    const sel = this.selection(id, direction);
    if (sel.usesNamedPorts && flow.destination.namedPorts !== undefined) {
      return withAudit(decide({ direction, id, peer, peerId, flow, sel, options: opts }), audited);
    }
    let key: number | string = this.decisionKey(peerId, flow);
    if (peerId.isWorld || (opts.cidrMatchNodes && peerId.isNode)) {
      const ip = sel.usesAddress ? (peer.ip ?? '') : '';
      const names = sel.usesNames && peer.dnsNames ? peer.dnsNames.join(',') : '';
      if (ip !== '' || names !== '') key = `${key}|${ip}|${names}`;
    }
    const cache =
      direction === 'ingress'
        ? (id.ingressDecisions ??= new Decisions())
        : (id.egressDecisions ??= new Decisions());
    let plain = cache.get(key);
    if (!plain) {
      if (++this.cachedDecisions > MAX_CACHED_DECISIONS) this.clearDecisionCache();
      plain = decide({ direction, id, peer, peerId, flow, sel, options: opts });
      cache.set(key, plain);
    }
    if (!audited || !isDrop(plain)) return plain;
    let result = this.audited.get(plain);
    if (!result) this.audited.set(plain, (result = withAudit(plain, true)));
    return result;
  }

  /** The audit-mode variant of each cached drop asked for in audit mode. */
  private audited = new Map<DirectionResult, DirectionResult>();

  private cachedDecisions = 0;
  /** Protocol and port (or ICMP type) of the flows decided, numbered (`decisionKey`). */
  private readonly portIds = new Map<number, number>();

  /**
   * The decision cache's key for a peer identity and port: a number below 2^30 (a small
   * integer, cheap to hash) while identities and ports are few enough, else a text.
   */
  private decisionKey(peerId: Identity, flow: Flow): number | string {
    const portKey = FLOW_PROTOCOL_INDEX[flow.protocol] * 0x20000 + (flow.port ?? flow.icmpType ?? 0x1ffff);
    let portId = this.portIds.get(portKey);
    if (portId === undefined && this.portIds.size < PORT_IDS)
      this.portIds.set(portKey, (portId = this.portIds.size));
    if (portId === undefined || peerId.num >= PEER_IDS) return `${peerId.num}:${portKey}`;
    return peerId.num * PORT_IDS + portId;
  }

  private clearDecisionCache(): void {
    this.cachedDecisions = 0;
    this.audited = new Map();
    this.identities.forEach((i) => {
      i.ingressDecisions = undefined;
      i.egressDecisions = undefined;
    });
  }
}

/** Bound on cached per-flow-shape decisions; the cache is dropped and refilled beyond it. */
const MAX_CACHED_DECISIONS = 1_000_000;
/** Ports and peer identities numbered in decision keys: PORT_IDS * PEER_IDS = 2^30. */
const PORT_IDS = 4096;
const PEER_IDS = 262144;

const NEVER_ENFORCED = notEnforced('policyEnforcementMode is never: nothing is enforced');
const HOST_INGRESS = notEnforced(
  'the host enforces ingress only with the host firewall (nodeSelector policies), which the evaluator does not model',
);
const HOST_EGRESS = notEnforced(
  'the host enforces egress only with the host firewall (nodeSelector policies), which the evaluator does not model',
);
