/**
 * Synthetic workloads for the replay bench: a large cluster (policies across many namespaces)
 * and exports in which every line is a new connection. Deterministic; nothing is committed.
 */
import { KubeManifest } from '../lib/manifest/types';
import { EndpointSpec, observeLine, pod, reserved } from '../test/replay/hubble-builder';
import { prng } from '../scripts/gen-hubble-export';

const NS = 'k8s:io.kubernetes.pod.namespace';
const APPS = ['a', 'b', 'c', 'd', 'e'] as const;

const tcp = (port: number) => ({ toPorts: [{ ports: [{ port: String(port), protocol: 'TCP' }] }] });
const dns = {
  toEndpoints: [{ matchLabels: { [NS]: 'kube-system', 'k8s:k8s-app': 'kube-dns' } }],
  toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }],
};

/** Five policies per namespace, of the shapes a platform team writes: `namespaces * 5` in all. */
export function largeClusterPolicies(namespaces: number): KubeManifest[] {
  const out: KubeManifest[] = [];
  for (let i = 0; i < namespaces; i++) {
    const ns = `ns${i}`;
    const next = `ns${(i + 1) % namespaces}`;
    const cnp = (name: string, spec: Record<string, unknown>): KubeManifest => ({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name, namespace: ns },
      spec,
    });
    out.push(
      cnp('b-from-a', {
        endpointSelector: { matchLabels: { app: 'b' } },
        ingress: [
          { fromEndpoints: [{ matchLabels: { app: 'a' } }], ...tcp(8080) },
          { fromEndpoints: [{ matchLabels: { [NS]: next, app: 'a' } }], ...tcp(443) },
        ],
      }),
      cnp('a-egress', {
        endpointSelector: { matchLabels: { app: 'a' } },
        egress: [
          dns,
          { toEndpoints: [{ matchLabels: { app: 'b' } }], ...tcp(8080) },
          { toEndpoints: [{ matchLabels: { app: 'c' } }], ...tcp(5432) },
          {
            toEndpoints: [{ matchLabels: { [NS]: `ns${(i + namespaces - 1) % namespaces}`, app: 'b' } }],
            ...tcp(443),
          },
        ],
      }),
      cnp('c-from-a', {
        endpointSelector: { matchLabels: { app: 'c' } },
        ingress: [{ fromEndpoints: [{ matchLabels: { app: 'a' } }], ...tcp(5432) }],
      }),
      cnp('d-fqdn', {
        endpointSelector: { matchLabels: { app: 'd' } },
        egress: [
          dns,
          {
            toFQDNs: [{ matchName: 'api.example.com' }, { matchPattern: `*.svc${i % 17}.example.com` }],
            ...tcp(443),
          },
        ],
      }),
      cnp('e-cidr', {
        endpointSelector: { matchLabels: { app: 'e' } },
        egress: [{ toCIDRSet: [{ cidr: `10.${i % 200}.0.0/16`, except: [`10.${i % 200}.1.0/24`] }] }],
        ingress: [{ fromEntities: ['cluster'] }],
        ingressDeny: [{ fromEntities: ['world'], ...tcp(22) }],
      }),
    );
  }
  return out;
}

const BASE_MS = Date.parse('2026-07-01T10:00:00Z');

/**
 * `count` first-packet policy-verdict lines across the large cluster, each a connection of its
 * own (a fresh source address and port): the connection table is always full and evicting.
 * Destinations outside the cluster come from small pools of addresses, as real egress does.
 */
export function* largeClusterExport(count: number, namespaces: number, seed = 7): Generator<string> {
  const rand = prng(seed);
  const pods: EndpointSpec[][] = [];
  for (let i = 0; i < namespaces; i++) {
    pods.push(
      APPS.map((app, k) =>
        pod(
          `ns${i}`,
          `${app}-7f8d9c6b5-${String(i).padStart(5, '0')}`,
          `10.${100 + (i >> 8)}.${i & 255}.${10 + k}`,
          100000 + i * 10 + k,
          { app },
        ),
      ),
    );
  }
  const world = reserved('world', '203.0.113.9', 2);
  for (let n = 0; n < count; n++) {
    const i = Math.floor(rand() * namespaces);
    const [a, b, c, d, e] = pods[i];
    const r = rand();
    const time = new Date(BASE_MS + n * 3).toISOString();
    const sport = 32768 + (n % 28000);
    const fresh = (ep: EndpointSpec): EndpointSpec => ({
      ...ep,
      ip: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
    });
    const node = `default/node-${i % 20}`;
    if (r < 0.35)
      yield observeLine({ src: fresh(a), dst: b, dport: 8080, sport, direction: 'INGRESS', time, node });
    else if (r < 0.55)
      yield observeLine({ src: fresh(a), dst: c, dport: 5432, sport, direction: 'EGRESS', time, node });
    else if (r < 0.7)
      yield observeLine({
        src: fresh(pods[(i + 1) % namespaces][0]),
        dst: b,
        dport: 443,
        sport,
        direction: 'INGRESS',
        time,
        node,
      });
    else if (r < 0.85)
      yield observeLine({
        src: fresh(d),
        dst: { ...world, ip: `140.82.${112 + (n % 4)}.${1 + (n % 23)}` },
        dport: 443,
        sport,
        direction: 'EGRESS',
        destinationNames: ['api.example.com'],
        time,
        node,
      });
    else if (r < 0.95)
      yield observeLine({
        src: fresh(e),
        dst: { ...world, ip: `10.${i % 200}.${2 + (n % 5)}.${1 + (n % 37)}` },
        dport: 9000,
        sport,
        direction: 'EGRESS',
        time,
        node,
      });
    else
      yield observeLine({
        src: fresh(pods[Math.floor(rand() * namespaces)][3]),
        dst: b,
        dport: 8080,
        sport,
        verdict: 'AUDIT',
        direction: 'INGRESS',
        time,
        node,
      });
  }
}

/** The homelab export with every line turned into a connection of its own (fresh source port and address). */
export function* everyLineNewConnection(lines: Iterable<string>): Generator<string> {
  let n = 0;
  for (const line of lines) {
    n++;
    yield line
      .replace(/"source_port":\d+/, `"source_port":${1024 + (n % 60000)}`)
      .replace(
        /"IP":\{"source":"[^"]+"/,
        `"IP":{"source":"10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}"`,
      );
  }
}
