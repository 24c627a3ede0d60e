import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';

export const auditModeAnnotation = defineRule({
  id: 'audit-mode-annotation',
  severity: 'warning',
  title: 'There is no per-policy audit-mode annotation',
  rationale:
    'Policy audit mode is an agent setting (Helm `policyAuditMode: true`) or a temporary per-endpoint option (`cilium-dbg endpoint config <id> PolicyAuditMode=Enabled`); an annotation such as `policy.cilium.io/audit-mode` on a policy does nothing, so the policy is enforced (docs/cilium-semantics.md, "Policy audit mode").',
  examples: {
    bad: [
      {
        ...cnp('web', { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{}] }),
        metadata: {
          name: 'web',
          namespace: 'default',
          annotations: { 'policy.cilium.io/audit-mode': 'true' },
        },
      },
    ],
    good: [cnp('web', { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{}] })],
  },
  check(ctx, report) {
    const annotations = ctx.policy.metadata?.annotations;
    if (!annotations || typeof annotations !== 'object') return;
    for (const key of Object.keys(annotations).sort()) {
      if (/audit/i.test(key) && /cilium/i.test(key)) {
        report(
          `metadata.annotations[${JSON.stringify(key)}]`,
          `the annotation ${key} does not exist in Cilium; the policy is enforced, not audited`,
          'remove the annotation; to audit, set `policyAuditMode: true` in the Cilium Helm values (all endpoints) and watch `hubble observe --verdict AUDIT`',
        );
      }
    }
  },
});
