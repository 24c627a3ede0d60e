import { IConstruct } from 'constructs';
import { PolicyEngine } from '../engine/engine';
import { describePort } from '../engine/describe';
import { DirectionResult, Flow, FlowPeer, FlowProtocol, NamedPort, RuleRef } from '../engine/types';
import { isCiliumPolicy, KubeManifest } from '../manifest/types';
import { Port } from '../policy/port';
import {
  perSynth,
  perSynthOf,
  renderedObjects,
  sharingSanitizeOfThisSynth,
  trackSynthPasses,
} from '../policy/synth-pass';
import { AppRegistry, DeclaredConnection } from './app-registry';
import { ConnectionEnd } from './connection-end';
import { tsPort } from './typescript';
import { describeObject } from '../manifest/object-ref';

/**
 * Verifies every declared connection of an app at synth, with enforcement on: the app's whole set
 * of policies (every chart, hand-written and included CNP/CCNP too) goes through the evaluator
 * once, and each declared connection is one flow per port. A connection either side drops fails
 * the synth at the construct that declared it, with the policy that drops it and the fix.
 */
export function declareConnection(
  scope: IConstruct,
  connection: Omit<DeclaredConnection, 'declaredBy'>,
): void {
  const registry = AppRegistry.of(scope);
  if (!registry.verifierInstalled) {
    registry.verifierInstalled = true;
    trackSynthPasses(registry.root);
    // The root validates first (cdk8s walks the tree in pre-order): evaluate once, then each
    // declaring construct reports its own failures under its own path.
    registry.root.node.addValidation({
      validate: () => {
        const { problems, skipped } = verification(registry);
        for (const failing of problems.keys()) reportAtDeclaringConstruct(registry, failing);
        // Never green on doubt: a policy the evaluator could not read may drop a declared connection.
        return skipped.map(
          (w) => `the declared connections cannot be verified: ${w}. Fix: correct that policy`,
        );
      },
    });
  }
  registry.connections.push(Object.assign({}, connection, { declaredBy: scope }));
}

/**
 * Gives a declaring construct whose connections fail the validation that reports them, from the
 * root's validation of the same pass (cdk8s validates the root, then the rest in pre-order). The
 * others carry none: cdk8s validates the whole app once per chart it writes, and thousands of
 * constructs each answering "nothing" made every chart's pass grow with the app.
 */
function reportAtDeclaringConstruct(registry: AppRegistry, scope: IConstruct): void {
  if (VALIDATED.has(scope)) return;
  VALIDATED.add(scope);
  scope.node.addValidation({
    validate: perSynthOf(registry.root, () => verification(registry).problems.get(scope) ?? []),
  });
}

const VALIDATED = new WeakSet<IConstruct>();

function verification(registry: AppRegistry): ReturnType<typeof verifyAll> {
  return perSynth(registry.root, 'declared-connections', () =>
    sharingSanitizeOfThisSynth(registry.root, () => verifyAll(registry)),
  );
}

function verifyAll(registry: AppRegistry): { problems: Map<IConstruct, string[]>; skipped: string[] } {
  const policies: KubeManifest[] = [];
  const pathOf = new Map<string, IConstruct>();
  for (const { object: o, manifest } of renderedObjects(registry.root)) {
    if (!o.kind.startsWith('Cilium') || !o.apiVersion.startsWith('cilium.io/')) continue;
    if (!isCiliumPolicy(manifest)) continue;
    policies.push(manifest);
    // A library policy's object is its `Resource` child: name the construct the user wrote.
    pathOf.set(
      refKey(manifest.kind!, manifest.metadata?.namespace, manifest.metadata?.name ?? ''),
      o.node.id === 'Resource' && o.node.scope ? o.node.scope : o,
    );
  }
  const engine = PolicyEngine.fromManifests(policies);
  const out = new Map<IConstruct, string[]>();
  const facts = endFacts(engine);
  for (const c of registry.connections) {
    const problems = verifyOne(engine, c, pathOf, facts);
    if (problems.length === 0) continue;
    const list = out.get(c.declaredBy);
    if (list) list.push(...problems);
    else out.set(c.declaredBy, problems);
  }
  return { problems: out, skipped: engine.warnings.filter((w) => w.endsWith('policy skipped')) };
}

