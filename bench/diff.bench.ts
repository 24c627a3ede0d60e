/**
 * Connectivity diff cost relative to the matrix: `npx tsx bench/diff.bench.ts [workloads]`.
 * The diff evaluates both sides with the matrix, so its targets are ratios to one matrix of the
 * same manifests measured in the same run: a faster matrix makes the diff faster by as much.
 */
import type * as DiffModule from '../lib/diff/compute';
import { KubeManifest, SourcedManifest } from '../lib/manifest/types';
import type * as MatrixModule from '../lib/matrix/compute';
import { generatedDeployment } from './matrix-cluster';
import { shipped } from './shipped';
import { checkTargets } from './targets';

const { diffConnectivity } = shipped<typeof DiffModule>('diff/compute');
const { computeMatrix } = shipped<typeof MatrixModule>('matrix/compute');

const WORKLOADS = Number(process.argv[2] ?? 60);
const NAMESPACES = 6;

function workload(i: number): KubeManifest {
  return generatedDeployment(`app${i}`, `ns${i % NAMESPACES}`, { app: `app${i}` }, 8000 + (i % 7));
}

/** Each app accepts the previous app of its namespace on its port; some reach a DNS name. */
function policy(i: number, port: number): KubeManifest {
  const ns = `ns${i % NAMESPACES}`;
  return {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name: `app${i}`, namespace: ns },
    spec: {
      endpointSelector: { matchLabels: { app: `app${i}` } },
      ingress: [
        {
          fromEndpoints: [{ matchLabels: { app: `app${Math.max(0, i - NAMESPACES)}` } }],
          toPorts: [{ ports: [{ port: String(port), protocol: 'TCP' }] }],
        },
      ],
      ...(i % 5 === 0
        ? {
            egress: [
              {
                toFQDNs: [{ matchName: `api${i % 3}.example.com` }],
                toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }],
              },
            ],
          }
        : {}),
    },
  };
}

function side(name: string, manifests: KubeManifest[]): SourcedManifest[] {
  return manifests.map((manifest, i) => ({ manifest, file: `${name}.yaml`, line: i + 1 }));
}

/** CPU seconds of `fn`, best of five runs: the runs are short, a collection or a recompilation would dominate one. */
function cpu(fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const start = process.cpuUsage();
    fn();
    const d = process.cpuUsage(start);
    best = Math.min(best, (d.user + d.system) / 1e6);
  }
  return best;
}

function main(): void {
  const workloads = Array.from({ length: WORKLOADS }, (_, i) => workload(i));
  const policies = (moved: boolean) =>
    workloads.map((_, i) => policy(i, moved && i % 4 === 0 ? 9000 : 8000 + (i % 7)));
  const base = side('base', [...workloads, ...policies(false)]);
  const head = side('head', [...workloads, ...policies(true)]);
  const deny = {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumClusterwideNetworkPolicy',
    metadata: { name: 'deny' },
    spec: { endpointSelector: {}, ingress: [{ fromEntities: ['health'] }] },
  };
  const headWithDeny = side('head', [...workloads, ...policies(false), deny]);

  // Warm-up: the first run also compiles the code.
  computeMatrix({ policies: base }, { engine: {} });
  diffConnectivity({ base, head }, { engine: {} });
  let cells = 0;
  const matrixS = cpu(() => {
    cells = computeMatrix({ policies: base }, { engine: {} }).cells.length;
  });
  const sameS = cpu(() => diffConnectivity({ base, head: base }, { engine: {} }));
  let changed = 0;
  const portsS = cpu(() => {
    changed = diffConnectivity({ base, head }, { engine: {} }).counts.denied;
  });
  let denied = 0;
  const denyS = cpu(() => {
    denied = diffConnectivity({ base, head: headWithDeny }, { engine: {} }).counts.denied;
  });
  console.log(`workloads: ${WORKLOADS}, flows per matrix: ${cells}`);
  console.log(`matrix: ${matrixS.toFixed(2)} s CPU`);
  console.log(
    `diff, identical sides: ${sameS.toFixed(2)} s CPU (${(sameS / matrixS).toFixed(2)}x the matrix)`,
  );
  console.log(
    `diff, ports moved (${changed} flows newly denied): ${portsS.toFixed(2)} s CPU (${(portsS / matrixS).toFixed(2)}x)`,
  );
  console.log(
    `diff, a new CCNP default deny (${denied} flows newly denied): ${denyS.toFixed(2)} s CPU (${(denyS / matrixS).toFixed(2)}x)`,
  );
  checkTargets([
    {
      name: 'diff of identical sides / one matrix (x100)',
      value: (100 * sameS) / matrixS,
      limit: 250,
      kind: 'max',
    },
    {
      name: 'diff with moved ports / one matrix (x100)',
      value: (100 * portsS) / matrixS,
      limit: 450,
      kind: 'max',
    },
    // The CCNP adds the health entity's node and makes port discovery scan more pairs on that side.
    {
      name: 'diff with a new default deny / one matrix (x100)',
      value: (100 * denyS) / matrixS,
      limit: 300,
      kind: 'max',
    },
  ]);
}

main();
