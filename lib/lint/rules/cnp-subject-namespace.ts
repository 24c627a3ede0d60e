import { CNP_KIND } from '../../manifest/types';
import { asArray, isObject, text } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { splitSelectorKey } from '../../cilium/label-keys';
import { NAMESPACE_KEY } from '../../cilium/labels';
import { rulesOf } from '../util/walk';

export const cnpSubjectNamespace = defineRule({
  id: 'cnp-subject-namespace',
  severity: 'warning',
  title: 'A CiliumNetworkPolicy endpointSelector cannot choose a namespace',
  rationale:
    'The agent always scopes a CNP\'s endpointSelector to the policy\'s own namespace: a `k8s:io.kubernetes.pod.namespace` key is overwritten (with a log warning); an unprefixed key or a matchExpression on it is ANDed with the injected one, so for another namespace the policy selects nothing (docs/cilium-semantics.md, "Selectors").',
  examples: {
    bad: [
      cnp(
        'web',
        {
          endpointSelector: { matchLabels: { 'io.kubernetes.pod.namespace': 'shop', app: 'web' } },
          ingress: [{}],
        },
        'default',
      ),
    ],
    good: [cnp('web', { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{}] }, 'shop')],
  },
  check(ctx, report) {
    if (ctx.policy.kind !== CNP_KIND) return;
    const ns = text(ctx.policy.metadata?.namespace, 'default');
    for (const r of rulesOf(ctx.policy)) {
      const sel = r.rule.endpointSelector;
      if (!isObject(sel)) continue;
      const entries: Array<{ raw: string; path: string; values: string[] }> = [];
      if (isObject(sel.matchLabels)) {
        for (const [k, v] of Object.entries(sel.matchLabels))
          entries.push({
            raw: k,
            path: `${r.path}.endpointSelector.matchLabels[${JSON.stringify(k)}]`,
            values: [text(v)],
          });
      }
      asArray(sel.matchExpressions).forEach((e, i) => {
        if (isObject(e) && typeof e.key === 'string')
          entries.push({
            raw: e.key,
            path: `${r.path}.endpointSelector.matchExpressions[${i}]`,
            values: asArray(e.values).map(String),
          });
      });
      for (const e of entries) {
        const { source, key } = splitSelectorKey(e.raw);
        if (key !== NAMESPACE_KEY || (source !== 'k8s' && source !== 'any')) continue;
        const only = e.values.length === 1 && e.values[0] === ns;
        const effect =
          source === 'k8s' && e.path.includes('matchLabels')
            ? "Cilium overwrites it with the policy's namespace"
            : only
              ? "it is redundant: Cilium already adds the policy's namespace"
              : `it is ANDed with the policy's namespace ${ns}, so the rule selects nothing`;
        report(
          e.path,
          `the endpointSelector names a namespace (${e.raw}); ${effect}`,
          `remove the namespace key and create the policy in the namespace of the pods (metadata.namespace), or use a CiliumClusterwideNetworkPolicy`,
        );
      }
    }
  },
});