/** What verification reads of a connection end. */
interface EndFacts {
  readonly peer: FlowPeer;
  readonly selectsNothing: boolean;
  describe(): string;
}

/**
 * The facts of each end, read once per verification: many connections share an end (every app
 * behind one ingress controller), and an end does not change during one synth.
 */
function endFacts(engine: PolicyEngine): (end: ConnectionEnd) => EndFacts {
  const memo = new Map<ConnectionEnd, EndFacts>();
  return (end) => {
    let facts = memo.get(end);
    if (!facts) {
      let description: string | undefined;
      const peer = end._flowPeer();
      facts = {
        peer,
        selectsNothing: end._selectsNothing(() => engine.identityOf(peer)),
        describe: () => (description ??= end.describe()),
      };
      memo.set(end, facts);
    }
    return facts;
  };
}

function verifyOne(
  engine: PolicyEngine,
  c: DeclaredConnection,
  pathOf: ReadonlyMap<string, IConstruct>,
  facts: (end: ConnectionEnd) => EndFacts,
): string[] {
  const fromFacts = facts(c.from);
  const toFacts = facts(c.to);
  const from = (): string => fromFacts.describe();
  const to = (): string => toFacts.describe();
  const source = fromFacts.peer;
  const namedPorts = withStandIns(c.to, c.ports);
  const destination = namedPorts.length ? Object.assign({}, toFacts.peer, { namedPorts }) : toFacts.peer;
  const problems: string[] = [];
  if (fromFacts.selectsNothing || toFacts.selectsNothing) {
    const empty = [c.from, c.to].filter((e) => facts(e).selectsNothing);
    return [
      `declared connection ${from()} -> ${to()} can never happen: ${empty.map((e) => e.typescript()).join(' and ')} selects no pod ` +
        '(its label requirements contradict each other). Fix: correct the selector',
    ];
  }
  for (const port of c.ports) {
    const flows = flowPortsOf(port, namedPorts);
    if (typeof flows === 'string') {
      problems.push(`declared connection ${from()} -> ${to()} on ${tsPort(port)} cannot work: ${flows}`);
      continue;
    }
    for (const fp of flows) {
      const flow: Flow = { source, destination, ...fp };
      const result = engine.evaluate(flow);
      if (result.verdict === 'FORWARDED') continue;
      const what = `declared connection ${from()} -> ${to()} on ${typeof port.port === 'string' ? `the named port ${port.port} (${describePort(flow)})` : describePort(flow)}`;
      const sides = [
        side('egress', `the source ${from()}`, result.egress, c, pathOf),
        side('ingress', `the destination ${to()}`, result.ingress, c, pathOf),
      ].filter((s): s is string => s !== undefined);
      problems.push(
        `${what} would be ${result.verdict === 'UNDECIDED' ? 'undecided (it cannot be proven to work)' : 'dropped'} once enforced: ${sides.join('; ')}`,
      );
      break;
    }
  }
  return problems;
}

/** First port number used for a named port the destination's manifest does not show (a selector, not a workload). */
const STAND_IN_PORT = 61000;

/**
 * Named ports resolve against the destination's container ports. When the destination is given
 * as a selector, its pods are assumed to declare the names the connection uses, each on its own
 * stand-in number: the rules are then checked by name, as Cilium resolves them.
 */
