import { describePort, describeRule } from '../engine/describe';
import { Direction, RuleRef } from '../engine/types';
import { K8S_NAMESPACE_KEY } from '../cilium/labels';
import { ReplayGroup } from '../replay/result';
import { invalidPeer, invalidSubject, observedDnsServers, peerOf, subjectKey, subjectOf } from './peers';
import { compareStrings } from '../util/order';

/** The endpoints a suggested policy applies to. */
export interface SuggestedSubject {
  /** A CCNP (for reserved endpoints such as `health`), else a CNP in `namespace`. */
  readonly clusterwide: boolean;
  readonly namespace?: string;
  /** endpointSelector.matchLabels (CNP: without the namespace, which the CNP implies). */
  readonly matchLabels: Readonly<Record<string, string>>;
  /** Short name for the policy name: the workload (`blog`) or entity (`health`). */
  readonly name: string;
}

export type SuggestedPeer =
  | { readonly kind: 'endpoints'; readonly matchLabels: Readonly<Record<string, string>> }
  | { readonly kind: 'entity'; readonly entity: string }
  | { readonly kind: 'fqdn'; readonly names: readonly string[] }
  | { readonly kind: 'cidr'; readonly cidrs: readonly string[] };

export interface SuggestedPort {
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  readonly port: number;
}

export interface SuggestedIcmp {
  readonly family: 'IPv4' | 'IPv6';
  readonly type: number;
}

/** The kube-dns pods a `toFQDNs` suggestion needs a `rules: dns` egress rule to. */
export interface DnsServer {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly port: number;
}

/** One allow: the subject may reach (egress) or be reached by (ingress) the peer on these ports. */
export interface SuggestedRule {
  readonly direction: Direction;
  readonly peer: SuggestedPeer;
  /** Short name of the peer (`monitoring-prometheus`, `github-com`). */
  readonly peerName: string;
  readonly ports: readonly SuggestedPort[];
  readonly icmps: readonly SuggestedIcmp[];
  /** Replay groups this rule allows. */
  readonly groups: readonly number[];
}

/**
 * The construct of this library whose policy selects the subject, to edit instead of adding a
 * policy (found through cdk8s's construct-metadata.json, see lib/suggest/targets.ts).
 */
export interface ConstructTarget {
  /** `IngressOnlyApp`, `FqdnEgress` or `CiliumPolicy`. */
  readonly construct: 'IngressOnlyApp' | 'FqdnEgress' | 'CiliumPolicy';
  /** The construct path (`homelab-policies/blog`). */
  readonly path: string;
  /** The prop (or method) that takes the rules: `additionalIngress`, `additionalEgress`, `addIngress()`, `addEgress()`. */
  readonly edit: 'additionalIngress' | 'additionalEgress' | 'addIngress' | 'addEgress';
  /** The policy the construct synthesizes. */
  readonly policy: RuleRef;
}

/** Looks up the construct to edit for a subject and direction among the rules that default-deny it. */
export interface TargetFinder {
  find(
    direction: Direction,
    defaultDenyRules: readonly RuleRef[],
    subject: SuggestedSubject,
  ): ConstructTarget | undefined;
}

/**
 * One change per subject (namespace + endpoint selector) and construct: all the subject's
 * dropped groups merged into rules, one rule per direction and peer.
 */
export interface SuggestedPolicy {
  /** The new policy's name (for an edit: the edited policy's name). */
  readonly name: string;
  readonly subject: SuggestedSubject;
  /** Ingress rules first, then egress; by peer. */
  readonly rules: readonly SuggestedRule[];
  /** Companion DNS rule (when an egress rule has an `fqdn` peer). */
  readonly dnsServer?: DnsServer;
  readonly description: string;
  /** Replay groups this change allows. */
  readonly groups: readonly number[];
  /** Caveats for the reviewer. */
  readonly notes: readonly string[];
  /** Edit this construct instead of adding a policy. */
  readonly target?: ConstructTarget;
}

/** A dropped group no added allow can fix (an explicit deny), or one with no subject to attach a policy to. */
export interface Unfixable {
  readonly group: ReplayGroup;
  readonly reason: string;
}

export interface SuggestionPlan {
  readonly policies: readonly SuggestedPolicy[];
  readonly unfixable: readonly Unfixable[];
}

