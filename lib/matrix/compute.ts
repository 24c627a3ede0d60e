import { describeRule } from '../engine/describe';
import { PolicyEngine } from '../engine/engine';
import { Entry } from '../engine/model';
import { DirectionResult, FlowResult, RuleRef } from '../engine/types';
import { isCiliumPolicy, SourcedManifest } from '../manifest/types';
import { groupIdentities, MatrixIdentity } from './identities';
import { ConnectivityMatrix, MatrixCell, MatrixNode, MatrixOptions, MatrixPort } from './model';
import { discoverPolicyPeers } from './policy-peers';
import { matrixPort } from './ports';
import { policySubjectNodes } from './subjects';
import { compareIds, comparePorts, discoverWorkloads, sortPorts } from './workloads';

/**
 * Evaluates every (source, destination, port) of the discovered nodes with the engine.
 *
 * Ports per destination, unless `--ports` gives them: the container ports it declares, plus the
 * policy ports some rule decided a flow to it on, plus (for entities, CIDRs and FQDNs with
 * neither) a default port: 443/TCP for the outside, 6443/TCP for the apiserver, 10250/TCP
 * (kubelet) for nodes, 4240/TCP for cilium-health.
 */

const DEFAULT_PORTS: Readonly<Record<string, MatrixPort>> = {
  'entity:world': matrixPort('TCP', 443),
  'entity:kube-apiserver': matrixPort('TCP', 6443),
  'entity:host': matrixPort('TCP', 10250),
  'entity:remote-node': matrixPort('TCP', 10250),
  'entity:health': matrixPort('TCP', 4240),
  'entity:ingress': matrixPort('TCP', 443),
  'entity:init': matrixPort('TCP', 443),
  'entity:unmanaged': matrixPort('TCP', 443),
};
const OUTSIDE_DEFAULT = matrixPort('TCP', 443);

export interface MatrixInput {
  /** Manifests holding the policies (workloads among them are used too). */
  readonly policies: readonly SourcedManifest[];
  /** Further manifests holding workloads. */
  readonly workloads?: readonly SourcedManifest[];
  /**
   * Another revision's manifests (the other side of a diff): their workloads and the peers their
   * policies name become nodes here too, so two matrices have the same nodes. Their policies
   * decide nothing; a workload defined on both sides keeps this side's definition.
   */
  readonly alignWith?: readonly SourcedManifest[];
}

/** Ends that enforce policy: pods and the health, ingress and init endpoints (FlowPeer.managed). */
function isManaged(n: MatrixNode): boolean {
  if (n.kind === 'workload') return !n.hostNetwork;
  return n.kind === 'entity' && ['health', 'ingress', 'init'].includes(n.name);
}

/** Every specific port (and ICMP type) any policy names; ANY stands for TCP and UDP here. */
function policyPorts(engine: PolicyEngine): MatrixPort[] {
  const out: MatrixPort[] = [];
  for (const rule of engine.rules)
    for (const e of [...rule.entries.ingress, ...rule.entries.egress]) entryPorts(e, out);
  return sortPorts(out);
}

const NO_RULES: readonly RuleRef[] = [];

function refKey(r: RuleRef): string {
  return `${r.kind}|${r.namespace ?? ''}|${r.name}|${r.path}`;
}

function isDrop(d: DirectionResult): boolean {
  return d.decision === 'DENIED' || d.decision === 'DEFAULT_DENY';
}

/** The sides that made the verdict. */
function decidingSides(r: FlowResult): DirectionResult[] {
  const sides = [r.egress, r.ingress];
  switch (r.verdict) {
    case 'DROPPED':
      return sides.filter((s) => isDrop(s) && !s.audited);
    case 'AUDIT':
      return sides.filter((s) => isDrop(s));
    case 'UNDECIDED':
      return sides.filter((s) => s.decision === 'UNDECIDED');
    default:
      return sides.filter((s) => s.decision === 'ALLOWED');
  }
}

/** The specific ports (and ICMP types) one entry names; ANY stands for TCP and UDP here. */
function entryPorts(e: Entry, out: MatrixPort[]): void {
  for (const c of e.l4?.ports ?? []) {
    if (c.name !== undefined || (c.low === 0 && c.high === 65535) || c.low === 0) continue;
    const protocols = c.protocols.length >= 3 ? c.protocols.filter((p) => p !== 'SCTP') : c.protocols;
    for (const p of protocols) out.push(matrixPort(p, c.low));
  }
  for (const i of e.l4?.icmps ?? []) out.push(matrixPort(i.protocol, undefined, i.type));
}

