import { describePeer, describePort } from './describe';
import { Identity } from './identity';
import { entryMatches, MatchContext, NO, UNKNOWN, YES_L7 } from './match';
import { Entry } from './model';
import { candidateEntries, Selection } from './selection';
import { Direction, DirectionResult, EngineOptions, Flow, FlowPeer, RuleRef } from './types';
import { isDrop } from './verdict';

/**
 * How one enforcing, managed endpoint decides a flow in one direction (docs/cilium-semantics.md,
 * "The model in brief"): deny rules first, then allows, then default deny.
 */
export interface DecisionInput {
  readonly direction: Direction;
  /** The enforcing endpoint's identity. */
  readonly id: Identity;
  readonly peer: FlowPeer;
  readonly peerId: Identity;
  readonly flow: Flow;
  /** The entries selecting the endpoint in this direction. */
  readonly sel: Selection;
  readonly options: Required<EngineOptions>;
}

/** The entries of one list that matched, could not be decided offline, and what the matches carry. */
interface Matches {
  readonly matched: readonly RuleRef[];
  readonly unknown?: readonly Entry[];
  /** Every match allows at L3/L4 only with L7 rules still to apply. */
  readonly allL7: boolean;
  /** Some match names the peer by FQDN. */
  readonly byFqdn: boolean;
}

type Outcome = { decision: 'ALLOWED' | 'UNDECIDED' | 'DEFAULT_DENY'; l7: boolean; notes: string[] };

/** The decision of one enforcing, managed endpoint, before audit mode. */
export function decide(d: DecisionInput): DirectionResult {
  const defaultDeny = d.options.policyEnforcementMode === 'always' || d.id.isInit || d.sel.defaultDeny;
  if (!d.sel.hasEntries && !defaultDeny)
    return notEnforced(`no policy selects ${endpointName(d)} for ${d.direction}`);
  const ctx: MatchContext = {
    flow: d.flow,
    peer: d.peer,
    peerId: d.peerId,
    cidrMatchNodes: d.options.cidrMatchNodes,
  };
  const denies = matchList(d, 'denies', ctx);
  if (denies.matched.length > 0) {
    return drop('DENIED', denies.matched, [
      `denied: a deny rule matches ${peerName(d)} on ${describePort(d.flow)}`,
    ]);
  }
  const allows = matchList(d, 'allows', ctx);
  const outcome = allowOutcome(d, defaultDeny, allows);
  if (allows.unknown && outcome.decision === 'UNDECIDED')
    outcome.notes.push(...undecidedReasons(allows.unknown, ctx, 'allow'));
  if (denies.unknown && outcome.decision !== 'DEFAULT_DENY') {
    outcome.decision = 'UNDECIDED';
    outcome.notes.unshift(...undecidedReasons(denies.unknown, ctx, 'deny'));
    outcome.l7 = false;
  }
  if (outcome.decision === 'DEFAULT_DENY') return defaultDenyResult(d);
  if (outcome.decision === 'UNDECIDED') {
    const undecided = [...(allows.unknown ?? []), ...(denies.unknown ?? [])].map((e) => e.ref);
    return { decision: 'UNDECIDED', rules: undecided, notes: exact(outcome.notes) };
  }
  // (Properties added in order: no spread followed by more properties.)
  const allowed = { decision: 'ALLOWED', rules: allows.matched } as {
    decision: 'ALLOWED';
    rules: readonly RuleRef[];
    l7?: boolean;
    notes: string[];
  };
  if (outcome.l7) allowed.l7 = true;
  allowed.notes = exact(outcome.notes);
  return allowed;
}

/**
 * A copy of a list of its own size: decisions are cached for the run, and a list grown by `push`
 * keeps room for 17 items.
 */
function exact<T>(list: T[]): T[] {
  return list.length === 0 ? [] : list.slice();
}

/** What a list matches when no entry of it matches (nor may): most lists, most of the time. */
const NO_MATCHES: Matches = { matched: [], allL7: true, byFqdn: false };

function matchList(d: DecisionInput, list: 'denies' | 'allows', ctx: MatchContext): Matches {
  let matched: RuleRef[] | undefined;
  let unknown: Entry[] | undefined;
  let allL7 = true;
  let byFqdn = false;
  for (const e of candidateEntries(d.sel, list, d.peerId)) {
    const r = entryMatches(e, ctx, false);
    if (r === NO) continue;
    if (r === UNKNOWN) {
      (unknown ??= []).push(e);
      continue;
    }
    if (matched) matched.push(e.ref);
    else matched = [e.ref];
    if (r !== YES_L7) allL7 = false;
    if (e.peers.kind === 'list' && e.peers.fqdns.length > 0) byFqdn = true;
  }
  if (!matched && !unknown) return NO_MATCHES;
  // (A list of one is made to size; a longer one grew by `push`.)
  const kept = matched === undefined ? [] : matched.length === 1 ? matched : exact(matched);
  return { matched: kept, unknown, allL7, byFqdn };
}

