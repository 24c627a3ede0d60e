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
 * `--save-groups <file>` also saves the grouped result as a group file (lib/replay/group-file.ts);
 * `--groups <files...>` merges group files instead of reading `--flows`, into the result of one
 * run over all their lines (README, "Replay across nodes").
 *
 * Exit codes (the gate, lib/replay/gate.ts): 0 green; 1 something would be dropped, the model
 * disagrees with what Hubble observed (or, with --fail-on-undecided, something is undecided);
 * 2 the input cannot vouch for the answer: unreadable, cut off, malformed lines beyond
 * --max-malformed, nothing evaluated, flows from another cluster (the report is still printed).
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
 *     "malformedLines": [{"line", "reason"}, ...],    // the first 100
 *     "incomplete"?: {"afterLine", "reason"},          // the stream broke: nothing after afterLine was read
 *     "clusters": {"<cluster>": n},                   // evaluated flows per cluster observed in
 *     "disagreements"                                 // groups predicted FORWARDED that Hubble saw refused by policy
 *   },
 *   "parts"?: [{"file", "input", "firstLine", "lines", "evaluated", "skipped", "malformed", "incomplete"?}], // with --groups
 *   "gate": {"green", "exitCode", "blockers": [{"kind", "title", "details", "group"?}], "warnings"},
 *   "groups": [{                                      // DROPPED, then UNDECIDED, then FORWARDED; most connections first
 *     "id", "source": {"labels", "display"}, "destination": {"labels", "dnsNames"?, "ip"?, "display"},
 *     "protocol", "port"?, "icmpType"?,
 *     "predicted": "DROPPED|UNDECIDED|FORWARDED",
 *     "reasons": ["egress: default deny from <kind> <ns>/<name>", "ingress: denied by <rule> <path>", ...],
 *     "egress": {"decision", "rules": [{"kind", "namespace"?, "name", "path"}], "l7"?, "notes"?}, "ingress": {...},
 *     "connections", "events", "observed": {"AUDIT": n, "DROPPED (POLICY_DENIED)": n, ...},
 *     "directions": {"INGRESS": n, "EGRESS": n}, "firstSeen"?, "lastSeen"?, "nodes", "moreNodes"?,
 *     "examplePods": {"source": [...], "destination": [...]}, "firstLine",
 *     "observedPolicyDrops"?, "observedDenyingPolicies"?, "disagreement"?
 *   }],
 *   "flows": [                                        // only with --per-flow, in line order
 *     {"line", "observed", "predicted", "group", "ingress": {"decision", "rules"}, "egress": {...}}
 *   ]
 * }
 */
import { Command, Option } from 'commander';
import { ReportContext, renderJson, renderMarkdown, renderText } from '../replay/report';
import { runReplay } from '../replay/run';
import { addReplayInputOptions, ReplayInputFlags, replayInputOf } from './replay-flags';
import { runAction } from './common';
import { bufferedWriter } from '../replay/output';

interface ReplayCommandFlags extends ReplayInputFlags {
  readonly format: 'text' | 'markdown' | 'json';
  readonly perFlow?: boolean;
  readonly failOnUndecided?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('replay')
    .description(
      'predict which observed Hubble flows the policies would drop with enforcement on (audit-mode rollout check)',
    );
  addReplayInputOptions(cmd, true)
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'),
    )
    .option('--per-flow', 'also print one result per evaluated input line')
    .option('--fail-on-undecided', 'exit 1 also when some flows cannot be decided offline')
    .action((flags: ReplayCommandFlags) => runAction(() => replayCommand(flags)));
}

export async function replayCommand(flags: ReplayCommandFlags): Promise<number> {
  const run = await runReplay(replayInputOf(flags), {
    inputNames: 'flags',
    perFlow: flags.perFlow,
    undecidedBlocks: !!flags.failOnUndecided,
  });
  const ctx: ReportContext = {
    result: run.result,
    policies: run.policies,
    warnings: run.engine.warnings,
    perFlow: !!flags.perFlow,
    gate: run.gate,
  };
  const out = bufferedWriter();
  if (flags.format === 'json') await renderJson(ctx, out.write);
  else if (flags.format === 'markdown') await renderMarkdown(ctx, out.write);
  else await renderText(ctx, out.write);
  await out.end();
  return run.gate.exitCode;
}
