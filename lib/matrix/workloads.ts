import { invalidLabelKeyReason, isLabelValue, isNamespaceName } from '../cilium/label-keys';
import { formatLabel } from '../cilium/labels';
import { podIdentityLabels as podIdentity } from '../cilium/pod-identity';
import { FlowProtocol, NamedPort } from '../engine/types';
import { KubeManifest, SourcedManifest } from '../manifest/types';
import { MatrixNode, MatrixPort } from './model';
import { formatPort } from './ports';
import { compareStrings } from '../util/order';
import { FLOW_PROTOCOL_INDEX } from '../engine/verdict';

/**
 * Workload discovery: the pods that Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs,
 * CronJobs and bare Pods would create, as flow peers with their identity labels and named ports.
 */

/** A workload manifest Kubernetes would reject: names the file, line and field. */
export class WorkloadError extends Error {}

const TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

function origin(s: SourcedManifest): string {
  return s.file ? `${s.file}${s.line ? `:${s.line}` : ''}` : '<inline>';
}

function dig(m: KubeManifest, path: readonly string[]): unknown {
  let v: unknown = m;
  for (const k of path) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/** Namespace name -> its labels, from Namespace manifests (Cilium puts them in pod identities). */
export function namespaceLabels(manifests: readonly SourcedManifest[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const s of manifests) {
    const m = s.manifest;
    if (m.kind !== 'Namespace' || m.apiVersion !== 'v1' || typeof m.metadata?.name !== 'string') continue;
    out.set(m.metadata.name, { ...(m.metadata.labels ?? {}) });
  }
  return out;
}

function stringLabels(value: unknown, where: string, field: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new WorkloadError(`${where}: ${field} must be a mapping of label keys to strings`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (invalidLabelKeyReason(k))
      throw new WorkloadError(`${where}: ${field} key "${k}" is not a valid label key`);
    const text = typeof v === 'number' || typeof v === 'boolean' ? String(v) : v;
    if (!isLabelValue(text)) {
      throw new WorkloadError(
        `${where}: ${field}.${k} value ${JSON.stringify(v)} is not a valid label value (quote it, at most 63 characters of [A-Za-z0-9_.-])`,
      );
    }
    out[k] = text;
  }
  return out;
}

function containerPorts(
  podSpec: Record<string, unknown>,
  where: string,
  field: string,
): { ports: MatrixPort[]; named: NamedPort[] } {
  const ports = new Map<string, MatrixPort>();
  const named = new Map<string, NamedPort>();
  for (const list of ['containers', 'initContainers'] as const) {
    const containers = podSpec[list];
    if (containers === undefined) continue;
    if (!Array.isArray(containers)) throw new WorkloadError(`${where}: ${field}.${list} must be a list`);
    containers.forEach((c: unknown, ci: number) => {
      const cPorts = (c as Record<string, unknown> | null)?.ports;
      if (cPorts === undefined || cPorts === null) return;
      if (!Array.isArray(cPorts))
        throw new WorkloadError(`${where}: ${field}.${list}[${ci}].ports must be a list`);
      cPorts.forEach((p: unknown, pi: number) => {
        const at = `${field}.${list}[${ci}].ports[${pi}]`;
        const entry = (p ?? {}) as Record<string, unknown>;
        const number = entry.containerPort;
        if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > 65535) {
          throw new WorkloadError(
            `${where}: ${at}.containerPort ${JSON.stringify(number)} must be a port number 1-65535`,
          );
        }
        const protocol = entry.protocol === undefined ? 'TCP' : entry.protocol;
        if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') {
          throw new WorkloadError(
            `${where}: ${at}.protocol ${JSON.stringify(protocol)} must be TCP, UDP or SCTP`,
          );
        }
        const port: MatrixPort = {
          protocol: protocol as FlowProtocol,
          port: number,
          text: formatPort(protocol as FlowProtocol, number),
        };
        // Sidecar init containers (restartPolicy Always) serve; other init containers' ports are still declared.
        ports.set(port.text, port);
        if (typeof entry.name === 'string' && entry.name !== '') {
          named.set(`${entry.name.toLowerCase()}|${protocol}`, {
            name: entry.name.toLowerCase(),
            port: number,
            protocol,
          });
        }
      });
    });
  }
  const sortedNamed = [...named.keys()].sort().map((k) => named.get(k)!);
  return { ports: [...ports.values()], named: sortedNamed };
}

/** The identity labels Cilium gives a pod: its own, namespace, namespace labels, service account. */
export function podIdentityLabels(
  namespace: string,
  podLabels: Record<string, string>,
  serviceAccount: string,
  nsLabels: Record<string, string> | undefined,
): string[] {
  const labels = podIdentity({ namespace, podLabels, serviceAccount, namespaceLabels: nsLabels });
  return [...new Set(labels.map(formatLabel))].sort();
}

