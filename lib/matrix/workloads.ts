import { formatLabel } from '../cilium/labels';
import { podIdentityLabels as podIdentity } from '../cilium/pod-identity';
import { FlowPeer, FlowProtocol, NamedPort } from '../engine/types';
import { namespaceLabels } from '../manifest/namespace-labels';
import { SourcedManifest } from '../manifest/types';
import {
  containerPortsOf,
  namedContainerPorts,
  PodTemplateWorkload,
  readWorkload,
} from '../manifest/workload';
import { MatrixNode, MatrixPort } from './model';
import { formatPort } from './ports';
import { compareStrings } from '../util/order';
import { FLOW_PROTOCOL_INDEX } from '../engine/verdict';

/**
 * Workload discovery: the pods that the workloads of the manifests would create (every kind
 * lib/manifest/workload.ts reads), as flow peers with their identity
 * labels and named ports.
 */

/** A workload manifest Kubernetes would reject: names the file, line and field. */
export class WorkloadError extends Error {}

type FoundWorkload = Omit<MatrixNode, 'id'>;

function origin(s: SourcedManifest): string {
  return s.file ? `${s.file}${s.line ? `:${s.line}` : ''}` : '<inline>';
}

/** The identity labels Cilium gives a pod: its own, namespace, namespace labels, service account. */
export function podIdentityLabels(
  namespace: string,
  podLabels: Readonly<Record<string, string>>,
  serviceAccount: string,
  nsLabels: Readonly<Record<string, string>> | undefined,
): string[] {
  const labels = podIdentity({ namespace, podLabels, serviceAccount, namespaceLabels: nsLabels });
  return [...new Set(labels.map(formatLabel))].sort();
}

/** The declared container ports, deduplicated. */
function declaredPorts(w: PodTemplateWorkload): MatrixPort[] {
  const ports = new Map<string, MatrixPort>();
  for (const p of containerPortsOf(w)) {
    const protocol = p.protocol as FlowProtocol;
    ports.set(formatPort(protocol, p.containerPort), {
      protocol,
      port: p.containerPort,
      text: formatPort(protocol, p.containerPort),
    });
  }
  return [...ports.values()];
}

function workloadNode(
  s: SourcedManifest,
  nsLabels: ReadonlyMap<string, Record<string, string>>,
): FoundWorkload | undefined {
  const reading = readWorkload(s.manifest);
  if (!reading) return undefined;
  const m = s.manifest;
  if (reading.problems.length > 0) {
    const where = `${origin(s)} (${m.kind} ${m.metadata?.namespace ?? 'default'}/${m.metadata?.name ?? '<unnamed>'})`;
    throw new WorkloadError(`${where}: ${reading.problems[0]}`);
  }
  const w = reading.workload;
  if (!w || !w.runsPods) return undefined;
  const peer = workloadPeer(w, nsLabels.get(w.namespace));
  return {
    kind: 'workload',
    namespace: w.namespace,
    name: w.name,
    workloadKind: w.kind,
    labels: peer.labels,
    declaredPorts: sortPorts(declaredPorts(w)),
    origin: origin(s),
    ...(w.hostNetwork ? { hostNetwork: true } : {}),
    peer,
  };
}

/**
 * The workload's pods as a flow peer: the identity Cilium gives them (pod labels through the label
 * filter, namespace and its labels, service account; a host-network pod is the host) and their
 * named ports. The matrix and the jest matchers both use it, so they judge a workload alike.
 */
export function workloadPeer(
  w: PodTemplateWorkload,
  nsLabels: Readonly<Record<string, string>> | undefined,
): FlowPeer {
  if (w.hostNetwork) return { labels: ['reserved:host'] };
  const labels = podIdentityLabels(w.namespace, w.podLabels, w.serviceAccount, nsLabels);
  const named = namedContainerPorts(w) as NamedPort[];
  return { labels, ...(named.length > 0 ? { namedPorts: named } : {}) };
}

/** Every workload in the manifests, sorted by namespace and name, with unique ids. */
export function discoverWorkloads(manifests: readonly SourcedManifest[]): MatrixNode[] {
  const nsLabels = namespaceLabels(manifests.map((s) => s.manifest));
  const found: FoundWorkload[] = [];
  for (const s of manifests) {
    const w = workloadNode(s, nsLabels);
    if (w) found.push(w);
  }
  // The same workload given twice (e.g. in --policies and --workloads) counts once.
  const unique = new Map<string, FoundWorkload>();
  for (const w of found) {
    const k = `${w.namespace}/${w.name}@${w.workloadKind!.toLowerCase()}`;
    if (!unique.has(k)) unique.set(k, w);
  }
  const key = (w: FoundWorkload) => `${w.namespace}/${w.name}`;
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
