import { invalidLabelKeyReason, isLabelValue, isNamespaceName } from '../cilium/label-keys';
import { asArray, asObject, isObject, PlainObject } from '../util/shape';

/**
 * The one reader of workloads and pod templates: every kind that carries a pod template, read
 * from plain manifest JSON into what network policy cares about (namespace, pod labels, service
 * account, containers with their ports and probes). The linter, the matrix, the jest matchers
 * and the constructs all read workloads through it, so they cannot see the same pods differently.
 */

interface TemplateKind {
  /** The API group (`''` for the core group). */
  readonly group: string;
  /** Where the pod template sits (`[]`: the object is the pod). */
  readonly path: readonly string[];
  /** False for a PodTemplate: it describes pods but creates none. */
  readonly runsPods: boolean;
}

const TEMPLATE_KINDS: ReadonlyMap<string, TemplateKind> = new Map([
  ['Pod', { group: '', path: [], runsPods: true }],
  ['PodTemplate', { group: '', path: ['template'], runsPods: false }],
  ['ReplicationController', { group: '', path: ['spec', 'template'], runsPods: true }],
  ['Deployment', { group: 'apps', path: ['spec', 'template'], runsPods: true }],
  ['StatefulSet', { group: 'apps', path: ['spec', 'template'], runsPods: true }],
  ['DaemonSet', { group: 'apps', path: ['spec', 'template'], runsPods: true }],
  ['ReplicaSet', { group: 'apps', path: ['spec', 'template'], runsPods: true }],
  ['Job', { group: 'batch', path: ['spec', 'template'], runsPods: true }],
  ['CronJob', { group: 'batch', path: ['spec', 'jobTemplate', 'spec', 'template'], runsPods: true }],
  // Argo Rollouts; a Rollout with `workloadRef` instead of a template is read from the workload it names.
  ['Rollout', { group: 'argoproj.io', path: ['spec', 'template'], runsPods: true }],
]);

/** The kinds the reader knows, in a stable order (for messages). */
export const WORKLOAD_KINDS: readonly string[] = [...TEMPLATE_KINDS.keys()];

export const PROBE_KINDS = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

const PROBE_HANDLERS = ['httpGet', 'tcpSocket', 'grpc', 'exec'] as const;
export type ProbeHandler = (typeof PROBE_HANDLERS)[number];

export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  /** `TCP` unless the manifest says otherwise. */
  readonly protocol: string;
}

export interface ContainerProbe {
  readonly probe: ProbeKind;
  readonly handler: ProbeHandler;
  /** The port as written (number or named container port); none for `exec`. */
  readonly port?: number | string;
}

export interface PodContainer {
  readonly name: string;
  /** An init container (a sidecar when its `restartPolicy` is `Always`). */
  readonly init: boolean;
  readonly ports: readonly ContainerPort[];
  readonly probes: readonly ContainerProbe[];
}

export interface LabelRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}

/** The workload's own pod selector (`spec.selector`), which is what its pods are known by. */
export interface WorkloadSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchExpressions: readonly LabelRequirement[];
}

/** The pods of one workload (its pod template), as far as network policy is concerned. */
export interface PodTemplateWorkload {
  readonly kind: string;
  readonly name: string;
  /** `metadata.namespace` as written, if any. */
  readonly declaredNamespace?: string;
  /** The namespace the pods run in (`default` when the manifest names none). */
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly selector?: WorkloadSelector;
  readonly serviceAccount: string;
  readonly hostNetwork: boolean;
  readonly containers: readonly PodContainer[];
  readonly runsPods: boolean;
}

export interface WorkloadReading {
  /** Undefined when the manifest has no pod template to read. */
  readonly workload?: PodTemplateWorkload;
  /** What Kubernetes would reject, each naming its field (`spec.template.spec.containers[0]...`). */
  readonly problems: readonly string[];
}

function apiGroup(apiVersion: unknown): string | undefined {
  if (typeof apiVersion !== 'string') return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function dig(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const key of path) v = isObject(v) ? v[key] : undefined;
  return v;
}

