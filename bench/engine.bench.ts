/**
 * Evaluator throughput: `npx tsx bench/engine.bench.ts [policies] [flows]`.
 * Generates a synthetic cluster (namespaces, apps, CNPs and CCNPs of every common shape) and
 * replays random flows over a few hundred identities; prints load time, flows/s and heap.
 */
import type * as EngineModule from '../lib/engine/engine';
import { Flow, FlowPeer } from '../lib/engine/types';
import { KubeManifest } from '../lib/manifest/types';
import { shipped } from './shipped';
import { checkTargets } from './targets';

const { PolicyEngine } = shipped<typeof EngineModule>('engine/engine');

const POLICIES = Number(process.argv[2] ?? 2000);
const FLOWS = Number(process.argv[3] ?? 1_000_000);
const NAMESPACES = 40;
const APPS_PER_NS = 8;

let seed = 42;
/** mulberry32: deterministic, well-spread pseudo-random integers in [0, n). */
function rand(n: number): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) % n;
}

const ns = (i: number) => `ns${i % NAMESPACES}`;
const app = (i: number) => `app${i % APPS_PER_NS}`;
const tcp = (port: number) => ({ toPorts: [{ ports: [{ port: String(port), protocol: 'TCP' }] }] });

function policy(i: number): KubeManifest {
  const n = ns(i);
  const subject = { matchLabels: { app: app(i) } };
  const shapes: Array<() => Record<string, unknown>> = [
    () => ({
      endpointSelector: subject,
      ingress: [{ fromEndpoints: [{ matchLabels: { app: app(i + 1) } }], ...tcp(8000 + rand(50)) }],
    }),
    () => ({
      endpointSelector: subject,
      ingress: [
        {
          fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': ns(i + 3), app: app(i + 2) } }],
          ...tcp(80),
        },
      ],
    }),
    () => ({
      endpointSelector: subject,
      egress: [
        { toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': ns(i + 1) } }], ...tcp(5432) },
      ],
    }),
    () => ({
      endpointSelector: subject,
      egress: [
        {
          toFQDNs: [{ matchPattern: `*.svc${i % 17}.example.com` }, { matchName: 'api.github.com' }],
          ...tcp(443),
        },
      ],
    }),
    () => ({
      endpointSelector: subject,
      egress: [{ toCIDRSet: [{ cidr: `10.${i % 200}.0.0/16`, except: [`10.${i % 200}.1.0/24`] }] }],
    }),
    () => ({
      endpointSelector: subject,
      ingress: [{ fromEntities: ['cluster'] }],
      ingressDeny: [{ fromEntities: ['world'], ...tcp(22) }],
    }),
    () => ({
      endpointSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] },
      ingress: [
        {
          toPorts: [
            {
              ports: [{ port: '8080', endPort: 8090, protocol: 'TCP' }],
              rules: { http: [{ method: 'GET' }] },
            },
          ],
        },
      ],
    }),
  ];
  const spec = shapes[i % shapes.length]();
  if (i % 400 === 399) {
    return {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumClusterwideNetworkPolicy',
      metadata: { name: `ccnp-${i}` },
      spec: {
        endpointSelector: { matchLabels: { team: `t${i % 5}` } },
        egress: [
          {
            toEndpoints: [
              {
                matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' },
              },
            ],
            toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }],
          },
        ],
      },
    };
  }
  return {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name: `p-${i}`, namespace: n },
    spec,
  };
}

function identities(): FlowPeer[] {
  const out: FlowPeer[] = [];
  for (let n = 0; n < NAMESPACES; n++) {
    for (let a = 0; a < APPS_PER_NS; a++) {
      out.push({
        labels: [
          `k8s:io.kubernetes.pod.namespace=ns${n}`,
          `k8s:app=app${a}`,
          `k8s:tier=${a % 3 === 0 ? 'web' : 'db'}`,
          `k8s:team=t${(n + a) % 5}`,
        ],
      });
    }
  }
  out.push({ labels: ['k8s:io.kubernetes.pod.namespace=kube-system', 'k8s:k8s-app=kube-dns'] });
  out.push(
    { labels: ['reserved:host'] },
    { labels: ['reserved:remote-node'] },
    { labels: ['reserved:kube-apiserver', 'reserved:remote-node'] },
  );
  for (let i = 0; i < 40; i++)
    out.push({
      labels: ['reserved:world'],
      ip: `10.${i}.${i % 3}.7`,
      ...(i % 2 ? { dnsNames: [`x.svc${i % 17}.example.com`] } : {}),
    });
  return out;
}

