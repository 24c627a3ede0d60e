/**
 * Generates Hubble flow exports in `hubble observe -o json` line format.
 *
 *   npx tsx scripts/gen-hubble-export.ts --scenario homelab [--out file]
 *       the small audit-mode capture of the example homelab committed as
 *       test/fixtures/hubble/homelab-audit.jsonl
 *   npx tsx scripts/gen-hubble-export.ts --lines 2000000 [--seed 1] [--gzip] --out /tmp/flows.jsonl.gz
 *       a large synthetic export (deterministic for a seed): the homelab's traffic repeated
 *       with many pods, ports and times, plus replies, established packets, DNS L7 events,
 *       non-policy drops and node_status/lost_events lines (do not commit these)
 */
import * as fs from 'fs';
import * as zlib from 'zlib';
import {
  EndpointSpec,
  FlowSpec,
  HOMELAB,
  lostEventsLine,
  nodeStatusLine,
  observeLine,
  pod,
} from '../test/replay/hubble-builder';

const NODE1 = 'homelab/k3s-1';
const NODE2 = 'homelab/k3s-2';
const BASE_MS = Date.parse('2026-07-01T10:00:00Z');

function at(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.(\d{3})Z$/, (_m, f) => `.${f}${String((ms * 7919) % 1000000).padStart(6, '0')}Z`);
}

/** The events one connection leaves in an audit-mode capture (source-node egress, destination-node ingress, traces, a reply). */
function connection(
  spec: Omit<FlowSpec, 'time' | 'node'> & {
    srcNode: string;
    dstNode: string;
    ms: number;
    ingressVerdict?: FlowSpec['verdict'];
    egressVerdict?: FlowSpec['verdict'];
  },
): string[] {
  const base = { ...spec, sport: spec.sport ?? 32768 + ((spec.ms * 7) % 28000) };
  const out: string[] = [];
  out.push(
    observeLine({
      ...base,
      event: 'policy-verdict',
      direction: 'EGRESS',
      verdict: spec.egressVerdict ?? 'FORWARDED',
      time: at(spec.ms),
      node: spec.srcNode,
    }),
  );
  if (spec.dst.namespace || spec.dst.labels.includes('reserved:health')) {
    out.push(
      observeLine({
        ...base,
        event: 'policy-verdict',
        direction: 'INGRESS',
        verdict: spec.ingressVerdict ?? 'FORWARDED',
        time: at(spec.ms + 1),
        node: spec.dstNode,
      }),
    );
    out.push(
      observeLine({
        ...base,
        event: 'trace',
        direction: 'INGRESS',
        verdict: 'FORWARDED',
        time: at(spec.ms + 1),
        node: spec.dstNode,
      }),
    );
  }
  if ((spec.protocol ?? 'TCP') === 'TCP') {
    out.push(
      observeLine({
        ...base,
        src: spec.dst,
        dst: spec.src,
        event: 'trace',
        reply: true,
        direction: 'EGRESS',
        time: at(spec.ms + 2),
        node: spec.dstNode,
        destinationNames: undefined,
        localEnd: 'src',
      }),
    );
    out.push(
      observeLine({
        ...base,
        event: 'trace-established',
        direction: 'EGRESS',
        time: at(spec.ms + 3),
        node: spec.srcNode,
      }),
    );
  }
  return out;
}

