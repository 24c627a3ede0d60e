import { defineRule } from '../util/finding';
import { ccnp } from '../util/examples';
import { elementAllowsEntity } from '../util/peers';
import { Label } from '../../cilium/labels';
import { effectiveSubject, isCcnp, requirementsMatch } from '../util/selector';
import { elementsOf, ruleDefaultDenies, rulesOf, Direction } from '../util/walk';

const HEALTH: readonly Label[] = [{ source: 'reserved', key: 'health', value: '' }];

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
    const healthRules = ctx.cluster.policies
      .filter((p) => isCcnp(p.manifest))
      .flatMap((p) =>
        rulesOf(p.manifest).map((rule) => ({ rule, subject: effectiveSubject(p.manifest, rule.rule) })),
      )
      .filter((r) => r.subject && requirementsMatch(r.subject, HEALTH));
    const allowed = (dir: Direction): boolean =>
      healthRules.some((r) =>
        elementsOf(r.rule, [dir]).some((el) => elementAllowsEntity(el, ['remote-node', 'cluster', 'health'])),
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