/** Whether an entry's L4 part could match this port: the cheap pre-check before evaluating. */
function entryMayCover(e: Entry, port: MatrixPort): boolean {
  if (!e.l4) return false;
  if (port.icmpType !== undefined || port.protocol === 'ICMPv4' || port.protocol === 'ICMPv6') {
    return e.l4.icmps.length > 0 || e.l4.ports.some((c) => c.protocols.includes(port.protocol));
  }
  return e.l4.ports.some(
    (c) =>
      c.name !== undefined ||
      c.low === 0 ||
      (c.protocols.includes(port.protocol) &&
        port.port !== undefined &&
        c.low <= port.port &&
        port.port <= Math.max(c.low, c.high)),
  );
}

interface CellExplanation {
  readonly rules: readonly string[];
  readonly reason?: string;
  readonly policyInvolved: boolean;
  readonly peerNamed: boolean;
}

export function computeMatrix(
  input: MatrixInput,
  options: MatrixOptions = { engine: {} },
): ConnectivityMatrix {
  const policyManifests = input.policies.filter((s) => isCiliumPolicy(s.manifest));
  const engine = PolicyEngine.fromManifests(policyManifests, options.engine);
  const aligned = (input.alignWith ?? []).filter((s) => isCiliumPolicy(s.manifest));
  const discovered = discoverWorkloads([
    ...input.policies,
    ...(input.workloads ?? []),
    ...(input.alignWith ?? []),
  ]);
  // Both sides of a diff must see the same nodes: subjects come from both sides' policies, in one order.
  const subjectEngine = aligned.length
    ? PolicyEngine.fromManifests(inCanonicalOrder([...policyManifests, ...aligned]), options.engine)
    : engine;
  // A workload either side defines stands for its subject, so both sides add the same subject nodes.
  const definitions = input.alignWith?.length
    ? [...discovered, ...discoverWorkloads(input.alignWith ?? [])]
    : discovered;
  const workloads = [...discovered, ...policySubjectNodes(subjectEngine, definitions)].sort((a, b) =>
    compareIds(a.id, b.id),
  );
  const peers = discoverPolicyPeers([...policyManifests, ...aligned]);
  const nodes = [...workloads, ...peers.entities, ...peers.cidrs, ...peers.fqdns];
  const identities = groupIdentities(nodes);
  const identityOf = new Map<string, string>();
  for (const i of identities) for (const n of i.members) identityOf.set(n.id, i.id);

  const entries = new Map<string, Entry>();
  const entryByRef = new Map<RuleRef, Entry>();
  for (const rule of engine.rules) {
    for (const e of [...rule.entries.ingress, ...rule.entries.egress]) {
      entries.set(refKey(e.ref), e);
      entryByRef.set(e.ref, e);
    }
  }
  const entryOf = (r: RuleRef) => entryByRef.get(r) ?? entries.get(refKey(r));
  const namesPorts = (d: DirectionResult) =>
    (d.decision === 'ALLOWED' || d.decision === 'DENIED' || d.decision === 'UNDECIDED') &&
    d.rules.some((r) => {
      const l4 = entryOf(r)?.l4;
      return (
        !!l4 &&
        (l4.icmps.length > 0 ||
          l4.ports.some((c) => c.name !== undefined || !(c.low === 0 && c.high === 65535)))
      );
    });

  // A rule of this end names the other end as a peer (not just "any peer on these ports").
  const namesPeer = (d: DirectionResult) =>
    d.decision !== 'NOT_ENFORCED' &&
    d.decision !== 'DEFAULT_DENY' &&
    d.rules.some((r) => entryOf(r)?.peers.kind === 'list');

  const globalPorts = policyPorts(engine);
  const nodesOf = identities.map((i) => i.node);
  const sources = nodesOf.filter((n) => n.kind !== 'fqdn');
  const identityCells: MatrixCell[] = [];
  const portsByIdentity = new Map<string, readonly MatrixPort[]>();
  // Whether an end enforces a direction does not depend on the peer or port: probe with world.
  const world = { labels: ['reserved:world'] };
  const probe = { protocol: 'TCP' as const, port: 1 };
  const enforcedById = new Map(
    nodesOf.map((n) => [
      n.id,
      isManaged(n)
        ? {
            ingress:
              engine.evaluate({ source: world, destination: n.peer, ...probe }).ingress.decision !==
              'NOT_ENFORCED',
            egress:
              engine.evaluate({ source: n.peer, destination: world, ...probe }).egress.decision !==
              'NOT_ENFORCED',
          }
        : { ingress: false, egress: false },
    ]),
  );
  // Entries selecting each end that carry L4 ports: only they can make a policy port count.
  const l4Entries = (n: MatrixNode, direction: 'ingress' | 'egress') =>
    isManaged(n) ? engine.selectingEntries(n.peer, direction).filter((e) => !!e.l4) : [];
  const egressL4 = new Map(sources.map((n) => [n.id, l4Entries(n, 'egress')]));

  const ruleText = new Map<string, string>();
  const describe = (r: RuleRef) => {
    const k = refKey(r);
    let text = ruleText.get(k);
    if (text === undefined) ruleText.set(k, (text = describeRule(r)));
    return text;
  };
  // Cells with the same deciding rule lists and decisions share one explanation: the engine hands
  // out shared rule lists (default-deny sections, selections), so most cells cost a lookup.
  const explained = new Map<readonly RuleRef[], Map<readonly RuleRef[], Map<string, CellExplanation>>>();
  const build = (r: FlowResult): CellExplanation => {
    const deciding = decidingSides(r);
    const rules = [...new Set(deciding.flatMap((s) => s.rules.map(describe)))].sort(compareIds);
    return {
      rules,
      ...(r.verdict === 'UNDECIDED'
        ? { reason: [...new Set(deciding.flatMap((s) => s.notes))].join('; ') }
        : {}),
      policyInvolved: rules.length > 0,
      peerNamed: namesPeer(r.egress) || namesPeer(r.ingress),
    };
  };
  const explain = (r: FlowResult): CellExplanation => {
    if (r.verdict === 'UNDECIDED') return build(r); // its reason names the peer
    const e = r.egress.rules.length === 0 ? NO_RULES : r.egress.rules;
    const i = r.ingress.rules.length === 0 ? NO_RULES : r.ingress.rules;
    let byIngress = explained.get(e);
    if (!byIngress) explained.set(e, (byIngress = new Map()));
    let byShape = byIngress.get(i);
    if (!byShape) byIngress.set(i, (byShape = new Map()));
    const shape = `${r.verdict}|${r.egress.decision}|${r.egress.audited ? 1 : 0}|${r.ingress.decision}|${r.ingress.audited ? 1 : 0}`;
    let x = byShape.get(shape);
    if (!x) byShape.set(shape, (x = build(r)));
    return x;
  };
  const flowTo = (src: MatrixNode, dst: MatrixNode, port: MatrixPort) => ({
    source: src.peer,
    destination: dst.peer,
    protocol: port.protocol,
    ...(port.port !== undefined ? { port: port.port } : {}),
    ...(port.icmpType !== undefined ? { icmpType: port.icmpType } : {}),
  });

  // A cheap filter before evaluating: may this entry's peers match that node? (Not memoised: a
  // pair is asked about once per port, and a table of every pair would cost more than it saves.)
  const peerMayMatch = (e: Entry, n: MatrixNode) => engine.peerMayMatch(e, n.peer);
  const pairSourcesOf = (dst: MatrixNode) =>
    sources.filter(
      (src) => (isManaged(src) || isManaged(dst)) && !(src.id === dst.id && src.kind !== 'workload'),
    );

  for (const identity of identities) {
    const dst = identity.node;
    const fallback = dst.kind === 'workload' ? undefined : (DEFAULT_PORTS[dst.id] ?? OUTSIDE_DEFAULT);
    let kept: MatrixPort[];
    if (options.ports) {
      kept = sortPorts(options.ports);
    } else {
      // A policy port counts for this destination once some rule decides a flow to it on that port:
      // an ingress rule selecting it, or an egress rule of a source, whose L4 part covers the port
      // and whose peers may match the other end.
      const pairSources = pairSourcesOf(dst);
      const declared = new Set(dst.declaredPorts.map((p) => p.text));
      const ingressL4 = l4Entries(dst, 'ingress');
      const named = (port: MatrixPort) => {
        const ingressCover = ingressL4.filter((e) => entryMayCover(e, port));
        return pairSources.some((src) => {
          if (
            !ingressCover.some((e) => peerMayMatch(e, src)) &&
            !egressL4.get(src.id)!.some((e) => entryMayCover(e, port) && peerMayMatch(e, dst))
          )
            return false;
          const r = engine.evaluate(flowTo(src, dst, port));
          return namesPorts(r.egress) || namesPorts(r.ingress);
        });
      };
      kept = sortPorts([...dst.declaredPorts, ...globalPorts, ...(fallback ? [fallback] : [])]).filter(
        (p) => declared.has(p.text) || named(p),
      );
      if (kept.length === 0 && fallback) kept = [fallback];
    }
    const extra = identity.members.flatMap((n) => options.extraPorts?.get(n.id) ?? []);
    if (extra.length > 0) kept = sortPorts([...kept, ...extra]);
    portsByIdentity.set(identity.id, kept);
  }
  // Cells in output order (source, destination, port): nothing to sort.
  for (const src of sources) {
    for (const identity of identities) {
      const dst = identity.node;
      if (!(isManaged(src) || isManaged(dst)) || (src.id === dst.id && src.kind !== 'workload')) continue;
      for (const port of portsByIdentity.get(identity.id)!) {
        const r = engine.evaluate(flowTo(src, dst, port));
        identityCells.push({
          from: src.id,
          to: dst.id,
          port,
          verdict: r.verdict,
          egress: r.egress.decision,
          ingress: r.ingress.decision,
          ...explain(r),
        });
      }
    }
  }

  const byKind: Record<string, number> = {};
  for (const s of policyManifests) byKind[s.manifest.kind!] = (byKind[s.manifest.kind!] ?? 0) + 1;
  const portsByDestination = new Map(nodes.map((n) => [n.id, portsByIdentity.get(identityOf.get(n.id)!)!]));
  const enforced = new Map(nodes.map((n) => [n.id, enforcedById.get(identityOf.get(n.id)!)!]));
  return {
    nodes,
    identities,
    identityOf,
    identityCells,
    portsByDestination,
    portsByIdentity,
    get cells() {
      const cells = expandCells(identityCells, identities, nodes);
      Object.defineProperty(this, 'cells', { value: cells, enumerable: true });
      return cells;
    },
    policies: {
      total: policyManifests.length,
      byKind: Object.fromEntries(
        Object.keys(byKind)
          .sort()
          .map((k) => [k, byKind[k]]),
      ),
    },
    engineOptions: engine.options,
    portSource: options.ports ? 'option' : 'declared',
    fqdnExamples: peers.fqdnExamples,
    warnings: [...new Set([...engine.warnings, ...peers.warnings])].sort(compareIds),
    enforced,
  };
}