const DEFAULT_DNS: DnsServer = {
  matchLabels: { [K8S_NAMESPACE_KEY]: 'kube-system', 'k8s:k8s-app': 'kube-dns' },
  port: 53,
};
const MAX_NAME = 63;

interface RuleDraft {
  direction: Direction;
  peer: SuggestedPeer;
  peerName: string;
  ports: Map<string, SuggestedPort>;
  icmps: Map<string, SuggestedIcmp>;
  groups: ReplayGroup[];
}

interface Draft {
  subject: SuggestedSubject;
  target?: ConstructTarget;
  rules: Map<string, RuleDraft>;
  notes: Set<string>;
}

/**
 * Proposes, for every group predicted DROPPED, the least-privilege allow at each end that
 * default-denies it: endpoint selectors (namespace-qualified) and entities rather than
 * addresses, DNS names rather than `world`, a /32 only when nothing else identifies the peer,
 * exact ports merged per peer, and the DNS rule `toFQDNs` needs. All the allows of one subject
 * make one change: an edit of the construct that made its policy when `targets` knows it, else
 * one new policy.
 */
export function planSuggestions(groups: readonly ReplayGroup[], targets?: TargetFinder): SuggestionPlan {
  const drafts = new Map<string, Draft>();
  const unfixable: Unfixable[] = [];
  const dnsServers = observedDnsServers(groups);
  for (const group of groups) {
    if (group.predicted.verdict !== 'DROPPED') continue;
    for (const direction of ['egress', 'ingress'] as const) {
      const problem = planDirection(drafts, group, direction, targets);
      if (problem) unfixable.push({ group, reason: problem });
    }
  }
  const usedNames = new Set<string>();
  const policies = [...drafts.values()]
    .map((d) => finish(d, dnsServers.get(subjectKey(d.subject)) ?? DEFAULT_DNS))
    .sort((a, b) =>
      compareStrings(`${a.subject.namespace ?? ''}/${a.name}`, `${b.subject.namespace ?? ''}/${b.name}`),
    )
    .map((p) => {
      if (p.target) return p;
      const scoped = (n: string) => `${p.subject.namespace ?? ''}/${n}`;
      let name = p.name;
      for (let i = 2; usedNames.has(scoped(name)); i++) name = `${p.name.slice(0, MAX_NAME - 3)}-${i}`;
      usedNames.add(scoped(name));
      return { ...p, name };
    });
  return { policies, unfixable };
}

/** Adds the allow one direction of a dropped group needs to its subject's draft; returns why it cannot, if so. */
function planDirection(
  drafts: Map<string, Draft>,
  group: ReplayGroup,
  direction: Direction,
  targets: TargetFinder | undefined,
): string | undefined {
  const side = group.predicted[direction];
  if (side.decision === 'DENIED')
    return `${direction} is denied by ${side.rules.map((r) => describeRule(r)).join(', ')}: deny rules win over any allow; change or remove the deny rule`;
  if (side.decision !== 'DEFAULT_DENY') return undefined;
  const subjectLabels = direction === 'egress' ? group.source.labels : group.destination.labels;
  const subject = subjectOf(subjectLabels);
  if (!subject)
    return `the ${direction === 'egress' ? 'source' : 'destination'} (${subjectLabels.join(', ')}) is neither a pod nor a reserved endpoint a policy can select`;
  const peerInfo = peerOf(group, direction);
  const invalid = invalidSubject(subject) ?? invalidPeer(peerInfo.peer);
  if (invalid)
    return `nothing is suggested from this flow: ${invalid}; Kubernetes would refuse such a policy (is the export corrupted or forged?)`;
  const target = targets?.find(direction, side.rules, subject);
  const key = `${subjectKey(subject)}|${target ? `${target.path}#${target.edit}` : ''}`;
  let draft = drafts.get(key);
  if (!draft) {
    draft = { subject, ...(target ? { target } : {}), rules: new Map(), notes: new Set() };
    drafts.set(key, draft);
  }
  const ruleKey = `${direction}|${JSON.stringify(peerInfo.peer)}`;
  let rule = draft.rules.get(ruleKey);
  if (!rule) {
    rule = {
      direction,
      peer: peerInfo.peer,
      peerName: peerInfo.name,
      ports: new Map(),
      icmps: new Map(),
      groups: [],
    };
    draft.rules.set(ruleKey, rule);
  }
  rule.groups.push(group);
  for (const n of peerInfo.notes) draft.notes.add(n);
  addPorts(rule, draft, group);
  return undefined;
}