export function withStandIns(destination: ConnectionEnd, ports: Port[]): NamedPort[] {
  const out = [...(destination._namedPorts ?? [])];
  // A workload's manifest shows its container ports: a name it lacks is a real mistake.
  if (destination.workload) return out;
  for (const p of ports) {
    if (typeof p.port !== 'string') continue;
    const name = p.port.toLowerCase();
    if (out.some((n) => n.name === name)) continue;
    out.push({ name, port: STAND_IN_PORT + out.length, protocol: p.protocol === 'ANY' ? 'TCP' : p.protocol });
  }
  return out;
}

function side(
  direction: 'egress' | 'ingress',
  who: string,
  r: DirectionResult,
  c: DeclaredConnection,
  pathOf: ReadonlyMap<string, IConstruct>,
): string | undefined {
  if (r.decision === 'ALLOWED' || r.decision === 'NOT_ENFORCED') return undefined;
  const rules = r.rules.map((ref) => describeRef(ref, pathOf)).join(', ');
  if (r.decision === 'UNDECIDED') return `${direction} at ${who} is undecided (${r.notes.join('; ')})`;
  if (r.decision === 'DENIED') {
    return `${direction} at ${who} is DENIED by ${rules}. Fix: a deny beats every allow; narrow or remove that deny rule`;
  }
  const fix = c.fix?.[direction]?.() ?? defaultFix(direction, c);
  return `${direction} at ${who} is default-deny (made so by ${rules || 'the enforcement mode'}) and no rule allows it. Fix: ${fix}`;
}

/** A `Connection` writing the missing side: the narrowest rule, never a cluster-wide one. */
function defaultFix(direction: 'egress' | 'ingress', c: DeclaredConnection): string {
  const ports = c.ports.map(tsPort).join(', ');
  const id = `${shortName(c.from.describe())}-to-${shortName(c.to.describe())}`;
  return (
    `new Connection(this, '${id}', { from: ${c.from.typescript()}, to: ${c.to.typescript()}, ports: [${ports}], ` +
    `${direction === 'egress' ? 'allowAtSource' : 'allowAtDestination'}: true })`
  );
}

function shortName(endpoint: string): string {
  const name =
    endpoint
      .replace(/^[a-z]+:/, '')
      .split(/[/,=]/)
      .filter(Boolean)
      .pop() ?? 'peer';
  return name.replace(/[^a-z0-9-]/gi, '-').toLowerCase();
}

function describeRef(ref: RuleRef, pathOf: ReadonlyMap<string, IConstruct>): string {
  const path = pathOf.get(refKey(ref.kind, ref.namespace, ref.name))?.node.path;
  return `${describeObject(ref)} at ${ref.path}${path ? ` (construct ${path})` : ''}`;
}

function refKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

type FlowPort = { protocol: FlowProtocol; port?: number };

/** The flows that stand for one declared port (both ends of a range, TCP and UDP for ANY). */
export function flowPortsOf(
  port: Port,
  namedPorts: readonly { name: string; port: number; protocol: string }[] | undefined,
): FlowPort[] | string {
  // (A Service's port reads the Service at each access: once each here.)
  const protocol = port.protocol;
  const number = port.port;
  if (typeof number === 'string') {
    const named = namedPorts?.find((p) => p.name === number.toLowerCase());
    if (!named)
      return `no container of the destination workload declares a port named ${number}, so the rule allows nothing; name the container port or give the number`;
    return [{ protocol: named.protocol as FlowProtocol, port: named.port }];
  }
  const endPort = port.endPort;
  const protocols: readonly FlowProtocol[] = protocol === 'ANY' ? TCP_AND_UDP : [protocol];
  const out: FlowPort[] = [];
  for (const p of protocols) {
    if (number === 0) out.push({ protocol: p, port: 1 }, { protocol: p, port: 65535 });
    else if (endPort !== undefined) out.push({ protocol: p, port: number }, { protocol: p, port: endPort });
    else out.push({ protocol: p, port: number });
  }
  return out;
}

const TCP_AND_UDP: readonly FlowProtocol[] = ['TCP', 'UDP'];
