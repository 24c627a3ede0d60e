/**
 * `cilium-lockdown matrix`: the connectivity matrix of the workloads in the manifests under the
 * given policies, as a table or as a service map (DOT, SVG, self-contained HTML).
 *
 * Nodes: every Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob and Pod (pod template
 * labels, namespace, service account, Namespace labels; hostNetwork pods are the host), the
 * entities world and host plus those policies mention, one node per CIDR of a CIDR rule, and one
 * per toFQDNs name (an example name for each matchPattern, listed in the output). Ports per
 * destination: its container ports plus the policy ports some rule decides a flow to it on
 * (entities, CIDRs and FQDNs without any: 443/TCP, apiserver 6443/TCP, host and remote-node
 * 10250/TCP, health 4240/TCP); `--ports` replaces them for every destination. Pairs where neither
 * end enforces policy (world -> host) are left out. Workloads sharing an identity (same identity
 * labels and named ports) are evaluated once, on every port any of them declares.
 *
 * The service map (dot, svg, html) starts at namespace level above 60 workloads (the HTML page
 * drills into a namespace on click); `--namespace` draws one namespace with its peers.
 *
 * Exit codes: 0 when the matrix was computed (whatever it shows), 2 on unusable input (unreadable
 * or invalid YAML with file:line, a malformed workload, bad --ports).
 *
 * JSON output (`--format json`); arrays sorted as described, keys always in this order:
 * {
 *   "nodes": [{                              // workloads (by namespace/name), entities, CIDRs, FQDNs
 *     "id": "blog/blog",                     // or "entity:host", "cidr:10.0.0.0/8", "fqdn:api.github.com"
 *     "kind": "workload" | "entity" | "cidr" | "fqdn",
 *     "namespace": "blog" | null,
 *     "name": "blog",
 *     "labels": ["k8s:app=blog", ...],        // identity labels, sorted
 *     "workloadKind"?: "Deployment",         // workloads only
 *     "hostNetwork"?: true,
 *     "examplePatterns"?: ["**.github.com"], // FQDN example names: the patterns they stand for
 *     "ports": ["80/TCP"],                   // ports evaluated with this node as destination
 *     "enforced": { "ingress": bool, "egress": bool },  // a policy (or the enforcement mode) governs it
 *     "identity"?: "shop/web-a+1"            // when it shares its identity with other workloads
 *   }],
 *   "identities": [{                         // identities of 2+ workloads (same labels and named ports)
 *     "id": "shop/web-a+1", "labels": [...], "workloads": ["shop/web-a", "shop/web-b"], "ports": ["8080/TCP"]
 *   }],
 *   "edges": [{                              // one per (from, to, port) of identities (a workload with
 *                                            // an identity of its own: its node id), in node then port order
 *     "from": "traefik/traefik", "to": "blog/blog",
 *     "port": 80 | null, "protocol": "TCP" | "UDP" | "SCTP" | "ICMPv4" | "ICMPv6" | "VRRP" | "IGMP",
 *     "icmpType"?: 8,
 *     "verdict": "FORWARDED" | "DROPPED" | "AUDIT" | "UNDECIDED",
 *     "egress": "NOT_ENFORCED" | "ALLOWED" | "DENIED" | "DEFAULT_DENY" | "UNDECIDED",  // at the source
 *     "ingress": ...,                        // at the destination
 *     "policyInvolved": bool,                // a policy rule decided (false: no policy, or implicit allows)
 *     "rules": ["CiliumNetworkPolicy blog/blog-policy spec.ingress[0]"],  // deciding rules, sorted
 *     "reason"?: string                      // why UNDECIDED
 *   }],
 *   "summary": {
 *     "policies": { "total": 5, "byKind": { "CiliumClusterwideNetworkPolicy": 1, ... } },
 *     "nodes": { "workloads", "entities", "cidrs", "fqdns" },
 *     "flows": { "total", "FORWARDED", "DROPPED", "AUDIT", "UNDECIDED" },
 *     "options": { "policyEnforcementMode", "allowLocalhost", "policyAuditMode",
 *                  "enableNonDefaultDenyPolicies", "clusterName", "cidrMatchNodes" },
 *     "ports": "declared" | "option",        // discovered per destination, or --ports
 *     "fqdnExamples": [{ "pattern": "**.github.com", "example": "api.github.com" }],
 *     "warnings": string[]                   // policies skipped or parts ignored, with file and path
 *   }
 * }
 */