/** The committed fixture: one hour of the homelab in audit mode, with the traffic its policies forget. */
export function homelabScenario(): string[] {
  const h = HOMELAB;
  const lines: string[] = [nodeStatusLine(at(BASE_MS - 1000))];
  let ms = BASE_MS;
  const step = () => (ms += 37_000);
  for (let i = 0; i < 3; i++) {
    lines.push(
      ...connection({
        src: h.traefik,
        dst: i % 2 ? h.blog2 : h.blog,
        dport: 80,
        sport: 51000 + i,
        srcNode: NODE1,
        dstNode: i % 2 ? NODE2 : NODE1,
        ms: step(),
      }),
    );
    lines.push(
      ...connection({
        src: h.traefik,
        dst: h.webapp,
        dport: 3000,
        sport: 52000 + i,
        srcNode: NODE1,
        dstNode: NODE2,
        ms: step(),
      }),
    );
    lines.push(
      ...connection({
        src: h.webapp,
        dst: h.postgres,
        dport: 5432,
        sport: 53000 + i,
        srcNode: NODE2,
        dstNode: NODE2,
        ms: step(),
      }),
    );
    lines.push(
      ...connection({
        src: h.host,
        dst: h.blog,
        dport: 80,
        sport: 54000 + i,
        srcNode: NODE1,
        dstNode: NODE1,
        ms: step(),
      }).slice(1),
    );
    lines.push(
      ...connection({
        src: h.host,
        dst: h.webapp,
        dport: 3000,
        sport: 54100 + i,
        srcNode: NODE2,
        dstNode: NODE2,
        ms: step(),
      }).slice(1),
    );
    // forgotten: Prometheus scrapes blog's exporter and webapp's metrics
    lines.push(
      ...connection({
        src: h.prometheus,
        dst: i % 2 ? h.blog2 : h.blog,
        dport: 9100,
        sport: 55000 + i,
        srcNode: NODE2,
        dstNode: i % 2 ? NODE2 : NODE1,
        ms: step(),
        ingressVerdict: 'AUDIT',
      }),
    );
    lines.push(
      ...connection({
        src: h.prometheus,
        dst: h.webapp,
        dport: 3000,
        sport: 55100 + i,
        srcNode: NODE2,
        dstNode: NODE2,
        ms: step(),
        ingressVerdict: 'AUDIT',
      }),
    );
    // forgotten: the reports namespace calls webapp
    lines.push(
      ...connection({
        src: h.reports,
        dst: h.webapp,
        dport: 3000,
        sport: 56000 + i,
        srcNode: NODE1,
        dstNode: NODE2,
        ms: step(),
        ingressVerdict: 'AUDIT',
      }),
    );
    // ArgoCD: DNS, the API server, GitHub (the apex github.com is not allowed)
    lines.push(
      observeLine({
        src: h.argocdRepo,
        dst: h.kubeDns,
        protocol: 'UDP',
        dport: 53,
        sport: 57000 + i,
        event: 'dns',
        direction: 'EGRESS',
        destinationNames: ['github.com'],
        time: at(step()),
        node: NODE1,
      }),
    );
    lines.push(
      ...connection({
        src: h.argocdRepo,
        dst: h.kubeDns,
        protocol: 'UDP',
        dport: 53,
        sport: 57000 + i,
        srcNode: NODE1,
        dstNode: NODE1,
        ms: ms + 1,
      }),
    );
    lines.push(
      ...connection({
        src: h.argocdRepo,
        dst: h.githubApex,
        dport: 443,
        sport: 58000 + i,
        destinationNames: ['github.com'],
        srcNode: NODE1,
        dstNode: NODE1,
        ms: step(),
        egressVerdict: 'AUDIT',
      }),
    );
    lines.push(
      ...connection({
        src: h.argocdRepo,
        dst: h.githubApi,
        dport: 443,
        sport: 58100 + i,
        destinationNames: ['api.github.com'],
        srcNode: NODE1,
        dstNode: NODE1,
        ms: step(),
      }),
    );
    lines.push(
      ...connection({
        src: h.argocdRepo,
        dst: h.githubRaw,
        dport: 443,
        sport: 58200 + i,
        destinationNames: ['raw.githubusercontent.com'],
        srcNode: NODE1,
        dstNode: NODE1,
        ms: step(),
      }),
    );
    lines.push(
      ...connection({
        src: h.argocdServer,
        dst: h.apiserver,
        dport: 6443,
        sport: 59000 + i,
        srcNode: NODE2,
        dstNode: NODE2,
        ms: step(),
      }),
    );
    lines.push(
      ...connection({
        src: h.argocdServer,
        dst: h.argocdRepo,
        dport: 8081,
        sport: 59100 + i,
        srcNode: NODE2,
        dstNode: NODE1,
        ms: step(),
      }),
    );
    // cilium-health probes from the other node: the cluster-wide default deny selects reserved:health
    lines.push(
      observeLine({
        src: h.remoteNode,
        dst: h.health,
        dport: 4240,
        sport: 60000 + i,
        event: 'policy-verdict',
        direction: 'INGRESS',
        verdict: 'AUDIT',
        time: at(step()),
        node: NODE2,
      }),
    );
    lines.push(
      observeLine({
        src: h.remoteNode,
        dst: h.health,
        protocol: 'ICMPv4',
        icmpType: 8,
        event: 'policy-verdict',
        direction: 'INGRESS',
        verdict: 'AUDIT',
        time: at(ms + 5),
        node: NODE2,
      }),
    );
    // a drop that is not policy's doing
    lines.push(
      observeLine({
        src: h.traefik,
        dst: h.blog,
        dport: 80,
        sport: 61000 + i,
        event: 'drop',
        dropReason: 'CT_MISSING_TCP_ACK_FLAG',
        direction: 'INGRESS',
        time: at(step()),
        node: NODE1,
      }),
    );
  }
  lines.push(lostEventsLine(at(ms + 1000), NODE2));
  return lines;
}

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A large export: `count` lines, deterministic for `seed`. */
export function* syntheticExport(count: number, seed = 1): Generator<string> {
  const rand = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const h = HOMELAB;
  const replicas = (base: EndpointSpec, n: number): EndpointSpec[] =>
    Array.from({ length: n }, (_, i) => ({
      ...base,
      pod: `${base.pod}-${i}`,
      ip: base.ip.replace(/\.\d+$/, `.${((Number(base.ip.split('.')[3]) + i * 3) % 250) + 2}`),
    }));
  const blogs = replicas(h.blog, 6);
  const webapps = replicas(h.webapp, 6);
  const tenants = Array.from({ length: 40 }, (_, i) =>
    pod(`team-${i}`, `api-${i}-7f8d9c6b5-kk2lp`, `10.244.${3 + (i % 50)}.${10 + i}`, 70000 + i, {
      app: `api-${i}`,
    }),
  );
  const templates: Array<{ weight: number; make: (ms: number) => string[] }> = [
    {
      weight: 30,
      make: (ms) =>
        connection({
          src: h.traefik,
          dst: pick(blogs),
          dport: 80,
          srcNode: NODE1,
          dstNode: pick([NODE1, NODE2]),
          ms,
        }),
    },
    {
      weight: 25,
      make: (ms) =>
        connection({ src: h.traefik, dst: pick(webapps), dport: 3000, srcNode: NODE1, dstNode: NODE2, ms }),
    },
    {
      weight: 15,
      make: (ms) =>
        connection({ src: pick(webapps), dst: h.postgres, dport: 5432, srcNode: NODE2, dstNode: NODE2, ms }),
    },
    {
      weight: 6,
      make: (ms) =>
        connection({
          src: h.prometheus,
          dst: pick(blogs),
          dport: 9100,
          srcNode: NODE2,
          dstNode: pick([NODE1, NODE2]),
          ms,
          ingressVerdict: 'AUDIT',
        }),
    },
    {
      weight: 4,
      make: (ms) =>
        connection({
          src: pick(tenants),
          dst: pick(webapps),
          dport: pick([3000, 3001]),
          srcNode: NODE1,
          dstNode: NODE2,
          ms,
          ingressVerdict: 'AUDIT',
        }),
    },
    {
      weight: 5,
      make: (ms) => [
        observeLine({
          src: h.argocdRepo,
          dst: h.kubeDns,
          protocol: 'UDP',
          dport: 53,
          event: 'dns',
          direction: 'EGRESS',
          destinationNames: ['github.com'],
          time: at(ms),
          node: NODE1,
        }),
      ],
    },
    {
      weight: 5,
      make: (ms) =>
        connection({
          src: h.argocdRepo,
          dst: h.kubeDns,
          protocol: 'UDP',
          dport: 53,
          srcNode: NODE1,
          dstNode: NODE1,
          ms,
        }),
    },
    {
      weight: 4,
      make: (ms) =>
        connection({
          src: h.argocdRepo,
          dst: {
            ...h.githubApex,
            ip: `140.82.${112 + Math.floor(rand() * 16)}.${Math.floor(rand() * 250) + 1}`,
          },
          dport: 443,
          destinationNames: ['github.com'],
          srcNode: NODE1,
          dstNode: NODE1,
          ms,
          egressVerdict: 'AUDIT',
        }),
    },
    {
      weight: 4,
      make: (ms) =>
        connection({
          src: h.argocdRepo,
          dst: h.githubApi,
          dport: 443,
          destinationNames: ['api.github.com'],
          srcNode: NODE1,
          dstNode: NODE1,
          ms,
        }),
    },
    {
      weight: 2,
      make: (ms) =>
        connection({
          src: { ...h.world, ip: `198.51.100.${Math.floor(rand() * 250) + 1}` },
          dst: h.traefik,
          dport: 8443,
          srcNode: NODE1,
          dstNode: NODE1,
          ms,
          ingressVerdict: 'AUDIT',
        }),
    },
    {
      weight: 2,
      make: (ms) => [
        observeLine({
          src: h.remoteNode,
          dst: h.health,
          dport: 4240,
          event: 'policy-verdict',
          direction: 'INGRESS',
          verdict: 'AUDIT',
          time: at(ms),
          node: NODE2,
        }),
      ],
    },
    {
      weight: 1,
      make: (ms) => [
        observeLine({
          src: h.traefik,
          dst: pick(blogs),
          dport: 80,
          event: 'drop',
          dropReason: 'CT_MISSING_TCP_ACK_FLAG',
          direction: 'INGRESS',
          time: at(ms),
          node: NODE1,
        }),
      ],
    },
    { weight: 0.05, make: (ms) => [nodeStatusLine(at(ms))] },
    { weight: 0.05, make: (ms) => [lostEventsLine(at(ms), NODE2)] },
  ];
  const total = templates.reduce((n, t) => n + t.weight, 0);
  let produced = 0;
  let ms = BASE_MS;
  while (produced < count) {
    ms += Math.floor(rand() * 50);
    let r = rand() * total;
    const template = templates.find((t) => (r -= t.weight) < 0) ?? templates[0];
    for (const line of template.make(ms)) {
      if (produced++ >= count) return;
      yield line;
    }
  }
}

