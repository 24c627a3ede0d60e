import { isCiliumPolicyKind, KubeManifest, SourcedManifest } from '../../manifest/types';
import { podIdentityLabels } from '../../cilium/pod-identity';
import { IdentityIndex } from './identity-index';
import { Label } from '../../cilium/labels';
import { Requirement } from '../../cilium/requirements';
import { asArray, asObject, isObject } from '../../util/shape';
import { containerPortsOf, PodTemplateWorkload, readWorkload } from '../../manifest/workload';
import { namespaceLabels as readNamespaceLabels } from '../../manifest/namespace-labels';
import { isServiceManifest, readService, ServicePortRead, ServiceRead } from '../../manifest/service';

export interface ContainerPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: string;
}

export interface Probe {
  /** `livenessProbe`, `readinessProbe` or `startupProbe` of container `container`. */
  readonly description: string;
  /** The probe's port as written (number or named container port). */
  readonly port: number | string;
}

/** Pods of one workload (its pod template), as far as policies are concerned. */
export interface Workload {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly identity: readonly Label[];
  readonly containerPorts: readonly ContainerPort[];
  readonly probes: readonly Probe[];
  readonly hostNetwork: boolean;
}

export type ServicePort = ServicePortRead;
export type Service = ServiceRead;

export interface SourcedPolicy {
  readonly manifest: KubeManifest;
  readonly file?: string;
  readonly line?: number;
  readonly locate?: (path: string) => number | undefined;
  readonly sourceIssues?: SourcedManifest['sourceIssues'];
}

/** The run's manifests indexed for cross-object rules. */
export interface ClusterModel {
  readonly policies: readonly SourcedPolicy[];
  readonly workloads: readonly Workload[];
  readonly services: readonly Service[];
  readonly namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>;
  readonly nodeIPs: readonly string[];
  readonly files: readonly string[];
}

export function podIdentity(
  namespace: string,
  podLabels: Readonly<Record<string, string>>,
  serviceAccount: string,
  namespaceLabels: Readonly<Record<string, string>> | undefined,
): Label[] {
  return podIdentityLabels({ namespace, podLabels, serviceAccount, namespaceLabels, clusterName: 'default' });
}

function probesOf(w: PodTemplateWorkload): Probe[] {
  return w.containers.flatMap((c) =>
    c.probes
      .filter((p) => p.port !== undefined)
      .map((p) => ({ description: `${p.probe} of container ${c.name}`, port: p.port! })),
  );
}

function workloadOf(
  m: KubeManifest,
  namespaceLabels: ReadonlyMap<string, Record<string, string>>,
): Workload | undefined {
  const w = readWorkload(m)?.workload;
  if (!w || !w.runsPods) return undefined;
  return {
    kind: w.kind,
    name: w.name || '<unnamed>',
    namespace: w.namespace,
    podLabels: w.podLabels,
    identity: podIdentity(w.namespace, w.podLabels, w.serviceAccount, namespaceLabels.get(w.namespace)),
    containerPorts: containerPortsOf(w).map((p) => ({
      name: p.name,
      port: p.containerPort,
      protocol: p.protocol,
    })),
    probes: probesOf(w),
    hostNetwork: w.hostNetwork,
  };
}

function toSourced(m: SourcedManifest | KubeManifest): SourcedManifest {
  return isObject((m as SourcedManifest).manifest) && !('kind' in m)
    ? (m as SourcedManifest)
    : { manifest: m as KubeManifest };
}

export function buildClusterModel(input: ReadonlyArray<SourcedManifest | KubeManifest>): ClusterModel {
  const sourced = input
    .filter((m) => isObject(m))
    .map(toSourced)
    .filter((s) => isObject(s.manifest));
  const namespaceLabels = readNamespaceLabels(sourced.map((s) => s.manifest));
  const workloads: Workload[] = [];
  const services: Service[] = [];
  const nodeIPs: string[] = [];
  const policies: SourcedPolicy[] = [];
  const files = new Set<string>();
  for (const s of sourced) {
    const m = s.manifest;
    if (s.file) files.add(s.file);
    if (isCiliumPolicyKind(m)) {
      policies.push({
        manifest: m,
        file: s.file,
        line: s.line,
        locate: s.locate,
        sourceIssues: s.sourceIssues,
      });
    } else if (isServiceManifest(m)) {
      services.push(readService(m));
    } else if (m.kind === 'Node') {
      for (const a of asArray(asObject(m.status).addresses)) {
        if (isObject(a) && a.type === 'InternalIP' && typeof a.address === 'string') nodeIPs.push(a.address);
      }
    } else {
      const w = workloadOf(m, namespaceLabels);
      if (w) workloads.push(w);
    }
  }
  return { policies, workloads, services, namespaceLabels, nodeIPs, files: [...files].sort() };
}

/** Workloads whose pods match the requirements (non-host-network pods only: those are the host identity). */
export function workloadsMatching(cluster: ClusterModel, reqs: readonly Requirement[]): Workload[] {
  const index = perCluster(cluster, 'workload-index', () => {
    const idx = new IdentityIndex<Workload>();
    for (const w of cluster.workloads) if (!w.hostNetwork) idx.add(w.identity, w);
    return idx;
  });
  return index.match(reqs);
}

/** Resolves a Service targetPort (number or container port name) against the backing workloads. */
export function resolveTargetPort(target: number | string, backends: readonly Workload[]): number[] {
  if (typeof target === 'number') return [target];
  if (/^[0-9]+$/.test(target)) return [Number(target)];
  const out = new Set<number>();
  for (const w of backends) for (const p of w.containerPorts) if (p.name === target) out.add(p.port);
  return [...out];
}

const memo = new WeakMap<ClusterModel, Map<string, unknown>>();

/** Computes a value once per run (per cluster model), for cross-object rules that would otherwise repeat work per policy. */
export function perCluster<T>(cluster: ClusterModel, key: string, compute: () => T): T {
  let m = memo.get(cluster);
  if (!m) {
    m = new Map();
    memo.set(cluster, m);
  }
  if (!m.has(key)) m.set(key, compute());
  return m.get(key) as T;
}
