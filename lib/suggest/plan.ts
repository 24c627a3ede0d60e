import { describePort, describeRule } from '../engine/describe';
import { Direction } from '../engine/types';
import { K8S_NAMESPACE_KEY as NAMESPACE_KEY, parseLabel } from '../cilium/labels';
import { entityOf, isAddressOnly, namespaceOf, workloadLabels, workloadName } from '../replay/identity';
import { ReplayGroup } from '../replay/replay';

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

/** One policy to add: the subject may reach (egress) or be reached by (ingress) the peer on these ports. */
export interface SuggestedPolicy {
  readonly name: string;
  readonly subject: SuggestedSubject;
  readonly direction: Direction;
  readonly peer: SuggestedPeer;
  readonly ports: readonly SuggestedPort[];
  readonly icmps: readonly SuggestedIcmp[];
  /** Companion DNS rule (for `fqdn` peers). */
  readonly dnsServer?: DnsServer;
  readonly description: string;
  /** Replay groups this policy allows. */
  readonly groups: readonly number[];
  /** Caveats for the reviewer. */
  readonly notes: readonly string[];
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

const DEFAULT_DNS: DnsServer = { matchLabels: { [NAMESPACE_KEY]: 'kube-system', 'k8s:k8s-app': 'kube-dns' }, port: 53 };
const MAX_NAME = 63;

interface Draft {
  subject: SuggestedSubject;
  direction: Direction;
  peer: SuggestedPeer;
  peerName: string;
  ports: Map<string, SuggestedPort>;
  icmps: Map<string, SuggestedIcmp>;
  groups: ReplayGroup[];
  notes: Set<string>;
}

/**
 * Proposes, for every group predicted DROPPED, the least-privilege allow at each end that
 * default-denies it: endpoint selectors (namespace-qualified) and entities rather than
 * addresses, DNS names rather than `world`, a /32 only when nothing else identifies the peer,
 * exact ports merged per peer, and the DNS rule `toFQDNs` needs.
 */
export function planSuggestions(groups: readonly ReplayGroup[]): SuggestionPlan {
  const drafts = new Map<string, Draft>();
  const unfixable: Unfixable[] = [];
  const dnsServers = observedDnsServers(groups);
  for (const group of groups) {
    if (group.predicted.verdict !== 'DROPPED') continue;
    for (const direction of ['egress', 'ingress'] as const) {
      const side = group.predicted[direction];
      if (side.decision === 'DENIED') {
        unfixable.push({
          group,
          reason: `${direction} is denied by ${side.rules.map((r) => describeRule(r)).join(', ')}: deny rules win over any allow; change or remove the deny rule`,
        });
        continue;
      }
      if (side.decision !== 'DEFAULT_DENY') continue;
      const subjectLabels = direction === 'egress' ? group.source.labels : group.destination.labels;
      const subject = subjectOf(subjectLabels);
      if (!subject) {
        unfixable.push({ group, reason: `the ${direction === 'egress' ? 'source' : 'destination'} (${subjectLabels.join(', ')}) is neither a pod nor a reserved endpoint a policy can select` });
        continue;
      }
      const peerInfo = peerOf(group, direction);
      const key = `${direction}|${subjectKey(subject)}|${JSON.stringify(peerInfo.peer)}`;
      let draft = drafts.get(key);
      if (!draft) {
        draft = { subject, direction, peer: peerInfo.peer, peerName: peerInfo.name, ports: new Map(), icmps: new Map(), groups: [], notes: new Set() };
        drafts.set(key, draft);
      }
      draft.groups.push(group);
      for (const n of peerInfo.notes) draft.notes.add(n);
      if (group.protocol === 'ICMPv4' || group.protocol === 'ICMPv6') {
        const icmp: SuggestedIcmp = { family: group.protocol === 'ICMPv4' ? 'IPv4' : 'IPv6', type: group.icmpType ?? 0 };
        draft.icmps.set(`${icmp.family}/${icmp.type}`, icmp);
      } else if ((group.protocol === 'TCP' || group.protocol === 'UDP' || group.protocol === 'SCTP') && group.port !== undefined) {
        draft.ports.set(`${group.protocol}/${group.port}`, { protocol: group.protocol, port: group.port });
      } else {
        draft.notes.add(`${group.protocol} has no port; the rule allows the peer on every port and protocol`);
      }
    }
  }
  const usedNames = new Set<string>();
  const policies = [...drafts.values()]
    .map((d) => finish(d, dnsServers.get(subjectKey(d.subject)) ?? DEFAULT_DNS))
    .sort((a, b) => compare(`${a.subject.namespace ?? ''}/${a.name}`, `${b.subject.namespace ?? ''}/${b.name}`))
    .map((p) => {
      const scoped = (n: string) => `${p.subject.namespace ?? ''}/${n}`;
      let name = p.name;
      for (let i = 2; usedNames.has(scoped(name)); i++) name = `${p.name.slice(0, MAX_NAME - 3)}-${i}`;
      usedNames.add(scoped(name));
      return { ...p, name };
    });
  return { policies, unfixable };
}

function subjectOf(labels: readonly string[]): SuggestedSubject | undefined {
  const namespace = namespaceOf(labels);
  if (namespace !== undefined) {
    return { clusterwide: false, namespace, matchLabels: workloadLabels(labels), name: workloadName(labels) };
  }
  const entity = entityOf(labels);
  if (!entity || entity === 'world' || entity === 'host' || entity === 'remote-node' || entity === 'kube-apiserver') return undefined;
  const reserved = labels.filter((l) => l.startsWith('reserved:')).map((l) => parseLabel(l));
  return { clusterwide: true, matchLabels: Object.fromEntries(reserved.map((l) => [`reserved:${l.key}`, ''])), name: entity };
}

function subjectKey(s: SuggestedSubject): string {
  return `${s.clusterwide}|${s.namespace ?? ''}|${JSON.stringify(s.matchLabels)}`;
}

function peerOf(group: ReplayGroup, direction: Direction): { peer: SuggestedPeer; name: string; notes: string[] } {
  const end = direction === 'egress' ? group.destination : group.source;
  const ns = namespaceOf(end.labels);
  if (ns !== undefined) {
    const labels = Object.fromEntries(Object.entries(workloadLabels(end.labels)).map(([k, v]) => [k, v]));
    const subjectNs = namespaceOf(direction === 'egress' ? group.source.labels : group.destination.labels);
    const wl = workloadName(end.labels);
    return { peer: { kind: 'endpoints', matchLabels: { [NAMESPACE_KEY]: ns, ...labels } }, name: ns === subjectNs || ns === wl ? wl : `${ns}-${wl}`, notes: [] };
  }
  if (direction === 'egress' && end.dnsNames?.length) {
    const names = [...end.dnsNames].map((n) => n.replace(/\.$/, '')).sort();
    return {
      peer: { kind: 'fqdn', names },
      name: names[0] + (names.length > 1 ? `-and-${names.length - 1}-more` : ''),
      notes: names.length > 1 ? [`Hubble associated several names with the address (${names.join(', ')}); keep only the ones the workload really resolves`] : [],
    };
  }
  if (isAddressOnly(end.labels)) {
    const ips = direction === 'egress'
      ? (end.ip ? [end.ip] : group.moreDestinationIps ? [] : group.destinationIps)
      : (group.moreSourceIps ? [] : group.sourceIps);
    if (ips.length) {
      const cidrs = ips.map((ip) => (ip.includes(':') ? `${ip}/128` : `${ip}/32`));
      return {
        peer: { kind: 'cidr', cidrs },
        name: ips.length === 1 ? ips[0].replace(/[.:]/g, '-') : 'cidrs',
        notes: ['no DNS name or identity is known for this peer, so it is allowed by address; prefer toFQDNs if it has a stable name'],
      };
    }
    return { peer: { kind: 'entity', entity: 'world' }, name: 'world', notes: ['too many distinct addresses were seen to list them; this allows the whole internet on these ports, narrow it down'] };
  }
  const entity = entityOf(end.labels);
  if (entity) {
    const notes = entity === 'host' && direction === 'ingress'
      ? ['traffic from the node itself (kubelet probes); needed when allow-localhost is `policy` or a deny rule covers the host'] : [];
    return { peer: { kind: 'entity', entity }, name: entity, notes };
  }
  const labels = Object.fromEntries(end.labels.map((l) => {
    const p = parseLabel(l);
    return [p.source === 'unspec' ? p.key : `${p.source}:${p.key}`, p.value];
  }));
  return { peer: { kind: 'endpoints', matchLabels: labels }, name: 'endpoint', notes: ['the peer is not a pod; it is selected by all its identity labels'] };
}

/** The DNS server each subject was seen querying (port 53 to a pod), so the DNS rule names the real one. */
function observedDnsServers(groups: readonly ReplayGroup[]): Map<string, DnsServer> {
  const out = new Map<string, DnsServer>();
  for (const g of groups) {
    if (g.port !== 53 || namespaceOf(g.destination.labels) === undefined) continue;
    const subject = subjectOf(g.source.labels);
    if (!subject || out.has(subjectKey(subject))) continue;
    const labels = Object.fromEntries(Object.entries(workloadLabels(g.destination.labels)).map(([k, v]) => [`k8s:${k}`, v]));
    out.set(subjectKey(subject), { matchLabels: { [NAMESPACE_KEY]: namespaceOf(g.destination.labels)!, ...labels }, port: 53 });
  }
  return out;
}

function finish(d: Draft, dns: DnsServer): Omit<SuggestedPolicy, 'name'> & { name: string } {
  const ports = [...d.ports.values()].sort((a, b) => compare(a.protocol, b.protocol) || a.port - b.port);
  const icmps = [...d.icmps.values()].sort((a, b) => compare(a.family, b.family) || a.type - b.type);
  const groups = [...d.groups].sort((a, b) => a.id - b.id);
  const connections = groups.reduce((n, g) => n + g.connections, 0);
  const times = groups.flatMap((g) => [g.firstSeen, g.lastSeen]).filter((t): t is string => !!t).sort();
  const portText = [...groups.map((g) => describePort(g))].filter((v, i, a) => a.indexOf(v) === i).join(', ');
  const peerText = d.direction === 'egress' ? `to ${groups[0].destination.display}` : `from ${groups[0].source.display}`;
  const when = times.length ? `, ${times[0]} .. ${times[times.length - 1]}` : '';
  return {
    name: policyName(d.subject.name, d.direction, d.peerName),
    subject: d.subject,
    direction: d.direction,
    peer: d.peer,
    ports,
    icmps,
    ...(d.peer.kind === 'fqdn' ? { dnsServer: dns } : {}),
    description: `Allow ${peerText} on ${portText}: ${connections} connection${connections === 1 ? '' : 's'} observed${when} that enforcement would drop (suggested by cilium-lockdown suggest; review before applying)`,
    groups: groups.map((g) => g.id),
    notes: [...d.notes].sort(),
  };
}

/** `<workload>-allow-from-<peer>` / `<workload>-allow-to-<peer>`, a valid object name of at most 63 characters. */
export function policyName(subject: string, direction: Direction, peer: string): string {
  const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  const name = `${clean(subject)}-allow-${direction === 'ingress' ? 'from' : 'to'}-${clean(peer)}`;
  return name.length <= MAX_NAME ? name : name.slice(0, MAX_NAME).replace(/-+$/, '');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