/** CPU seconds since `start` (user + system): stable when other processes share the machine. */
function cpuSeconds(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

function rate(n: number, seconds: number): string {
  return Math.round(n / seconds).toLocaleString('en-US');
}

function main(): void {
  const manifests = Array.from({ length: POLICIES }, (_, i) => policy(i));
  const ids = identities();
  const ports = [80, 443, 5432, 8000, 8005, 8080, 8085, 22, 53];
  const flows: Flow[] = Array.from({ length: 20_000 }, () => ({
    source: ids[rand(ids.length)],
    destination: ids[rand(ids.length)],
    protocol: rand(10) === 0 ? 'UDP' : 'TCP',
    port: ports[rand(ports.length)],
  }));

  const t0 = process.hrtime.bigint();
  const engine = PolicyEngine.fromManifests(manifests);
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (engine.warnings.length > 0)
    throw new Error(`unexpected warnings: ${engine.warnings.slice(0, 3).join('; ')}`);

  const verdicts: Record<string, number> = {};
  const cpu1 = process.cpuUsage();
  const t1 = process.hrtime.bigint();
  for (let i = 0; i < FLOWS; i++) {
    const v = engine.evaluate(flows[i % flows.length]).verdict;
    verdicts[v] = (verdicts[v] ?? 0) + 1;
  }
  const evalS = Number(process.hrtime.bigint() - t1) / 1e9;
  const evalCpuS = cpuSeconds(cpu1);

  // Worst case for the decision cache: every flow goes to a new world address.
  const COLD = Math.min(FLOWS, 200_000);
  const pods = ids.filter((p) => p.labels[0].startsWith('k8s:io.kubernetes.pod.namespace=ns'));
  const cpu2 = process.cpuUsage();
  const t2 = process.hrtime.bigint();
  for (let i = 0; i < COLD; i++) {
    engine.evaluate({
      source: pods[i % pods.length],
      destination: { labels: ['reserved:world'], ip: `172.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
      protocol: 'TCP',
      port: 443,
    });
  }
  const coldS = Number(process.hrtime.bigint() - t2) / 1e9;
  const coldCpuS = cpuSeconds(cpu2);
  const heapMb = process.memoryUsage().heapUsed / 1024 / 1024;
  console.log(
    `policies: ${POLICIES} (${engine.rules.length} rules), identities: ${engine.identityCount}, distinct flows: ${flows.length}`,
  );
  console.log(`load: ${loadMs.toFixed(0)} ms`);
  console.log(
    `evaluate: ${FLOWS} flows in ${evalS.toFixed(2)} s wall, ${evalCpuS.toFixed(2)} s CPU = ${rate(FLOWS, evalCpuS)} flows/s (CPU)`,
  );
  console.log(
    `uncached (each flow to a new world IP): ${COLD} flows in ${coldS.toFixed(2)} s wall, ${coldCpuS.toFixed(2)} s CPU = ${rate(COLD, coldCpuS)} flows/s (CPU)`,
  );
  console.log(`heap used: ${heapMb.toFixed(0)} MB`);
  console.log(`verdicts: ${JSON.stringify(verdicts)}`);
  checkTargets([
    { name: 'load time of the policies (ms)', value: loadMs, limit: 10_000, kind: 'max' },
    { name: 'cached evaluation (flows/s of CPU)', value: FLOWS / evalCpuS, limit: 200_000, kind: 'min' },
    { name: 'uncached evaluation (flows/s of CPU)', value: COLD / coldCpuS, limit: 20_000, kind: 'min' },
    { name: 'heap used (MB)', value: heapMb, limit: 1024, kind: 'max' },
  ]);
}

main();