/** Writes lines to a file (gzip-compressed when asked), respecting backpressure. */
export async function writeExport(path: string, lines: Iterable<string>, gzip = false): Promise<void> {
  const file = fs.createWriteStream(path);
  const out: NodeJS.WritableStream = gzip ? zlib.createGzip({ level: 6 }) : file;
  if (gzip) (out as zlib.Gzip).pipe(file);
  let batch: string[] = [];
  const flush = async () => {
    if (!out.write(`${batch.join('\n')}\n`)) await new Promise((r) => out.once('drain', r));
    batch = [];
  };
  for (const line of lines) {
    batch.push(line);
    if (batch.length >= 2000) await flush();
  }
  if (batch.length) await flush();
  await new Promise<void>((resolve, reject) => {
    file.on('finish', resolve);
    file.on('error', reject);
    out.end();
  });
}

async function main(argv: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i === -1 ? undefined : argv[i + 1];
  };
  const out = arg('--out');
  const gzip = argv.includes('--gzip');
  let lines: Iterable<string>;
  if (arg('--scenario') === 'homelab') lines = homelabScenario();
  else if (arg('--lines')) lines = syntheticExport(Number(arg('--lines')), Number(arg('--seed') ?? 1));
  else
    throw new Error(
      'usage: gen-hubble-export.ts (--scenario homelab | --lines N [--seed S]) [--gzip] [--out file]',
    );
  if (out) await writeExport(out, lines, gzip);
  else for (const line of lines) process.stdout.write(`${line}\n`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  });
}
