/**
 * The linter against Cilium: every policy the API server or the agent rejects must get an
 * error-level finding from `lintManifests`; a policy both accept may get one only from the rules
 * listed in DELIBERATE_ERRORS (accepted by Cilium, but never what the author meant).
 */
import { lintManifests } from '../../lib/lint';
import type { LintFinding } from '../../lib/lint/types';
import type { KubeManifest } from '../../lib/manifest/types';
import { manifestId } from './compare';
import { crdRejection } from './crd-gate';
import type { OraclePolicyResult } from './vectors';

/**
 * Lint rules whose errors on policies Cilium accepts are deliberate. Anything else the linter
 * reports as an error on an accepted policy is a disagreement.
 */
export const DELIBERATE_ERRORS: Readonly<
  Record<string, { readonly why: string; readonly message?: RegExp }>
> = {
  'selector-on-unidentified-label': {
    why: 'the selector uses a label Cilium filters out of identities, so it matches nothing',
  },
  'fqdn-without-dns-proxy': {
    why: 'toFQDNs without a DNS L7 rule on the same endpoints never learns the IPs (docs/cilium-semantics.md, "The DNS rule")',
  },
  'ccnp-default-deny-without-dns': {
    why: 'a clusterwide egress default-deny without a DNS allow breaks name resolution everywhere',
  },
  'invalid-icmp': {
    why: 'an ICMP type number above 255 is accepted (the CRD pattern only applies to strings) but matches no packet',
    message: /outside 0-255/,
  },
};

function deliberate(f: LintFinding): boolean {
  const d = DELIBERATE_ERRORS[f.rule];
  return d !== undefined && (d.message === undefined || d.message.test(f.message));
}

/** A policy with Cilium's verdicts on it. */
export interface JudgedPolicy {
  /** Where it came from, for messages (`file › vector`). */
  readonly origin: string;
  readonly manifest: Record<string, unknown>;
  /** The agent's verdict (the oracle), from a run of the policy as written. */
  readonly oracle: OraclePolicyResult;
}

export interface LintOutcome {
  checked: number;
  rejected: number;
  readonly failures: string[];
  /**
   * Deliberate classes, by rule: errors on accepted policies, `crd-schema` for CRD-only rejections,
   * `<rule> (warning)` for flag-dependent rejections.
   */
  readonly deliberate: Record<string, number>;
}

/** Lints each group of policies together (cross-policy rules see their neighbours). */
export function checkLint(groups: readonly (readonly JudgedPolicy[])[]): LintOutcome {
  const out: LintOutcome = { checked: 0, rejected: 0, failures: [], deliberate: {} };
  for (const group of groups) {
    let findings: readonly LintFinding[];
    try {
      findings = lintManifests(group.map((p) => p.manifest as KubeManifest)).findings;
    } catch (e) {
      out.failures.push(`${group[0]?.origin ?? '?'}: lintManifests threw: ${(e as Error).message}`);
      continue;
    }
    for (const p of group) {
      out.checked++;
      const id = manifestId(p.manifest);
      const errors = findings.filter((f) => f.severity === 'error' && idOfFinding(f) === id);
      const crd = crdRejection(p.manifest);
      const rejectedBy = !p.oracle.accepted
        ? `the agent (${p.oracle.error})`
        : crd !== undefined
          ? `the API server (CRD schema: ${crd})`
          : undefined;
      if (rejectedBy !== undefined) {
        out.rejected++;
        if (errors.length === 0)
          out.failures.push(`${p.origin} › ${id}: rejected by ${rejectedBy}, but lint reports no error`);
        else if (p.oracle.accepted) out.deliberate['crd-schema'] = (out.deliberate['crd-schema'] ?? 0) + 1;
        continue;
      }
      const unexpected = errors.filter((f) => !deliberate(f));
      for (const f of errors) if (deliberate(f)) out.deliberate[f.rule] = (out.deliberate[f.rule] ?? 0) + 1;
      for (const f of unexpected)
        out.failures.push(`${p.origin} › ${id}: Cilium accepts it, lint error ${f.rule}: ${f.message}`);
    }
  }
  return out;
}

function idOfFinding(f: LintFinding): string {
  return manifestId({
    kind: f.kind,
    metadata: { name: f.name === '<unnamed>' ? '' : f.name, namespace: f.namespace },
  });
}
