import { defineRule } from '../util/finding';
import { ccnp } from '../util/examples';
import { elementAllowsEntity } from '../util/peers';
import { Label } from '../../cilium/labels';
import { effectiveSubject, isCcnp, requirementsMatch } from '../util/selector';
import { elementsOf, ruleDefaultDenies, rulesOf, Direction, RuleRef } from '../util/walk';
import { ClusterModel, perCluster } from '../util/cluster';

const HEALTH: readonly Label[] = [{ source: 'reserved', key: 'health', value: '' }];

/** The rules of the run's CCNPs that select the cilium-health endpoint; once per run. */
function healthRules(cluster: ClusterModel): readonly RuleRef[] {
  return perCluster(cluster, 'health-rules', () =>
    cluster.policies
      .filter((p) => isCcnp(p.manifest))
      .flatMap((p) =>
        rulesOf(p.manifest).filter((rule) => {
          const subject = effectiveSubject(p.manifest, rule.rule);
          return subject && requirementsMatch(subject, HEALTH);
        }),
      ),
  );
}

export const ccnpWildcardWithoutHealth = defineRule({
  id: 'ccnp-wildcard-without-health',
  severity: 'warning',
  title: 'A cluster-wide default-deny also blocks cilium-health',
  rationale:
    'A CiliumClusterwideNetworkPolicy whose endpointSelector is empty (or only excludes some labels) also selects the per-node `reserved:health` endpoint; in default-deny, health probes between nodes (TCP 4240 and ICMP) fail and `cilium-health status` reports unreachable nodes. Allow `remote-node` for the health endpoint, as the upstream health.yaml does (PR #12199, issue #14871, docs/cilium-semantics.md, "Selectors" and "Health").',
  examples: {
    bad: [ccnp('default-deny', { endpointSelector: {}, ingress: [{}] })],
    good: [
      ccnp('default-deny', { endpointSelector: {}, ingress: [{}] }),
      ccnp('cilium-health-checks', {
        endpointSelector: { matchLabels: { 'reserved:health': '' } },
        ingress: [{ fromEntities: ['remote-node'] }],
        egress: [{ toEntities: ['remote-node'] }],
      }),
    ],
  },
  check(ctx, report) {
    if (!isCcnp(ctx.policy)) return;
    const allowed = (dir: Direction): boolean =>
      perCluster(ctx.cluster, `health-allowed:${dir}`, () =>
        healthRules(ctx.cluster).some((r) =>
          elementsOf(r, [dir]).some((el) => elementAllowsEntity(el, ['remote-node', 'cluster', 'health'])),
        ),
      );
    for (const r of rulesOf(ctx.policy)) {
      const subject = effectiveSubject(ctx.policy, r.rule);
      if (r.rule.endpointSelector === undefined || !subject || !requirementsMatch(subject, HEALTH)) continue;
      for (const dir of ['ingress', 'egress'] as const) {
        if (!ruleDefaultDenies(r, dir) || allowed(dir)) continue;
        report(
          `${r.path}.endpointSelector`,
          `the selector also selects the cilium-health endpoint, which is now ${dir} default-deny with no ${dir === 'ingress' ? 'fromEntities' : 'toEntities'} remote-node allowance, so node health checks fail`,
          `add a CCNP selecting \`'reserved:health': ''\` with \`ingress: [{fromEntities: [remote-node]}]\` and \`egress: [{toEntities: [remote-node]}]\`, or exclude it here (matchExpressions {key: 'reserved:health', operator: DoesNotExist})`,
        );
      }
    }
  },
});
