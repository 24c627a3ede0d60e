import { KubeManifest } from '../../manifest/types';
import { ClusterModel, workloadsMatching } from './cluster';
import { Requirement } from '../../cilium/requirements';
import { effectiveSubject, requirementsMatch, selectorImplies } from './selector';
import { isObject, PlainObject } from '../../util/shape';
import { dnsRulesOf, elementsOf, RuleRef, rulesOf } from './walk';

/** A rule (of any policy in the run) whose egress carries DNS L7 rules, i.e. turns on the DNS proxy. */
export interface DnsProxyRule {
  readonly policy: KubeManifest;
  readonly rule: RuleRef;
  readonly subject: readonly Requirement[];
  readonly entries: readonly PlainObject[];
}

const cache = new WeakMap<ClusterModel, DnsProxyRule[]>();

function dnsProxyRules(cluster: ClusterModel): DnsProxyRule[] {
  let out = cache.get(cluster);
  if (out) return out;
  out = [];
  for (const { manifest } of cluster.policies) {
    for (const rule of rulesOf(manifest)) {
      const subject = effectiveSubject(manifest, rule.rule);
      if (!subject) continue;
      const entries = elementsOf(rule, ['egress']).flatMap((el) =>
        dnsRulesOf(el).flatMap((d) => d.entries.filter(isObject)),
      );
      const hasDns = elementsOf(rule, ['egress']).some((el) => dnsRulesOf(el).length > 0);
      if (hasDns) out.push({ policy: manifest, rule, subject, entries });
    }
  }
  cache.set(cluster, out);
  return out;
}

/**
 * The DNS proxy rules that cover every endpoint a rule selects: the same rule, a rule with a
 * broader-or-equal subject, or (when workloads are known) rules matching each selected workload.
 * Returns undefined when some selected endpoint has no DNS proxy rule.
 */
export function dnsProxyCoverage(
  policy: KubeManifest,
  rule: RuleRef,
  cluster: ClusterModel,
): DnsProxyRule[] | undefined {
  const subject = effectiveSubject(policy, rule.rule);
  const all = dnsProxyRules(cluster);
  const own = all.filter((d) => d.rule.rule === rule.rule);
  if (own.length > 0) return own;
  if (!subject) return undefined;
  const structural = all.filter((d) => selectorImplies(subject, d.subject));
  if (structural.length > 0) return structural;
  const workloads = workloadsMatching(cluster, subject);
  if (workloads.length === 0) return undefined;
  const used = new Set<DnsProxyRule>();
  for (const w of workloads) {
    const covering = all.filter((d) => requirementsMatch(d.subject, w.identity));
    if (covering.length === 0) return undefined;
    covering.forEach((c) => used.add(c));
  }
  return [...used];
}
