import { PolicyEngine } from '../engine/engine';
import { DirectionResult } from '../engine/types';
import { isCiliumPolicy, SourcedManifest } from '../manifest/types';
import { MatrixCells } from './cells';
import { endDefaults } from './defaults';
import { destinationPorts } from './destination-ports';
import { CellExplainer } from './explain-cell';
import { groupIdentities, MatrixIdentity } from './identities';
import { ConnectivityMatrix, EndDefault, MatrixCell, MatrixNode, MatrixOptions, MatrixPort } from './model';
import { decidedPairs } from './pairs';
import { MatrixPlan } from './plan';
import { discoverPolicyPeers, PolicyPeers } from './policy-peers';
import { policySubjectNodes } from './subjects';
import { compareIds, comparePorts, discoverWorkloads } from './workloads';

/**
 * The connectivity matrix: every (source, destination, port) of the discovered nodes, evaluated
 * once per identity. Only the pairs a rule of one end may decide are evaluated (pairs.ts); the
 * others get each end's default (defaults.ts), so a cluster whose pods are mostly default-deny
 * to each other costs what its policies name, not the square of its workloads.
 */

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

export function computeMatrix(
  input: MatrixInput,
  options: MatrixOptions = { engine: {} },
): ConnectivityMatrix {
  const policyManifests = input.policies.filter((s) => isCiliumPolicy(s.manifest));
  const engine = PolicyEngine.fromManifests(policyManifests, options.engine);
  const { nodes, peers } = matrixNodes(input, policyManifests, engine, options);
  const plan = new MatrixPlan(engine, groupIdentities(nodes));
  const explainer = new CellExplainer(engine);
  const pairs = decidedPairs(plan);
  const ports = destinationPorts(plan, pairs, explainer, options);
  const defaults = endDefaults(plan, pairs, ports);
  const cells = new MatrixCells(plan, pairs, ports, defaults, explainer);
  const describeDefault = (r: DirectionResult | undefined): EndDefault | undefined =>
    r && {
      decision: r.decision,
      audited: !!r.audited,
      rules: r.rules.map((ref) => explainer.describe(ref)).sort(compareIds),
    };
  return assemble({
    plan,
    nodes,
    peers,
    policyManifests,
    ports,
    cells,
    defaults: defaults.map((d) => ({ egress: describeDefault(d.egress), ingress: describeDefault(d.ingress) })),
    enforced: enforcedDirections(plan),
    portSource: options.ports ? 'option' : 'declared',
  });
}

/** The workloads (and policy subjects), then the entities, CIDRs and FQDNs policies name. */
function matrixNodes(
  input: MatrixInput,
  policyManifests: readonly SourcedManifest[],
  engine: PolicyEngine,
  options: MatrixOptions,
): { nodes: MatrixNode[]; peers: PolicyPeers } {
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
  return { nodes: [...workloads, ...peers.entities, ...peers.cidrs, ...peers.fqdns], peers };
}

/** Whether an end enforces a direction does not depend on the peer or port: probe with world. */
function enforcedDirections(plan: MatrixPlan): Array<{ ingress: boolean; egress: boolean }> {
  const world = { labels: ['reserved:world'] };
  const probe = { protocol: 'TCP' as const, port: 1 };
  const enforces = (r: DirectionResult) => r.decision !== 'NOT_ENFORCED';
  return plan.identities.map((_, i) => {
    if (!plan.managed[i]) return { ingress: false, egress: false };
    const n = plan.node(i);
    return {
      ingress: enforces(plan.engine.evaluate({ source: world, destination: n.peer, ...probe }).ingress),
      egress: enforces(plan.engine.evaluate({ source: n.peer, destination: world, ...probe }).egress),
    };
  });
}

interface Parts {
  readonly plan: MatrixPlan;
  readonly nodes: readonly MatrixNode[];
  readonly peers: PolicyPeers;
  readonly policyManifests: readonly SourcedManifest[];
  readonly ports: ReadonlyArray<readonly MatrixPort[]>;
  readonly cells: MatrixCells;
  readonly defaults: ReadonlyArray<{ egress?: EndDefault; ingress?: EndDefault }>;
  readonly enforced: ReadonlyArray<{ ingress: boolean; egress: boolean }>;
  readonly portSource: 'declared' | 'option';
}

/** The matrix object: per-identity facts keyed by id, the large cell lists built on first use. */
function assemble(p: Parts): ConnectivityMatrix {
  const { identities, engine } = p.plan;
  const identityOf = new Map<string, string>();
  for (const i of identities) for (const n of i.members) identityOf.set(n.id, i.id);
  const byIdentity = <T>(values: readonly T[]) => new Map(identities.map((i, k) => [i.id, values[k]]));
  const perNode = <T>(values: ReadonlyMap<string, T>) =>
    new Map(p.nodes.map((n) => [n.id, values.get(identityOf.get(n.id)!)!]));
  const portsByIdentity = byIdentity(p.ports);
  const { counts, passing } = p.cells.tally();
  const cache = new Map<string, readonly MatrixCell[]>();
  const once = (key: string, build: () => readonly MatrixCell[]) => {
    let v = cache.get(key);
    if (!v) cache.set(key, (v = build()));
    return v;
  };
  return {
    nodes: p.nodes,
    identities,
    identityOf,
    decidedCells: p.cells.decided,
    exceptionCells: p.cells.exceptions,
    defaults: byIdentity(p.defaults),
    everyIdentityCell: () => p.cells.every(),
    get identityCells() {
      return once('identity', () => [...p.cells.every()]);
    },
    get cells() {
      return once('cells', () => expandCells(this.identityCells, identities, p.nodes));
    },
    get decidedWorkloadCells() {
      return once('decided', () => expandCells(p.cells.decided, identities, p.nodes));
    },
    flowCounts: counts,
    passing,
    portsByDestination: perNode(portsByIdentity),
    portsByIdentity,
    policies: policyCounts(p.policyManifests),
    engineOptions: engine.options,
    portSource: p.portSource,
    fqdnExamples: p.peers.fqdnExamples,
    warnings: [...new Set([...engine.warnings, ...p.peers.warnings])].sort(compareIds),
    enforced: perNode(byIdentity(p.enforced)),
  };
}

function policyCounts(policies: readonly SourcedManifest[]): ConnectivityMatrix['policies'] {
  const byKind: Record<string, number> = {};
  for (const s of policies) byKind[s.manifest.kind!] = (byKind[s.manifest.kind!] ?? 0) + 1;
  return {
    total: policies.length,
    byKind: Object.fromEntries(
      Object.keys(byKind)
        .sort()
        .map((k) => [k, byKind[k]]),
    ),
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