function addPorts(rule: RuleDraft, draft: Draft, group: ReplayGroup): void {
  if (group.protocol === 'ICMPv4' || group.protocol === 'ICMPv6') {
    const icmp: SuggestedIcmp = {
      family: group.protocol === 'ICMPv4' ? 'IPv4' : 'IPv6',
      type: group.icmpType ?? 0,
    };
    rule.icmps.set(`${icmp.family}/${icmp.type}`, icmp);
  } else if (
    (group.protocol === 'TCP' || group.protocol === 'UDP' || group.protocol === 'SCTP') &&
    group.port !== undefined
  ) {
    rule.ports.set(`${group.protocol}/${group.port}`, { protocol: group.protocol, port: group.port });
  } else {
    draft.notes.add(`${group.protocol} has no port; the rule allows the peer on every port and protocol`);
  }
}

function finishRule(r: RuleDraft): SuggestedRule {
  return {
    direction: r.direction,
    peer: r.peer,
    peerName: r.peerName,
    ports: [...r.ports.values()].sort((a, b) => compareStrings(a.protocol, b.protocol) || a.port - b.port),
    icmps: [...r.icmps.values()].sort((a, b) => compareStrings(a.family, b.family) || a.type - b.type),
    groups: r.groups.map((g) => g.id).sort((a, b) => a - b),
  };
}

function finish(d: Draft, dns: DnsServer): SuggestedPolicy {
  const rules = [...d.rules.values()]
    .map((r) => ({ rule: finishRule(r), drafts: r }))
    .sort(
      (a, b) =>
        compareStrings(
          a.rule.direction === 'ingress' ? '0' : '1',
          b.rule.direction === 'ingress' ? '0' : '1',
        ) ||
        compareStrings(a.rule.peerName, b.rule.peerName) ||
        compareStrings(JSON.stringify(a.rule.peer), JSON.stringify(b.rule.peer)),
    );
  const groups = rules.flatMap((r) => r.drafts.groups).sort((a, b) => a.id - b.id);
  const connections = groups.reduce((n, g) => n + g.connections, 0);
  const times = groups
    .flatMap((g) => [g.firstSeen, g.lastSeen])
    .filter((t): t is string => !!t)
    .sort();
  const when = times.length ? `, ${times[0]} .. ${times[times.length - 1]}` : '';
  const what = rules
    .map(({ rule, drafts }) => {
      const g = drafts.groups[0];
      const peer = rule.direction === 'egress' ? `to ${g.destination.display}` : `from ${g.source.display}`;
      const ports = [...new Set(drafts.groups.map((x) => describePort(x)))].join(', ');
      return `${peer} on ${ports}`;
    })
    .join('; ');
  const only = rules.length === 1 ? rules[0].rule : undefined;
  const needsDns = rules.some((r) => r.rule.direction === 'egress' && r.rule.peer.kind === 'fqdn');
  return {
    name: d.target
      ? d.target.policy.name
      : only
        ? policyName(d.subject.name, only.direction, only.peerName)
        : policyName(d.subject.name, 'ingress', 'observed').replace(
            '-allow-from-observed',
            '-allow-observed',
          ),
    subject: d.subject,
    rules: rules.map((r) => r.rule),
    ...(needsDns ? { dnsServer: dns } : {}),
    description: `Allow ${what}: ${connections} connection${connections === 1 ? '' : 's'} observed${when} that enforcement would drop (suggested by cilium-lockdown suggest; review before applying)`,
    groups: groups.map((g) => g.id),
    notes: [...d.notes].sort(),
    ...(d.target ? { target: d.target } : {}),
  };
}

/** `<workload>-allow-from-<peer>` / `<workload>-allow-to-<peer>`, a valid object name of at most 63 characters. */
export function policyName(subject: string, direction: Direction, peer: string): string {
  const clean = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '');
  const name = `${clean(subject)}-allow-${direction === 'ingress' ? 'from' : 'to'}-${clean(peer)}`;
  return name.length <= MAX_NAME ? name : name.slice(0, MAX_NAME).replace(/-+$/, '');
}