function inCanonicalOrder(policies: readonly SourcedManifest[]): SourcedManifest[] {
  const key = (s: SourcedManifest) =>
    `${s.manifest.kind}/${s.manifest.metadata?.namespace ?? ''}/${s.manifest.metadata?.name ?? ''}/${JSON.stringify(s.manifest)}`;
  return policies
    .map((s) => [key(s), s] as const)
    .sort((a, b) => compareIds(a[0], b[0]))
    .map(([, s]) => s);
}

/** Per-workload cells: each identity cell stands for every (member, member) pair of its ends. */
function expandCells(
  cells: readonly MatrixCell[],
  identities: readonly MatrixIdentity[],
  nodes: readonly MatrixNode[],
): readonly MatrixCell[] {
  if (identities.every((i) => i.members.length === 1)) return cells;
  const members = new Map(identities.map((i) => [i.id, i.members]));
  const order = new Map(nodes.map((n, i) => [n.id, i]));
  const out: MatrixCell[] = [];
  for (const c of cells) {
    for (const from of members.get(c.from)!)
      for (const to of members.get(c.to)!) out.push({ ...c, from: from.id, to: to.id });
  }
  return out.sort(
    (a, b) =>
      order.get(a.from)! - order.get(b.from)! ||
      order.get(a.to)! - order.get(b.to)! ||
      comparePorts(a.port, b.port),
  );
}
