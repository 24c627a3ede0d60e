import { isCiliumPolicyKind, KubeManifest, SourcedManifest } from '../../manifest/types';
import { podIdentityLabels } from '../../cilium/pod-identity';
import { IdentityIndex } from './identity-index';
import { Label } from '../../cilium/labels';
import { Requirement } from '../../cilium/requirements';
import { asArray, asObject, isObject, text } from '../../util/shape';

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

export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly targetPort: number | string;
  readonly protocol: string;
}

export interface Service {
  readonly name: string;
  readonly namespace: string;
  readonly selector?: Readonly<Record<string, string>>;
  readonly ports: readonly ServicePort[];
  readonly clusterIPs: readonly string[];
}

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

const POD_TEMPLATE_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'Rollout',
]);

function stringRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(asObject(v))) {
    if (typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean') out[k] = text(val);
  }
  return out;
}

function podTemplateOf(
  m: KubeManifest,
): { metadata: Record<string, unknown>; spec: Record<string, unknown> } | undefined {
  const spec = asObject(m.spec);
  if (m.kind === 'Pod') return { metadata: asObject(m.metadata), spec };
  const template =
    m.kind === 'CronJob'
      ? asObject(asObject(asObject(spec.jobTemplate).spec).template)
      : asObject(spec.template);
  if (!POD_TEMPLATE_KINDS.has(text(m.kind)) && m.kind !== 'CronJob' && !isObject(template.spec))
    return undefined;
  if (!isObject(template.spec)) return undefined;
  return { metadata: asObject(template.metadata), spec: template.spec };
}

function probesOf(container: Record<string, unknown>): Probe[] {
  const out: Probe[] = [];
  for (const key of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const probe = asObject(container[key]);
    for (const handler of ['httpGet', 'tcpSocket', 'grpc']) {
      const h = asObject(probe[handler]);
      const port = h.port;
      if (typeof port === 'number' || typeof port === 'string') {
        out.push({ description: `${key} of container ${text(container.name, '?')}`, port });
      }
    }
  }
  return out;
}

export function podIdentity(
  namespace: string,
  podLabels: Record<string, string>,
  serviceAccount: string,
  namespaceLabels: Record<string, string> | undefined,
): Label[] {
  return podIdentityLabels({ namespace, podLabels, serviceAccount, namespaceLabels, clusterName: 'default' });
}

function workloadOf(
  m: KubeManifest,
  namespaceLabels: ReadonlyMap<string, Record<string, string>>,
): Workload | undefined {
  const template = podTemplateOf(m);
  if (!template) return undefined;
  const namespace = text(m.metadata?.namespace, 'default');
  const podLabels = stringRecord(template.metadata.labels);
  const containers = [...asArray(template.spec.containers), ...asArray(template.spec.initContainers)].filter(
    isObject,
  );
  const containerPorts: ContainerPort[] = [];
  const probes: Probe[] = [];
  for (const c of containers) {
    for (const p of asArray(c.ports)) {
      if (isObject(p) && typeof p.containerPort === 'number') {
        containerPorts.push({
          name: typeof p.name === 'string' ? p.name : undefined,
          port: p.containerPort,
          protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP',
        });
      }
    }
    probes.push(...probesOf(c));
  }
  const sa = template.spec.serviceAccountName ?? template.spec.serviceAccount ?? 'default';
  return {
    kind: text(m.kind),
    name: text(m.metadata?.name, '<unnamed>'),
    namespace,
    podLabels,
    identity: podIdentity(namespace, podLabels, text(sa), namespaceLabels.get(namespace)),
    containerPorts,
    probes,
    hostNetwork: template.spec.hostNetwork === true,
  };
}

function serviceOf(m: KubeManifest): Service {
  const spec = asObject(m.spec);
  const ports: ServicePort[] = [];
  for (const p of asArray(spec.ports)) {
    if (!isObject(p) || typeof p.port !== 'number') continue;
    const target =
      typeof p.targetPort === 'number' || typeof p.targetPort === 'string' ? p.targetPort : p.port;
    ports.push({
      name: typeof p.name === 'string' ? p.name : undefined,
      port: p.port,
      targetPort: target,
      protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP',
    });
  }
  const clusterIPs = [...asArray(spec.clusterIPs), spec.clusterIP].filter(
    (x): x is string => typeof x === 'string' && x !== 'None' && x !== '',
  );
  return {
    name: text(m.metadata?.name, '<unnamed>'),
    namespace: text(m.metadata?.namespace, 'default'),
    selector: isObject(spec.selector) ? stringRecord(spec.selector) : undefined,
    ports,
    clusterIPs: [...new Set(clusterIPs)],
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
  const namespaceLabels = new Map<string, Record<string, string>>();
  for (const { manifest: m } of sourced) {
    if (m.kind === 'Namespace' && typeof m.metadata?.name === 'string')
      namespaceLabels.set(m.metadata.name, stringRecord(m.metadata.labels));
  }
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
    } else if (m.kind === 'Service') {
      services.push(serviceOf(m));
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