/** The pod template kind of a manifest, or undefined when it carries none. */
function templateKind(m: PlainObject): TemplateKind | undefined {
  const kind = typeof m.kind === 'string' ? TEMPLATE_KINDS.get(m.kind) : undefined;
  if (!kind) return undefined;
  const group = apiGroup(m.apiVersion);
  return group === undefined || group === kind.group ? kind : undefined;
}

/** True when the manifest is a kind that carries a pod template. */
export function isWorkloadManifest(m: unknown): boolean {
  return isObject(m) && templateKind(m) !== undefined;
}

/** A label mapping as strings (numbers and booleans printed, as YAML users write them). */
export function readLabels(value: unknown, field: string, problems: string[]): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) {
    problems.push(`${field} must be a mapping of label keys to strings`);
    return {};
  }
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(value)) {
    if (invalidLabelKeyReason(key)) problems.push(`${field} key "${key}" is not a valid label key`);
    const text = typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : raw;
    if (!isLabelValue(text)) {
      problems.push(
        `${field}.${key} value ${JSON.stringify(raw)} is not a valid label value (quote it, at most 63 characters of [A-Za-z0-9_.-])`,
      );
      continue;
    }
    out[key] = text;
  }
  return out;
}

function readSelector(value: unknown, field: string, problems: string[]): WorkloadSelector | undefined {
  if (!isObject(value)) return undefined;
  // A ReplicationController's selector is a plain label map; the others are label selectors.
  const labelSelector = 'matchLabels' in value || 'matchExpressions' in value;
  const matchLabels = labelSelector
    ? readLabels(value.matchLabels, `${field}.matchLabels`, problems)
    : readLabels(value, field, problems);
  const matchExpressions = labelSelector
    ? asArray(value.matchExpressions).filter(isObject).map(requirement)
    : [];
  if (Object.keys(matchLabels).length === 0 && matchExpressions.length === 0) return undefined;
  return { matchLabels, matchExpressions };
}

function requirement(e: PlainObject): LabelRequirement {
  const values = Array.isArray(e.values) ? e.values.map((v) => String(v)) : undefined;
  return { key: String(e.key), operator: String(e.operator), ...(values ? { values } : {}) };
}

function readPorts(container: PlainObject, at: string, problems: string[]): ContainerPort[] {
  const list = container.ports;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    problems.push(`${at}.ports must be a list`);
    return [];
  }
  const out: ContainerPort[] = [];
  list.forEach((raw: unknown, i: number) => {
    const p = asObject(raw);
    const number = p.containerPort;
    if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > 65535) {
      problems.push(
        `${at}.ports[${i}].containerPort ${JSON.stringify(number)} must be a port number 1-65535`,
      );
      return;
    }
    const protocol = p.protocol === undefined ? 'TCP' : p.protocol;
    if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP')
      problems.push(`${at}.ports[${i}].protocol ${JSON.stringify(protocol)} must be TCP, UDP or SCTP`);
    const name = typeof p.name === 'string' && p.name !== '' ? p.name : undefined;
    out.push({ ...(name ? { name } : {}), containerPort: number, protocol: String(protocol) });
  });
  return out;
}

function readProbes(container: PlainObject): ContainerProbe[] {
  const out: ContainerProbe[] = [];
  for (const probe of PROBE_KINDS) {
    const spec = container[probe];
    if (!isObject(spec)) continue;
    for (const handler of PROBE_HANDLERS) {
      if (!isObject(spec[handler])) continue;
      const port = spec[handler].port;
      out.push({ probe, handler, ...(typeof port === 'number' || typeof port === 'string' ? { port } : {}) });
    }
  }
  return out;
}

function readContainers(podSpec: PlainObject, field: string, problems: string[]): PodContainer[] {
  const out: PodContainer[] = [];
  for (const list of ['containers', 'initContainers'] as const) {
    const containers = podSpec[list];
    if (containers === undefined || containers === null) continue;
    if (!Array.isArray(containers)) {
      problems.push(`${field}.${list} must be a list`);
      continue;
    }
    containers.forEach((raw: unknown, i: number) => {
      const c = asObject(raw);
      const at = `${field}.${list}[${i}]`;
      out.push({
        name: typeof c.name === 'string' ? c.name : '?',
        init: list === 'initContainers',
        ports: readPorts(c, at, problems),
        probes: readProbes(c),
      });
    });
  }
  return out;
}

