/**
 * `cilium-lockdown replay`: audit-mode replay of Hubble flows against policy manifests.
 *
 * Predicts, with enforcement on (`policyAuditMode: false`), what the policies would do to the
 * connections Hubble observed, and fails (exit 1) when any of them would be dropped.
 *
 * Input (`--flows`, a file or `-`, gzip detected by magic bytes): one JSON object per line:
 * `hubble observe -o json`/`-o jsonpb` (`{"flow":{...},"node_name":...,"time":...}`), Hubble
 * exporter files (same envelope, any fieldMask that keeps source/destination labels, IP, l4),
 * or bare legacy Flow JSON. `node_status`/`lost_events` lines are skipped and counted.
 * Evaluated: policy-verdict events, POLICY_DENIED/POLICY_DENY drops and first packets (TCP SYN
 * without ACK, UDP, SCTP, ICMP requests); skipped with a reason: replies, L7 events, other
 * drops, established-connection packets. `--since`/`--until` take RFC 3339 times or durations
 * before now (`30m`, `1h30m`, `2d`).
 *
 * Exit codes: 0 nothing would be dropped, 1 something would (or, with --fail-on-undecided,
 * something is undecided), 2 unusable input.
 *
 * `--format json` prints one document:
 * {
 *   "input": "<file or <stdin>>",
 *   "policies": <number of CNP/CCNP manifests>,
 *   "warnings": ["<policy or part the engine skipped>", ...],
 *   "summary": {
 *     "lines", "evaluated", "skipped", "malformed",   // lines = evaluated + skipped + malformed
 *     "groups",                                       // groups of identical flows
 *     "wouldDrop", "wouldDropConnections", "wouldDropEvents", // groups predicted DROPPED and their totals
 *     "undecided",                                    // groups predicted UNDECIDED
 *     "skippedByReason": {"<reason>": n, ...},        // most frequent first
 *     "malformedLines": [{"line", "reason"}, ...]     // the first 100
 *   },
 *   "groups": [{                                      // DROPPED, then UNDECIDED, then FORWARDED; most connections first
 *     "id", "source": {"labels", "display"}, "destination": {"labels", "dnsNames"?, "ip"?, "display"},
 *     "protocol", "port"?, "icmpType"?,
 *     "predicted": "DROPPED|UNDECIDED|FORWARDED",
 *     "reasons": ["egress: default deny from <kind> <ns>/<name>", "ingress: denied by <rule> <path>", ...],
 *     "egress": {"decision", "rules": [{"kind", "namespace"?, "name", "path"}], "l7"?, "notes"?}, "ingress": {...},
 *     "connections", "events", "observed": {"AUDIT": n, "DROPPED (POLICY_DENIED)": n, ...},
 *     "directions": {"INGRESS": n, "EGRESS": n}, "firstSeen"?, "lastSeen"?, "nodes", "moreNodes"?,
 *     "examplePods": {"source": [...], "destination": [...]}, "firstLine"
 *   }],
 *   "flows": [                                        // only with --per-flow, in line order
 *     {"line", "observed", "predicted", "group", "ingress": {"decision", "rules"}, "egress": {...}}
 *   ]
 * }
 */
import { Command, Option } from 'commander';
import { ReportContext, renderJson, renderMarkdown, renderText } from '../replay/report';
import { addReplayInputOptions, ReplayFlags, runReplay } from '../replay/run';
import { EXIT_FINDINGS, EXIT_OK, runAction } from './common';
import { bufferedWriter } from '../replay/output';

interface ReplayCommandFlags extends ReplayFlags {
  readonly format: 'text' | 'markdown' | 'json';
  readonly perFlow?: boolean;
  readonly failOnUndecided?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('replay')
    .description('predict which observed Hubble flows the policies would drop with enforcement on (audit-mode rollout check)');
  addReplayInputOptions(cmd)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .option('--per-flow', 'also print one result per evaluated input line')
    .option('--fail-on-undecided', 'exit 1 also when some flows cannot be decided offline')
    .action((flags: ReplayCommandFlags) => runAction(() => replayCommand(flags)));
}

export async function replayCommand(flags: ReplayCommandFlags): Promise<number> {
  const run = await runReplay(flags, { perFlow: flags.perFlow });
  const ctx: ReportContext = { result: run.result, policies: run.policies, warnings: run.engine.warnings, perFlow: !!flags.perFlow };
  const out = bufferedWriter();
  if (flags.format === 'json') await renderJson(ctx, out.write);
  else if (flags.format === 'markdown') await renderMarkdown(ctx, out.write);
  else await renderText(ctx, out.write);
  await out.end();
  const s = run.result.summary;
  return s.wouldDrop > 0 || (flags.failOnUndecided && s.undecided > 0) ? EXIT_FINDINGS : EXIT_OK;
}
