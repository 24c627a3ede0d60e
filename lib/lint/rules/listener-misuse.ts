import { isObject } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { allElements, portRulesOf } from '../util/walk';

export const listenerMisuse = defineRule({
  id: 'listener-misuse',
  severity: 'error',
  fields: ['listener'],
  title: '`listener` is egress only and excludes L7 rules',
  rationale:
    'Rule.Sanitize rejects a toPorts `listener` on ingress and a listener combined with L7 `rules`: the referenced Envoy listener does the L7 work (docs/cilium-semantics.md, "Validation").',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [
          {
            toPorts: [
              {
                ports: [{ port: '80', protocol: 'TCP' }],
                listener: { envoyConfig: { kind: 'CiliumEnvoyConfig', name: 'lb' }, name: 'http' },
                rules: { http: [{}] },
              },
            ],
          },
        ],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [
          {
            toPorts: [
              {
                ports: [{ port: '80', protocol: 'TCP' }],
                listener: { envoyConfig: { kind: 'CiliumEnvoyConfig', name: 'lb' }, name: 'http' },
              },
            ],
          },
        ],
      }),
    ],
  },
  check(ctx, report) {
    for (const el of allElements(ctx.policy)) {
      for (const pr of portRulesOf(el)) {
        if (pr.portRule.listener === undefined) continue;
        if (el.direction === 'ingress')
          report(
            `${pr.path}.listener`,
            'a listener on ingress; Cilium only supports listeners on egress',
            "move the listener to the clients' egress rule, or remove it",
          );
        const rules = pr.portRule.rules;
        if (isObject(rules) && Object.keys(rules).length > 0)
          report(
            `${pr.path}.rules`,
            'L7 rules together with a listener; Cilium rejects it',
            'remove rules and configure the filtering in the CiliumEnvoyConfig listener',
          );
      }
    }
  },
});