import { once } from 'events';
import * as fs from 'fs';
import * as path from 'path';
import { Command, Option } from 'commander';
import { loadManifests } from '../manifest/load';
import { computeMatrix } from '../matrix/compute';
import { renderDot } from '../matrix/render-dot';
import { renderHtml } from '../matrix/render-html';
import { renderJsonChunks } from '../matrix/render-json';
import { renderSvg } from '../matrix/render-svg';
import { renderMarkdown, renderText } from '../matrix/render-table';
import { mapNamespaces, UnknownNamespaceError } from '../matrix/service-map';
import { WorkloadError } from '../matrix/workloads';
import { EXIT_OK, runAction, UsageError } from './common';
import { addEngineFlags, EngineFlags, engineOptionsOf, portsFlag } from './engine-flags';

export const MATRIX_FORMATS = ['text', 'markdown', 'json', 'dot', 'svg', 'html'] as const;

export interface MatrixCommandOptions extends EngineFlags {
  readonly policies: string[];
  readonly workloads?: string[];
  readonly ports?: string;
  readonly format: (typeof MATRIX_FORMATS)[number];
  readonly allEdges?: boolean;
  readonly namespace?: string;
  readonly output?: string;
}

/** Computes the matrix and renders it: json in pieces (it can exceed one string), the rest whole. */
async function matrixOutput(opts: MatrixCommandOptions): Promise<Iterable<string>> {
  const ports = portsFlag(opts.ports);
  const policies = loadManifests(opts.policies);
  const workloads = opts.workloads && opts.workloads.length > 0 ? loadManifests(opts.workloads) : [];
  const engine = engineOptionsOf(opts);
  let matrix;
  try {
    matrix = computeMatrix({ policies, workloads }, { engine, ...(ports ? { ports } : {}) });
  } catch (e) {
    if (e instanceof WorkloadError) throw new UsageError(e.message);
    throw e;
  }
  const map = {
    allEdges: !!opts.allEdges,
    ...(opts.namespace !== undefined ? { namespace: opts.namespace } : {}),
  };
  if (opts.namespace !== undefined) {
    if (!['dot', 'svg', 'html'].includes(opts.format))
      throw new UsageError(
        `--namespace applies to the service map (--format dot, svg or html), not --format ${opts.format}`,
      );
    if (!mapNamespaces(matrix).includes(opts.namespace))
      throw new UsageError(new UnknownNamespaceError(opts.namespace, mapNamespaces(matrix)).message);
  }
  switch (opts.format) {
    case 'markdown':
      return [renderMarkdown(matrix)];
    case 'json':
      return renderJsonChunks(matrix);
    case 'dot':
      return [renderDot(matrix, map)];
    case 'svg':
      return [await renderSvg(matrix, map)];
    case 'html':
      return [await renderHtml(matrix, map)];
    default:
      return [renderText(matrix)];
  }
}

/** Runs `matrix` and returns the rendered output (no trailing-newline games). Exported for tests. */
export async function renderMatrix(opts: MatrixCommandOptions): Promise<string> {
  return [...(await matrixOutput(opts))].join('');
}

/** Writes the pieces through a temporary file and a rename, so readers never see half a file. */
function writeChunksAtomic(file: string, chunks: Iterable<string>): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'wx');
    for (const chunk of chunks) fs.writeSync(fd, chunk);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, file);
  } catch (error) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

async function writeStdout(chunks: Iterable<string>): Promise<void> {
  for (const chunk of chunks) {
    if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
  }
}

export async function runMatrix(opts: MatrixCommandOptions, out?: (text: string) => void): Promise<number> {
  const chunks = await matrixOutput(opts);
  if (opts.output) {
    try {
      writeChunksAtomic(opts.output, chunks);
    } catch (e) {
      throw new UsageError(
        `--output ${opts.output}: cannot write: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
      );
    }
  } else if (out) {
    out([...chunks].join(''));
  } else {
    await writeStdout(chunks);
  }
  return EXIT_OK;
}

export function register(program: Command): void {
  const command = program
    .command('matrix')
    .description(
      'Show which workloads may talk to which, on which ports, under the policies: a table or a service map (DOT, SVG, HTML)',
    )
    .requiredOption(
      '--policies <paths...>',
      'policy manifest files or directories (workloads in them are used too)',
    )
    .option(
      '--workloads <paths...>',
      'manifests with Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, Pods',
    )
    .option('--ports <list>', 'evaluate these ports for every destination, e.g. 80/TCP,5432/TCP,53/UDP,icmp')
    .addOption(new Option('--format <format>', 'output format').choices([...MATRIX_FORMATS]).default('text'))
    .option('--all-edges', 'service map: draw every edge, not only those between pairs a policy names')
    .option(
      '--namespace <name>',
      "service map: this namespace's workloads and every node they exchange flows with",
    );
  addEngineFlags(command)
    .option('--output <file>', 'write to this file instead of stdout')
    .action(async (opts: MatrixCommandOptions) => runAction(() => runMatrix(opts)));
}