/** What the allows (or their absence) decide, before undecided denies are folded in. */
function allowOutcome(d: DecisionInput, defaultDeny: boolean, allows: Matches): Outcome {
  if (allows.matched.length > 0) return allowedByRules(d, defaultDeny, allows);
  if (!defaultDeny) {
    const note = `no selecting rule makes ${d.direction} default-deny (enableDefaultDeny: false), so Cilium adds an allow-all at the lowest tier`;
    return { decision: 'ALLOWED', l7: false, notes: [note] };
  }
  if (hostAllowedByLocalhost(d) && d.sel.hasEntries) {
    const note =
      'allowed from the local host: allow-localhost=always adds a lowest-tier allow from reserved:host';
    return { decision: 'ALLOWED', l7: false, notes: [note] };
  }
  return { decision: allows.unknown ? 'UNDECIDED' : 'DEFAULT_DENY', l7: false, notes: [] };
}

function allowedByRules(d: DecisionInput, defaultDeny: boolean, allows: Matches): Outcome {
  const notes: string[] = [];
  const l7 = defaultDeny && allows.allL7;
  if (l7) notes.push('allowed at L3/L4, L7 rules apply');
  else if (!defaultDeny) {
    notes.push(
      `no selecting rule makes ${d.direction} default-deny, so Cilium also adds an allow-all (and L7 rules do not deny)`,
    );
  }
  if (allows.byFqdn && !d.sel.dnsRule) {
    notes.push(
      'no DNS L7 rule (rules.dns) selects this endpoint, so Cilium may never learn the IPs of these names (docs/cilium-semantics.md, "The DNS rule")',
    );
  }
  return { decision: 'ALLOWED', l7, notes };
}

/** allow-localhost=always: ingress from the local host is allowed at the lowest tier. */
function hostAllowedByLocalhost(d: DecisionInput): boolean {
  return d.direction === 'ingress' && d.options.allowLocalhost === 'always' && d.peerId.isHost;
}

function defaultDenyResult(d: DecisionInput): DirectionResult {
  const why = d.sel.defaultDeny
    ? []
    : d.options.policyEnforcementMode === 'always'
      ? ['policyEnforcementMode is always: every endpoint is default-deny']
      : ['endpoints with reserved:init are always default-deny'];
  if (hostAllowedByLocalhost(d) && !d.sel.hasEntries) {
    why.push(
      'the local host is only auto-allowed when ingress rules select the endpoint (cilium/cilium#48444)',
    );
  }
  const last = `no rule allows ${peerName(d)} on ${describePort(d.flow)}`;
  // (Most have only the last note: a list of one, not one grown by `push`.)
  return drop('DEFAULT_DENY', d.sel.defaultDenyRefs, why.length === 0 ? [last] : [...why, last]);
}

/** Why entries could not be decided offline, one line per reason. */
function undecidedReasons(entries: readonly Entry[], base: MatchContext, kind: 'allow' | 'deny'): string[] {
  const out: string[] = [];
  for (const e of entries) {
    const ctx: MatchContext = Object.assign({}, base, { reasons: [] });
    entryMatches(e, ctx, true);
    for (const r of ctx.reasons ?? []) {
      const text = `${kind} ${e.ref.path} of ${e.ref.namespace ? `${e.ref.namespace}/` : ''}${e.ref.name}: ${r}`;
      if (!out.includes(text)) out.push(text);
    }
  }
  return out;
}

function endpointName(d: DecisionInput): string {
  return describePeer({ labels: (d.direction === 'egress' ? d.flow.source : d.flow.destination).labels });
}

/** The peer as notes name it: only what the decision cache keys on (see PolicyEngine.evaluateSide). */
function peerName(d: DecisionInput): string {
  const { peer, sel } = d;
  const named: { labels: readonly string[]; ip?: string; dnsNames?: readonly string[] } = {
    labels: peer.labels,
  };
  if (sel.usesAddress && peer.ip !== undefined) named.ip = peer.ip;
  if (sel.usesNames && peer.dnsNames !== undefined) named.dnsNames = peer.dnsNames;
  return describePeer(named);
}

export function notEnforced(note: string): DirectionResult {
  return { decision: 'NOT_ENFORCED', rules: [], notes: [note] };
}

function drop(
  decision: 'DENIED' | 'DEFAULT_DENY',
  rules: readonly RuleRef[],
  notes: string[],
): DirectionResult {
  return { decision, rules, notes };
}

/** Audit mode turns this side's drop into a forward reported as AUDIT (docs/cilium-semantics.md). */
export function withAudit(r: DirectionResult, audited: boolean): DirectionResult {
  if (!audited || !isDrop(r)) return r;
  return Object.assign({}, r, {
    audited: true,
    notes: [...r.notes, 'audit mode: reported as AUDIT and forwarded'],
  });
}
