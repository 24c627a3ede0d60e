import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { parseManifests } from '../../manifest/load';

const BAD = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: web
  namespace: default
spec:
  endpointSelector:
    matchLabels:
      app: web
  ingress:
    - fromEndpoints:
        - matchLabels:
            app: lb
  ingress:
    - fromEndpoints:
        - matchLabels:
            app: monitoring
`;

export const duplicateKey = defineRule({
  id: 'duplicate-key',
  severity: 'error',
  title: 'A key written twice in one YAML mapping',
  rationale:
    'YAML parsers keep only one of two equal keys in a mapping (or refuse the file, as kubectl\'s strict decoding does), so two policies pasted into one document, or a second `egress:` under the same rule, silently lose the first one (docs/cilium-semantics.md, "Validation").',
  examples: {
    bad: parseManifests(BAD, 'example.yaml'),
    badYaml: BAD,
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [
          { fromEndpoints: [{ matchLabels: { app: 'lb' } }] },
          { fromEndpoints: [{ matchLabels: { app: 'monitoring' } }] },
        ],
      }),
    ],
  },
  check(ctx, report) {
    for (const issue of ctx.sourceIssues ?? []) {
      report(
        issue.path,
        issue.message,
        'merge the two into one key, or split the document with `---` when they are two objects',
      );
    }
  },
});
