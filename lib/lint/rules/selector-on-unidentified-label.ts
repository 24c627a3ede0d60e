import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { identityExclusionReason, isIdentityLabelKey } from '../../cilium/identity-labels';
import { splitSelectorKey } from '../../cilium/label-keys';
import { selectorKeys } from '../util/selector';
import { identitySelectorsOf } from '../util/selectors-of';

/**
 * Why the default label filter drops the pod label a selector key names (`k8s:` or no source), or
 * undefined when it stays in identities. Judged once per key: policies repeat a handful of keys.
 */
function exclusionReason(raw: string): string | undefined {
  let why = reasons.get(raw);
  if (why === undefined) {
    if (reasons.size >= REASONS_KEPT) reasons.clear();
    const { source, key } = splitSelectorKey(raw);
    const filtered = (source === 'k8s' || source === 'any') && !isIdentityLabelKey(key);
    why = (filtered && identityExclusionReason(key)) || '';
    reasons.set(raw, why);
  }
  return why === '' ? undefined : why;
}

const reasons = new Map<string, string>();
const REASONS_KEPT = 4096;

export const selectorOnUnidentifiedLabel = defineRule({
  id: 'selector-on-unidentified-label',
  severity: 'error',
  title: 'Selectors on labels Cilium leaves out of identities never match',
  rationale:
    'Cilium builds security identities from a filtered label set: `pod-template-hash`, `controller-revision-hash`, `statefulset.kubernetes.io/pod-name`, `apps.kubernetes.io/pod-index`, `batch.kubernetes.io/job-completion-index` and `controller-uid`, `io.kubernetes*` (except the pod namespace), `kubernetes.io*`, `*beta.kubernetes.io*`, `topology.kubernetes.io*`, `k8s.io*`, `annotation*` and `etcd_node` are dropped (`app.kubernetes.io*` and other domains such as `node.kubernetes.io/...` stay), so endpoint selectors on them match nothing (docs/cilium-semantics.md, "Labels outside the identity").',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [
          { fromEndpoints: [{ matchLabels: { app: 'frontend', 'pod-template-hash': '7d4b9c8f6' } }] },
        ],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [{ fromEndpoints: [{ matchLabels: { app: 'frontend' } }] }],
      }),
    ],
  },
  check(ctx, report) {
    for (const s of identitySelectorsOf(ctx.policy)) {
      for (const k of selectorKeys(s.selector, s)) {
        const reason = exclusionReason(k.raw);
        if (!reason) continue;
        const { key } = splitSelectorKey(k.raw);
        const fix =
          key === 'kubernetes.io/metadata.name'
            ? 'select the namespace with `k8s:io.kubernetes.pod.namespace: <name>` (pods do not carry kubernetes.io/metadata.name)'
            : 'select on a stable label of the pod template instead, e.g. `app` or `app.kubernetes.io/name`';
        report(
          k.path,
          `the selector uses ${JSON.stringify(k.raw)}: ${reason}, so it matches no endpoint`,
          fix,
        );
      }
    }
  },
});
