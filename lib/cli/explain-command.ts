/**
 * `cilium-lockdown explain`: evaluates one flow against policy manifests offline and explains
 * the decision of each enforcing end.
 *
 * Exit codes: 0 when the flow is forwarded, 1 when it would be dropped (DROPPED, or AUDIT: dropped
 * once enforced) or cannot be decided offline (UNDECIDED), 2 on unusable input (unreadable or
 * invalid YAML with file:line, bad endpoint, port or option syntax).
 *
 * When a pod endpoint is selected by none of the CiliumNetworkPolicies of its namespace (the real
 * pods probably carry other labels), a warning says so and no fix is proposed.
 *
 * JSON output (`--format json`), one object, keys always in this order:
 * {
 *   "verdict": "FORWARDED" | "DROPPED" | "AUDIT" | "UNDECIDED",
 *   "from": "traefik/app=traefik",           // endpoints and port in the CLI syntax
 *   "to": "blog/app=blog",
 *   "port": "80/TCP",                         // or "ICMPv4 type 8 (EchoRequest)", "VRRP"
 *   "options": { "policyEnforcementMode", "allowLocalhost", "policyAuditMode",
 *                "enableNonDefaultDenyPolicies", "clusterName", "cidrMatchNodes" },
 *   "egress":  Direction,                     // decided at the source
 *   "ingress": Direction,                     // decided at the destination
 *   "warnings": string[]                      // policies skipped or parts ignored, with file and path
 * }
 * Direction = {
 *   "direction": "egress" | "ingress",
 *   "endpoint": string,                       // the enforcing end
 *   "decision": "NOT_ENFORCED" | "ALLOWED" | "DENIED" | "DEFAULT_DENY" | "UNDECIDED",
 *   "audited": boolean,                       // a drop reported as AUDIT (audit mode)
 *   "l7": boolean,                            // allowed at L3/L4, L7 rules still apply
 *   "rules": [{ "kind", "namespace"?, "name", "path" }],  // deciding rules, e.g. path "spec.ingress[0]";
 *                                             // for DEFAULT_DENY the sections that made it default-deny
 *   "notes": string[],
 *   "summary": string,                        // the line the text format prints
 *   "fix"?: { "target": string, "element": object, "yaml": string }  // only for DEFAULT_DENY
 * }
 */
import { Command, Option } from 'commander';
import { explainFlow, FlowExplanation, DirectionExplanation } from '../engine/explain';
import { PolicyEngine } from '../engine/engine';
import { parsePeer, parseFlowPort, PeerSyntaxError } from '../engine/peer-syntax';
import { Flow, FlowPeer, NamedPort } from '../engine/types';
import { isCiliumPolicy } from '../manifest/types';
import { loadManifests } from '../manifest/load';
import { isServiceName } from '../cilium/ports';
import { unselectedPodHint } from '../engine/subject-hint';
import { EXIT_FINDINGS, EXIT_OK, printOut, runAction, UsageError } from './common';
import { addEngineFlags, EngineFlags, engineOptionsOf } from './engine-flags';

export interface ExplainCommandOptions extends EngineFlags {
  readonly policies: string[];
  readonly from: string;
  readonly to: string;
  readonly port: string;
  readonly format: 'text' | 'json';
  readonly namedPort?: string[];
}

function parseNamedPort(text: string): NamedPort {
  const m = /^([^=]+)=([0-9]{1,5})(?:\/(TCP|UDP|SCTP))?$/i.exec(text.trim());
  if (!m || !isServiceName(m[1]) || Number(m[2]) < 1 || Number(m[2]) > 65535) {
    throw new UsageError(`bad --named-port "${text}": expected name=port[/TCP|UDP|SCTP], e.g. http=8080/TCP`);
  }
  return {
    name: m[1].toLowerCase(),
    port: Number(m[2]),
    protocol: (m[3] ?? 'TCP').toUpperCase() as NamedPort['protocol'],
  };
}

