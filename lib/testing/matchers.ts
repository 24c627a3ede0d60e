import { IConstruct } from 'constructs';
import { PolicyEngine } from '../engine/engine';
import { explainFlow } from '../engine/explain';
import { parsePeer, parseFlowPort } from '../engine/peer-syntax';
import { EngineOptions, Flow, FlowPeer, FlowResult } from '../engine/types';
import { unselectedPodHint } from '../engine/subject-hint';
import { NAMESPACE_KEY, parseLabel } from '../cilium/labels';
import { namespaceLabels } from '../manifest/namespace-labels';
import { KubeManifest } from '../manifest/types';
import { workloadPeer } from '../matrix/workloads';
import { atConstruct } from '../policy/errors';
import { isConstruct, synthesizedWorkload } from '../policy/synthesized';
import { EndpointSelector } from '../policy/selector';
import { tsEntity, tsSelector } from '../patterns/typescript';
import { AppRegistry } from '../patterns/app-registry';
import { flowPortsOf, withStandIns } from '../patterns/verify-connections';

/**
 * One end of a flow in a test: endpoint syntax (`traefik/app=x`, `entity:host`, `fqdn:api.github.com`),
 * an engine peer, or a workload construct (a cdk8s-plus Deployment of any version, an ApiObject ...).
 */
export type FlowEnd = string | FlowPeer | IConstruct;

export interface FlowExpectation {
  readonly from: FlowEnd;
  readonly to: FlowEnd;
  /** `80`, `'80/TCP'`, `'53/UDP'`, `'icmp'`. */
  readonly port: number | string;
  /** Agent settings to evaluate under. @default - Cilium's defaults, enforcement on, no audit mode */
  readonly options?: EngineOptions;
}

const engines = new WeakMap<object, Map<string, PolicyEngine>>();

/** The engine for a manifest list, built once per list and options (tests often ask many flows). */
function engineFor(manifests: readonly KubeManifest[], options: EngineOptions = {}): PolicyEngine {
  let byOptions = engines.get(manifests);
  if (!byOptions) engines.set(manifests, (byOptions = new Map()));
  const key = JSON.stringify(options);
  let engine = byOptions.get(key);
  if (!engine) byOptions.set(key, (engine = PolicyEngine.fromManifests(manifests, options)));
  return engine;
}

/**
 * The flow peer of a test's flow end. A workload construct gets the identity the matrix gives it:
 * its pod labels through Cilium's label filter, its namespace with the labels of the Namespace
 * among `manifests`, and its service account.
 */
export function toFlowPeer(end: FlowEnd, manifests: readonly KubeManifest[] = []): FlowPeer {
  if (typeof end === 'string') return parsePeer(end);
  if (isConstruct(end)) {
    const workload = atConstruct(end, () => synthesizedWorkload(end));
    return workloadPeer(workload, namespaceLabelsIn(manifests).get(workload.namespace));
  }
  return end;
}

const namespaceLabelCache = new WeakMap<readonly KubeManifest[], Map<string, Record<string, string>>>();

function namespaceLabelsIn(manifests: readonly KubeManifest[]): Map<string, Record<string, string>> {
  let labels = namespaceLabelCache.get(manifests);
  if (!labels) namespaceLabelCache.set(manifests, (labels = namespaceLabels(manifests)));
  return labels;
}

/** Evaluates one expected flow against manifests (e.g. `Testing.synth(chart)`). */
export function evaluateExpectation(
  manifests: readonly KubeManifest[],
  expectation: FlowExpectation,
): { flow: Flow; result: FlowResult; hints: string[] } {
  const port = parseFlowPort(String(expectation.port));
  const flow: Flow = {
    source: toFlowPeer(expectation.from, manifests),
    destination: toFlowPeer(expectation.to, manifests),
    ...port,
  };
  const engine = engineFor(manifests, expectation.options);
  const result = engine.evaluate(flow);
  const hints: string[] = [];
  // A hand-written endpoint that no policy of its namespace selects: say so rather than propose a fix.
  if (result.verdict !== 'FORWARDED') {
    for (const [end, peer] of [
      [expectation.from, flow.source],
      [expectation.to, flow.destination],
    ] as const) {
      const hint = typeof end === 'string' ? unselectedPodHint(engine, peer, end) : undefined;
      if (hint) hints.push(hint);
    }
  }
  return { flow, result, hints };
}

function report(
  flow: Flow,
  result: FlowResult,
  hints: readonly string[],
  ends: readonly [FlowEnd, FlowEnd],
): string {
  const e = explainFlow(flow, result);
  return [
    `${e.from} -> ${e.to} on ${e.port}: ${e.verdict}`,
    `  ${e.egress.summary}`,
    `  ${e.ingress.summary}`,
    ...hints.map((h) => `  warning: ${h}`),
    ...(hints.length
      ? []
      : [e.egress, e.ingress].filter((d) => d.fix).map((d) => fixText(flow, d.direction, d.fix!, ends))),
  ].join('\n');
}

/**
 * The rule that would allow the flow. Never into a cluster-wide policy: that would open the pod
 * for every endpoint the CCNP selects. For pods, the fix is this library's `Connection`.
 */