function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * Reads the workload of a manifest: undefined when its kind carries no pod template (or it is an
 * Argo Rollout that refers to another workload), else the workload read as far as possible and
 * the problems Kubernetes would reject.
 */
export function readWorkload(manifest: unknown): WorkloadReading | undefined {
  if (!isObject(manifest)) return undefined;
  const kind = templateKind(manifest);
  if (!kind) return undefined;
  const template = kind.path.length === 0 ? manifest : dig(manifest, kind.path);
  if (manifest.kind === 'Rollout' && template === undefined) return undefined;
  const prefix = kind.path.length === 0 ? '' : `${kind.path.join('.')}.`;
  if (!isObject(template))
    return {
      problems: [`${kind.path.join('.')} is missing; a ${String(manifest.kind)} needs a pod template`],
    };
  const problems: string[] = [];
  const metadata = asObject(manifest.metadata);
  const name = nonEmpty(metadata.name);
  if (!name) problems.push('metadata.name is missing');
  const declaredNamespace = nonEmpty(metadata.namespace);
  const namespace = declaredNamespace ?? 'default';
  if (!isNamespaceName(namespace))
    problems.push(`metadata.namespace "${namespace}" is not a valid namespace name`);
  const podLabels = readLabels(asObject(template.metadata).labels, `${prefix}metadata.labels`, problems);
  if (!isObject(template.spec)) return { problems: [...problems, `${prefix}spec is missing`] };
  const podSpec = template.spec;
  const ownerPath = kind.path.slice(0, -1);
  const selectorField = `${ownerPath.join('.')}.selector`;
  const selector =
    kind.path.length === 0
      ? undefined
      : readSelector(dig(manifest, [...ownerPath, 'selector']), selectorField, []);
  const workload: PodTemplateWorkload = {
    kind: String(manifest.kind),
    name: name ?? '',
    ...(declaredNamespace ? { declaredNamespace } : {}),
    namespace,
    podLabels,
    ...(selector ? { selector } : {}),
    serviceAccount: nonEmpty(podSpec.serviceAccountName) ?? nonEmpty(podSpec.serviceAccount) ?? 'default',
    hostNetwork: podSpec.hostNetwork === true,
    containers: readContainers(podSpec, `${prefix}spec`, problems),
    runsPods: kind.runsPods,
  };
  return { workload, problems };
}

/** Every container port of the workload (init containers included: sidecars serve). */
export function containerPortsOf(workload: PodTemplateWorkload): ContainerPort[] {
  return workload.containers.flatMap((c) => c.ports);
}

/** True when any container has a liveness, readiness or startup probe. */
export function hasProbes(workload: PodTemplateWorkload): boolean {
  return workload.containers.some((c) => c.probes.length > 0);
}

/** The container port called `name` (port names are case-insensitive), if any container declares it. */
export function containerPortNamed(workload: PodTemplateWorkload, name: string): ContainerPort | undefined {
  const wanted = name.toLowerCase();
  return containerPortsOf(workload).find((p) => p.name?.toLowerCase() === wanted);
}

export interface NamedContainerPort {
  /** Lower-cased: Cilium resolves named ports case-insensitively. */
  readonly name: string;
  readonly port: number;
  readonly protocol: string;
}

/** The named container ports, one per name and protocol, sorted by name and protocol. */
export function namedContainerPorts(workload: PodTemplateWorkload): NamedContainerPort[] {
  const named = new Map<string, NamedContainerPort>();
  for (const p of containerPortsOf(workload)) {
    if (!p.name) continue;
    const name = p.name.toLowerCase();
    named.set(`${name}|${p.protocol}`, { name, port: p.containerPort, protocol: p.protocol });
  }
  return [...named.keys()].sort().map((k) => named.get(k)!);
}