function syntax<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof PeerSyntaxError) throw new UsageError(`${what}: ${e.message}`);
    throw e;
  }
}

function textReport(x: FlowExplanation, warnings: readonly string[]): string {
  const lines = [`${x.verdict}: ${x.from} -> ${x.to} on ${x.port}`];
  const side = (d: DirectionExplanation) => {
    lines.push(`  ${d.summary}`);
    const shown = new Set([d.notes[0]]);
    for (const n of d.notes) if (!shown.has(n) && !d.summary.includes(n)) lines.push(`    note: ${n}`);
    if (d.fix) {
      lines.push(`    to allow it, add to ${d.fix.target}:`);
      for (const l of d.fix.yaml.split('\n')) lines.push(`      ${l}`);
    }
  };
  side(x.egress);
  side(x.ingress);
  if (warnings.length > 0) {
    lines.push(`warnings (${warnings.length}):`);
    for (const w of warnings) lines.push(`  ${w}`);
  }
  return lines.join('\n');
}

/** Runs `explain`; returns the exit code. Exported for in-process tests. */
export function runExplain(opts: ExplainCommandOptions, out: (text: string) => void = printOut): number {
  const source: FlowPeer = syntax('--from', () => parsePeer(opts.from));
  let destination: FlowPeer = syntax('--to', () => parsePeer(opts.to));
  const port = syntax('--port', () => parseFlowPort(opts.port));
  if (opts.namedPort && opts.namedPort.length > 0) {
    destination = { ...destination, namedPorts: opts.namedPort.map(parseNamedPort) };
  }
  const manifests = loadManifests(opts.policies);
  const engine = PolicyEngine.fromManifests(manifests, engineOptionsOf(opts));
  const warnings = [...engine.warnings];
  if (!manifests.some((s) => isCiliumPolicy(s.manifest))) {
    warnings.push(
      `no CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy found in ${opts.policies.join(', ')}`,
    );
  }
  const flow: Flow = { source, destination, ...port };
  let x = explainFlow(flow, engine.evaluate(flow));
  if (x.verdict !== 'FORWARDED') {
    const hints = [
      unselectedPodHint(engine, source, opts.from),
      unselectedPodHint(engine, destination, opts.to),
    ].filter((h): h is string => !!h);
    if (hints.length > 0) {
      warnings.unshift(...hints);
      // The verdict is about a pod that may not exist: a fix for it would mislead.
      x = { ...x, egress: withoutFix(x.egress), ingress: withoutFix(x.ingress) };
    }
  }
  if (opts.format === 'json') {
    out(
      JSON.stringify(
        {
          verdict: x.verdict,
          from: x.from,
          to: x.to,
          port: x.port,
          options: engine.options,
          egress: x.egress,
          ingress: x.ingress,
          warnings,
        },
        null,
        2,
      ),
    );
  } else {
    out(textReport(x, warnings));
  }
  return x.verdict === 'FORWARDED' ? EXIT_OK : EXIT_FINDINGS;
}

function withoutFix(d: DirectionExplanation): DirectionExplanation {
  const { fix: _fix, ...rest } = d;
  return rest;
}

export function register(program: Command): void {
  const command = program
    .command('explain')
    .description("Evaluate one flow against Cilium policies offline and explain each side's decision")
    .requiredOption('--policies <paths...>', 'policy manifest files or directories (YAML/JSON)')
    .requiredOption(
      '--from <endpoint>',
      'source: ns/key=value,..., entity:<name>, fqdn:<name>[@ip], cidr:<ip>',
    )
    .requiredOption('--to <endpoint>', 'destination, same syntax as --from')
    .requiredOption('--port <port>', 'destination port: 80/TCP, 53/UDP, 443, icmp, ICMPv6:EchoRequest, VRRP');
  addEngineFlags(command, { audit: true })
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option(
      '--named-port <name=port/proto...>',
      'named container ports of the destination, e.g. http=8080/TCP',
    )
    .action(async (opts: ExplainCommandOptions) => runAction(() => runExplain(opts)));
}