function fixText(
  flow: Flow,
  direction: 'egress' | 'ingress',
  fix: { target: string; yaml: string },
  ends: readonly [FlowEnd, FlowEnd],
): string {
  const endpoint = direction === 'egress' ? flow.source : flow.destination;
  // A workload is known by its own selector, not by every label of its pod template.
  const tsOf = (end: FlowEnd, peer: FlowPeer) =>
    isConstruct(end)
      ? tsSelector(EndpointSelector.of(end).withDefaultNamespace(podNamespace(peer)))
      : tsEnd(peer);
  const from = tsOf(ends[0], flow.source);
  const to = tsOf(ends[1], flow.destination);
  const own = podNamespace(endpoint);
  if (own === undefined || from === undefined || to === undefined)
    return `  to allow it, add to ${fix.target}:\n${indent(fix.yaml, 4)}`;
  const port = flow.port === undefined ? undefined : `Port.${flow.protocol.toLowerCase()}(${flow.port})`;
  if (!port || !['TCP', 'UDP', 'SCTP'].includes(flow.protocol))
    return `  to allow it, add to a CiliumNetworkPolicy in namespace ${own}:\n${indent(fix.yaml, 4)}`;
  return (
    `  to allow it (${direction} at ${direction === 'egress' ? 'the source' : 'the destination'}, never in a cluster-wide policy):\n` +
    `    new Connection(this, 'connection', { from: ${from}, to: ${to}, ports: [${port}], ${direction === 'egress' ? 'allowAtSource' : 'allowAtDestination'}: true })`
  );
}

function podNamespace(peer: FlowPeer): string | undefined {
  return peer.labels
    .find((l) => l.startsWith(`k8s:${NAMESPACE_KEY}=`))
    ?.slice(`k8s:${NAMESPACE_KEY}=`.length);
}

/** A flow end as this library's TypeScript: a pod selector with its namespace, an entity, a name or an address. */
function tsEnd(peer: FlowPeer): string | undefined {
  const ns = podNamespace(peer);
  if (ns !== undefined) {
    const labels: Record<string, string> = {};
    for (const l of peer.labels) {
      const { source, key, value } = parseLabel(l);
      if (
        source !== 'k8s' ||
        key === NAMESPACE_KEY ||
        key.startsWith('io.cilium.k8s.') ||
        key.startsWith('io.kubernetes.')
      )
        continue;
      labels[key] = value;
    }
    return tsSelector(EndpointSelector.labels(labels, { namespace: ns }));
  }
  if (peer.dnsNames?.length) return `Fqdn.name(${JSON.stringify(peer.dnsNames[0].replace(/\.$/, ''))})`;
  if (peer.ip)
    return `ConnectionEnd.cidr(${JSON.stringify(`${peer.ip}/${peer.ip.includes(':') ? 128 : 32}`)})`;
  const reserved = peer.labels
    .filter((l) => l.startsWith('reserved:'))
    .map((l) => l.slice('reserved:'.length));
  const entity = ['kube-apiserver', 'host', 'remote-node', 'health', 'ingress', 'world'].find((e) =>
    reserved.includes(e),
  );
  return entity ? tsEntity(entity) : undefined;
}

/**
 * The connections the constructs of an app declare (the ones verified at synth), one expectation
 * per port: `for (const f of declaredFlows(app)) expect(manifests).toAllowFlow(f)`.
 */
export function declaredFlows(scope: IConstruct): FlowExpectation[] {
  const out: FlowExpectation[] = [];
  for (const c of AppRegistry.of(scope).connections) {
    const source = c.from._flowPeer();
    const namedPorts = withStandIns(c.to, c.ports);
    const destination = { ...c.to._flowPeer(), ...(namedPorts.length ? { namedPorts } : {}) };
    for (const port of c.ports) {
      const flows = flowPortsOf(port, namedPorts);
      if (typeof flows === 'string') throw new Error(`${c.declaredBy.node.path}: ${flows}`);
      for (const f of flows) out.push({ from: source, to: destination, port: `${f.port}/${f.protocol}` });
    }
  }
  return out;
}

function indent(text: string, n: number): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => ' '.repeat(n) + l)
    .join('\n');
}

function checkManifests(received: unknown): readonly KubeManifest[] {
  if (!Array.isArray(received))
    throw new Error('expect(manifests): pass the manifests, e.g. Testing.synth(chart)');
  return received as KubeManifest[];
}

/**
 * Jest matchers over synthesized manifests. Register with `expect.extend(ciliumMatchers)`
 * (or import `cdk8s-cilium-lockdown/build/lib/testing/setup` in `setupFilesAfterEnv`).
 */
export const ciliumMatchers = {
  /** Passes when Cilium would forward the flow (both ends allow it at L3/L4). */
  toAllowFlow(received: unknown, expectation: FlowExpectation) {
    const { flow, result, hints } = evaluateExpectation(checkManifests(received), expectation);
    const pass = result.verdict === 'FORWARDED';
    return {
      pass,
      message: () =>
        `expected the flow to be ${pass ? 'not ' : ''}allowed\n${report(flow, result, hints, [expectation.from, expectation.to])}`,
    };
  },
  /** Passes when Cilium would drop the flow at either end. */
  toDenyFlow(received: unknown, expectation: FlowExpectation) {
    const { flow, result, hints } = evaluateExpectation(checkManifests(received), expectation);
    const pass = result.verdict === 'DROPPED';
    return {
      pass,
      message: () =>
        `expected the flow to be ${pass ? 'not ' : ''}denied\n${report(flow, result, hints, [expectation.from, expectation.to])}`,
    };
  },
};

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** The flow is forwarded by Cilium (see FlowExpectation). */
      toAllowFlow(expectation: FlowExpectation): R;
      /** The flow is dropped by Cilium at its source or destination. */
      toDenyFlow(expectation: FlowExpectation): R;
    }
  }
}
