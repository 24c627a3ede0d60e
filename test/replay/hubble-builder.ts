/**
 * Builds Hubble flow JSON the way `hubble observe -o json` prints it (protojson, proto field
 * names, enums as strings, fields in flow.proto declaration order, zero values omitted).
 * Used by the tests and by scripts/gen-hubble-export.ts.
 */

export interface EndpointSpec {
  readonly namespace?: string;
  readonly pod?: string;
  readonly labels: readonly string[];
  readonly ip: string;
  readonly identity: number;
  readonly workload?: { readonly name: string; readonly kind: string };
}

export type EventKind = 'policy-verdict' | 'trace' | 'drop' | 'dns' | 'trace-established';

export interface FlowSpec {
  readonly src: EndpointSpec;
  readonly dst: EndpointSpec;
  readonly protocol?: 'TCP' | 'UDP' | 'ICMPv4' | 'ICMPv6';
  readonly dport?: number;
  readonly sport?: number;
  readonly icmpType?: number;
  readonly verdict?: 'FORWARDED' | 'AUDIT' | 'DROPPED';
  readonly event?: EventKind;
  readonly direction?: 'INGRESS' | 'EGRESS';
  readonly reply?: boolean;
  readonly dropReason?: string;
  readonly time: string;
  readonly node: string;
  readonly destinationNames?: readonly string[];
  /** Which end is the local endpoint (gets `ID`): the egress side for EGRESS events. */
  readonly localEnd?: 'src' | 'dst';
}

export function pod(
  namespace: string,
  podName: string,
  ip: string,
  identity: number,
  labels: Record<string, string>,
  sa = 'default',
): EndpointSpec {
  const workloadName = podName.replace(/-[a-z0-9]{5,10}-[a-z0-9]{5}$/, '').replace(/-\d+$/, '');
  return {
    namespace,
    pod: podName,
    ip,
    identity,
    workload: { name: workloadName, kind: /-\d+$/.test(podName) ? 'StatefulSet' : 'Deployment' },
    labels: [
      ...Object.entries(labels).map(([k, v]) => `k8s:${k}=${v}`),
      `k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=${namespace}`,
      'k8s:io.cilium.k8s.policy.cluster=default',
      `k8s:io.cilium.k8s.policy.serviceaccount=${sa}`,
      `k8s:io.kubernetes.pod.namespace=${namespace}`,
    ].sort(),
  };
}

export function reserved(
  name: string,
  ip: string,
  identity: number,
  extra: readonly string[] = [],
): EndpointSpec {
  return { ip, identity, labels: [`reserved:${name}`, ...extra].sort() };
}

/** The homelab's endpoints (see test/fixtures/hubble/homelab-policies.yaml). */
export const HOMELAB = {
  traefik: pod(
    'traefik',
    'traefik-traefik-6b9c8d7f5d-x2kqp',
    '10.244.1.20',
    41201,
    { 'app.kubernetes.io/instance': 'traefik-traefik', 'app.kubernetes.io/name': 'traefik' },
    'traefik-traefik',
  ),
  blog: pod('blog', 'blog-7c9f8b6d4-q8zlm', '10.244.1.31', 52311, { app: 'blog' }),
  blog2: pod('blog', 'blog-7c9f8b6d4-w5rtx', '10.244.2.32', 52311, { app: 'blog' }),
  webapp: pod('webapp', 'webapp-5d6f7c8b9-hx4kd', '10.244.2.40', 60412, { app: 'webapp' }),
  postgres: pod('webapp', 'postgres-0', '10.244.2.41', 60413, { app: 'postgres' }),
  argocdRepo: pod(
    'argocd',
    'argocd-repo-server-6c7d8e9f0-abcde',
    '10.244.1.50',
    33001,
    { 'app.kubernetes.io/name': 'argocd-repo-server', 'app.kubernetes.io/part-of': 'argocd' },
    'argocd-repo-server',
  ),
  argocdServer: pod(
    'argocd',
    'argocd-server-5b6c7d8e9-fghij',
    '10.244.2.51',
    33002,
    { 'app.kubernetes.io/name': 'argocd-server', 'app.kubernetes.io/part-of': 'argocd' },
    'argocd-server',
  ),
  prometheus: pod(
    'monitoring',
    'prometheus-k8s-0',
    '10.244.2.60',
    47001,
    { app: 'prometheus' },
    'prometheus-k8s',
  ),
  reports: pod('reports', 'reports-7f8d9c6b5-kk2lp', '10.244.1.70', 48001, { app: 'reports' }),
  kubeDns: pod(
    'kube-system',
    'coredns-7db6d8ff4d-9xk2p',
    '10.244.0.10',
    1021,
    { 'k8s-app': 'kube-dns' },
    'coredns',
  ),
  host: reserved('host', '192.168.1.11', 1),
  remoteNode: reserved('remote-node', '192.168.1.12', 6),
  health: reserved('health', '10.244.2.254', 4),
  apiserver: {
    ip: '192.168.1.10',
    identity: 7,
    labels: ['reserved:kube-apiserver', 'reserved:remote-node'],
  } as EndpointSpec,
  githubApex: reserved('world', '140.82.121.4', 2),
  githubApi: reserved('world', '140.82.121.6', 2),
  githubRaw: reserved('world', '185.199.108.133', 2),
  world: reserved('world', '203.0.113.7', 2),
} as const;

