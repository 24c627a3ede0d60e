import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { placeholdersOf } from '../util/placeholders';

export const unrenderedSubstitution = defineRule({
  id: 'unrendered-substitution',
  severity: 'warning',
  title: 'Values a later step fills in (`${VAR}`, `<placeholder>`) are not checked',
  rationale:
    'Flux post-build substitution (`${APP}`, `${VAR:=default}`) and documentation templates (`<app-label>`) are replaced before the policy reaches the cluster, so the literal text says nothing about what Cilium will see. The linter checks everything else of the policy and reports the unrendered values once here instead of as invalid labels, ports, CIDRs or names; lint the rendered output (`flux build kustomization`, `kustomize build`) to check them too (docs/cilium-semantics.md, "Validation").',
  examples: {
    bad: [
      cnp('app', {
        endpointSelector: { matchLabels: { app: '${APP}' } },
        ingress: [{ fromEndpoints: [{ matchLabels: { app: 'lb' } }] }],
      }),
    ],
    good: [
      cnp('app', {
        endpointSelector: { matchLabels: { app: 'blog' } },
        ingress: [{ fromEndpoints: [{ matchLabels: { app: 'lb' } }] }],
      }),
    ],
  },
  check(ctx, report) {
    const refs = placeholdersOf(ctx.policy);
    if (refs.length === 0) return;
    const names = [...new Set(refs.flatMap((r) => r.placeholders))];
    const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');
    report(
      refs[0].path,
      `unrendered substitution: ${shown} (${refs.length} value${refs.length === 1 ? '' : 's'}) are filled in later, so those values are not checked`,
      'lint the rendered manifests (e.g. `flux build kustomization ... | cilium-lockdown lint`) to check the substituted values',
    );
  },
});