/** Every workload in the manifests, sorted by namespace and name, with unique ids. */
export function discoverWorkloads(manifests: readonly SourcedManifest[]): MatrixNode[] {
  const nsLabels = namespaceLabels(manifests);
  const found: Array<Omit<MatrixNode, 'id'>> = [];
  for (const s of manifests) {
    const m = s.manifest;
    if (!m || typeof m !== 'object' || typeof m.kind !== 'string') continue;
    const where = `${origin(s)} (${m.kind} ${m.metadata?.namespace ?? 'default'}/${m.metadata?.name ?? '<unnamed>'})`;
    let template: Record<string, unknown> | undefined;
    let field: string;
    if (m.kind === 'Pod' && m.apiVersion === 'v1') {
      template = m as Record<string, unknown>;
      field = '';
    } else if (
      TEMPLATE_PATHS[m.kind] &&
      typeof m.apiVersion === 'string' &&
      /^(apps|batch)\//.test(m.apiVersion)
    ) {
      const path = TEMPLATE_PATHS[m.kind];
      const t = dig(m, path);
      if (!t || typeof t !== 'object')
        throw new WorkloadError(`${where}: ${path.join('.')} is missing; a ${m.kind} needs a pod template`);
      template = t as Record<string, unknown>;
      field = `${path.join('.')}.`;
    } else {
      continue;
    }
    if (typeof m.metadata?.name !== 'string' || m.metadata.name === '')
      throw new WorkloadError(`${where}: metadata.name is missing`);
    const namespace =
      typeof m.metadata.namespace === 'string' && m.metadata.namespace !== ''
        ? m.metadata.namespace
        : 'default';
    if (!isNamespaceName(namespace))
      throw new WorkloadError(`${where}: metadata.namespace "${namespace}" is not a valid namespace name`);
    const meta = (template.metadata ?? {}) as Record<string, unknown>;
    const podLabels = stringLabels(meta.labels, where, `${field}metadata.labels`);
    const spec = template.spec;
    if (!spec || typeof spec !== 'object') throw new WorkloadError(`${where}: ${field}spec is missing`);
    const podSpec = spec as Record<string, unknown>;
    const sa =
      typeof podSpec.serviceAccountName === 'string' && podSpec.serviceAccountName !== ''
        ? podSpec.serviceAccountName
        : typeof podSpec.serviceAccount === 'string' && podSpec.serviceAccount !== ''
          ? podSpec.serviceAccount
          : 'default';
    const { ports, named } = containerPorts(podSpec, where, `${field}spec`);
    const hostNetwork = podSpec.hostNetwork === true;
    const labels = hostNetwork
      ? ['reserved:host']
      : podIdentityLabels(namespace, podLabels, sa, nsLabels.get(namespace));
    found.push({
      kind: 'workload',
      namespace,
      name: m.metadata.name,
      workloadKind: m.kind,
      labels,
      declaredPorts: sortPorts(ports),
      origin: origin(s),
      ...(hostNetwork ? { hostNetwork } : {}),
      peer: hostNetwork ? { labels } : { labels, ...(named.length > 0 ? { namedPorts: named } : {}) },
    });
  }
  // The same workload given twice (e.g. in --policies and --workloads) counts once.
  const unique = new Map<string, Omit<MatrixNode, 'id'>>();
  for (const w of found) {
    const k = `${w.namespace}/${w.name}@${w.workloadKind!.toLowerCase()}`;
    if (!unique.has(k)) unique.set(k, w);
  }
  const key = (w: Omit<MatrixNode, 'id'>) => `${w.namespace}/${w.name}`;
  const counts = new Map<string, number>();
  for (const w of unique.values()) counts.set(key(w), (counts.get(key(w)) ?? 0) + 1);
  const nodes = [...unique.entries()].map(([k, w]) => ({ id: counts.get(key(w))! > 1 ? k : key(w), ...w }));
  return nodes.sort((a, b) => compareStrings(a.id, b.id));
}

export function comparePorts(a: MatrixPort, b: MatrixPort): number {
  return (
    (a.port ?? -1) - (b.port ?? -1) ||
    FLOW_PROTOCOL_INDEX[a.protocol] - FLOW_PROTOCOL_INDEX[b.protocol] ||
    (a.icmpType ?? -1) - (b.icmpType ?? -1)
  );
}

export function sortPorts(ports: Iterable<MatrixPort>): MatrixPort[] {
  const byText = new Map<string, MatrixPort>();
  for (const p of ports) byText.set(p.text, p);
  return [...byText.values()].sort(comparePorts);
}