function endpointJson(ep: EndpointSpec, local: boolean, id: number): Record<string, unknown> {
  return {
    ...(local && ep.namespace ? { ID: id } : {}),
    identity: ep.identity,
    ...(ep.namespace ? { cluster_name: 'default', namespace: ep.namespace } : {}),
    labels: ep.labels,
    ...(ep.pod ? { pod_name: ep.pod } : {}),
    ...(ep.workload ? { workloads: [ep.workload] } : {}),
  };
}

let uuidCounter = 0;

/** A Flow object (the value of the envelope's `flow`). */
export function flowJson(s: FlowSpec): Record<string, unknown> {
  const protocol = s.protocol ?? 'TCP';
  const event = s.event ?? 'policy-verdict';
  const direction = s.direction ?? 'INGRESS';
  const reply = s.reply ?? false;
  const verdict = event === 'drop' ? 'DROPPED' : (s.verdict ?? 'FORWARDED');
  const sport = s.sport ?? 40000 + ((uuidCounter * 7919) % 20000);
  let l4: Record<string, unknown>;
  if (protocol === 'TCP') {
    const flags =
      event === 'trace-established'
        ? { PSH: true, ACK: true }
        : reply
          ? { SYN: true, ACK: true }
          : { SYN: true };
    l4 = {
      TCP: reply
        ? { source_port: s.dport, destination_port: sport, flags }
        : { source_port: sport, destination_port: s.dport, flags },
    };
  } else if (protocol === 'UDP') {
    l4 = { UDP: { source_port: sport, destination_port: s.dport } };
  } else {
    l4 = { [protocol]: s.icmpType ? { type: s.icmpType } : {} };
  }
  const localEnd = s.localEnd ?? (direction === 'EGRESS' ? 'src' : 'dst');
  const v6 = s.src.ip.includes(':');
  const eventType =
    event === 'policy-verdict'
      ? { type: 5 }
      : event === 'drop'
        ? { type: 1, sub_type: s.dropReason === 'POLICY_DENY' ? 181 : 133 }
        : event === 'dns'
          ? { type: 129 }
          : { type: 4 };
  uuidCounter++;
  return {
    time: s.time,
    uuid: `5f0c${uuidCounter.toString(16).padStart(4, '0')}-1d2e-4f3a-9b8c-${uuidCounter.toString(16).padStart(12, '0')}`,
    verdict,
    ethernet: { source: '0a:58:0a:f4:01:14', destination: '0a:58:0a:f4:01:1f' },
    IP: { source: s.src.ip, destination: s.dst.ip, ipVersion: v6 ? 'IPv6' : 'IPv4' },
    l4,
    source: endpointJson(s.src, localEnd === 'src', 1200 + (s.src.identity % 800)),
    destination: endpointJson(s.dst, localEnd === 'dst', 1200 + (s.dst.identity % 800)),
    Type: event === 'dns' ? 'L7' : 'L3_L4',
    node_name: s.node,
    node_labels: [`kubernetes.io/hostname=${s.node.split('/').pop()}`],
    ...(s.destinationNames ? { destination_names: s.destinationNames } : {}),
    ...(event === 'dns'
      ? {
          l7: {
            type: 'REQUEST',
            dns: { query: `${s.destinationNames?.[0] ?? 'example.com'}.`, qtypes: ['A'] },
          },
        }
      : {}),
    event_type: eventType,
    traffic_direction: direction,
    ...(event === 'trace' || event === 'trace-established' ? { trace_observation_point: 'TO_ENDPOINT' } : {}),
    ...(event === 'trace' ? { trace_reason: reply ? 'REPLY' : 'NEW' } : {}),
    ...(event === 'trace-established' ? { trace_reason: 'ESTABLISHED' } : {}),
    ...(verdict === 'DROPPED' ? { drop_reason_desc: s.dropReason ?? 'POLICY_DENIED' } : {}),
    is_reply: reply,
    ...(protocol === 'TCP' ? { Summary: `TCP Flags: ${reply ? 'SYN, ACK' : 'SYN'}` } : {}),
  };
}

/** One `hubble observe -o json` line. */
export function observeLine(s: FlowSpec): string {
  return JSON.stringify({ flow: flowJson(s), node_name: s.node, time: s.time });
}

export function nodeStatusLine(time: string): string {
  return JSON.stringify({
    node_status: { state_change: 'NODE_CONNECTED', node_names: ['homelab/k3s-1'], message: '' },
    time,
  });
}

export function lostEventsLine(time: string, node: string): string {
  return JSON.stringify({
    lost_events: { source: 'PERF_EVENT_RING_BUFFER', num_events_lost: '42', cpu: 1 },
    node_name: node,
    time,
  });
}
