import { ApiObject } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { PolicyEngine } from '../engine/engine';
import { explainFlow } from '../engine/explain';
import { parsePeer, parsePort } from '../engine/peer-syntax';
import { EngineOptions, Flow, FlowPeer, FlowResult } from '../engine/types';
import { unselectedPodHint } from '../engine/subject-hint';
import { KubeManifest } from '../manifest/types';
import { AppRegistry } from '../patterns/app-registry';
import { flowPortsOf, withStandIns } from '../patterns/verify-connections';

/** One end of a flow in a test: endpoint syntax (`traefik/app=x`, `entity:host`, `fqdn:api.github.com`), an engine peer, or a cdk8s-plus workload. */
export type FlowEnd = string | FlowPeer | plus.AbstractPod;

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

export function toFlowPeer(end: FlowEnd): FlowPeer {
  if (typeof end === 'string') return parsePeer(end);
  if (end instanceof plus.AbstractPod) return workloadPeer(end);
  return end;
}

/** A workload's pods as Cilium sees them: pod template labels, namespace, container ports. */
function workloadPeer(workload: plus.AbstractPod): FlowPeer {
  const manifest = ApiObject.of(workload).toJson();
  const template = manifest.spec?.template ?? manifest;
  const labels: Record<string, string> = template.metadata?.labels ?? {};
  const namespace = manifest.metadata?.namespace ?? 'default';
  const namedPorts = (template.spec?.containers ?? []).flatMap((c: any) => (c.ports ?? [])
    .filter((p: any) => p.name)
    .map((p: any) => ({ name: p.name, port: p.containerPort, protocol: p.protocol ?? 'TCP' })));
  return {
    labels: [`k8s:io.kubernetes.pod.namespace=${namespace}`, ...Object.entries(labels).map(([k, v]) => `k8s:${k}=${v}`)],
    namedPorts,
  };
}

/** Evaluates one expected flow against manifests (e.g. `Testing.synth(chart)`). */
export function evaluateExpectation(manifests: readonly KubeManifest[], expectation: FlowExpectation): { flow: Flow; result: FlowResult; hints: string[] } {
  const port = parsePort(String(expectation.port));
  const flow: Flow = { source: toFlowPeer(expectation.from), destination: toFlowPeer(expectation.to), ...port };
  const engine = engineFor(manifests, expectation.options);
  const result = engine.evaluate(flow);
  const hints: string[] = [];
  // A hand-written endpoint that no policy of its namespace selects: say so rather than propose a fix.
  if (result.verdict !== 'FORWARDED') {
    for (const [end, peer] of [[expectation.from, flow.source], [expectation.to, flow.destination]] as const) {
      const hint = typeof end === 'string' ? unselectedPodHint(engine, peer, end) : undefined;
      if (hint) hints.push(hint);
    }
  }
  return { flow, result, hints };
}

function report(flow: Flow, result: FlowResult, hints: readonly string[]): string {
  const e = explainFlow(flow, result);
  return [
    `${e.from} -> ${e.to} on ${e.port}: ${e.verdict}`,
    `  ${e.egress.summary}`,
    `  ${e.ingress.summary}`,
    ...hints.map((h) => `  warning: ${h}`),
    ...(hints.length ? [] : [e.egress, e.ingress].filter((d) => d.fix).map((d) => `  to allow it, add to ${d.fix!.target}:\n${indent(d.fix!.yaml, 4)}`)),
  ].join('\n');
}

/**
 * The connections the constructs of an app declare (the ones verified at synth), one expectation
 * per port: `for (const f of declaredFlows(app)) expect(manifests).toAllowFlow(f)`.
 */
export function declaredFlows(scope: IConstruct): FlowExpectation[] {
  const out: FlowExpectation[] = [];
  for (const c of AppRegistry.of(scope).connections) {
    const source = c.from.flowPeer();
    const namedPorts = withStandIns(c.to, c.ports);
    const destination = { ...c.to.flowPeer(), ...(namedPorts.length ? { namedPorts } : {}) };
    for (const port of c.ports) {
      const flows = flowPortsOf(port, namedPorts);
      if (typeof flows === 'string') throw new Error(`${c.declaredBy.node.path}: ${flows}`);
      for (const f of flows) out.push({ from: source, to: destination, port: `${f.port}/${f.protocol}` });
    }
  }
  return out;
}

function indent(text: string, n: number): string {
  return text.trimEnd().split('\n').map((l) => ' '.repeat(n) + l).join('\n');
}

function checkManifests(received: unknown): readonly KubeManifest[] {
  if (!Array.isArray(received)) throw new Error('expect(manifests): pass the manifests, e.g. Testing.synth(chart)');
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
    return { pass, message: () => `expected the flow to be ${pass ? 'not ' : ''}allowed\n${report(flow, result, hints)}` };
  },
  /** Passes when Cilium would drop the flow at either end. */
  toDenyFlow(received: unknown, expectation: FlowExpectation) {
    const { flow, result, hints } = evaluateExpectation(checkManifests(received), expectation);
    const pass = result.verdict === 'DROPPED';
    return { pass, message: () => `expected the flow to be ${pass ? 'not ' : ''}denied\n${report(flow, result, hints)}` };
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
