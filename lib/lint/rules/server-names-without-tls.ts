import { asArray, isObject } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { allElements, portRulesOf } from '../util/walk';

export const serverNamesWithoutTls = defineRule({
  id: 'server-names-without-tls',
  severity: 'error',
  fields: ['serverNames'],
  title: '`serverNames` with L7 rules needs `terminatingTLS`; no empty server names',
  rationale:
    'Rule.Sanitize rejects `serverNames` combined with L7 rules unless the proxy terminates TLS (`terminatingTLS`), and rejects empty server names; the CRD needs at least one name (docs/cilium-semantics.md, "Validation"). SNI filtering alone (no `rules`) is fine.',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [
          {
            toPorts: [
              {
                ports: [{ port: '443', protocol: 'TCP' }],
                serverNames: ['api.github.com'],
                rules: { http: [{ method: 'GET' }] },
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
          { toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }], serverNames: ['api.github.com'] }] },
        ],
      }),
    ],
  },
  check(ctx, report) {
    for (const el of allElements(ctx.policy)) {
      for (const pr of portRulesOf(el)) {
        const names = pr.portRule.serverNames;
        if (names === undefined) continue;
        const list = asArray(names);
        if (list.length === 0)
          report(
            `${pr.path}.serverNames`,
            'serverNames is empty',
            'list at least one SNI, or remove serverNames',
          );
        list.forEach((n, i) => {
          if (typeof n !== 'string' || n === '')
            report(
              `${pr.path}.serverNames[${i}]`,
              'an empty server name',
              'write the TLS server name, e.g. "api.github.com"',
            );
        });
        const rules = pr.portRule.rules;
        if (isObject(rules) && Object.keys(rules).length > 0 && pr.portRule.terminatingTLS === undefined) {
          report(
            `${pr.path}.serverNames`,
            'serverNames with L7 rules but no terminatingTLS; Cilium rejects it',
            'add terminatingTLS (and originatingTLS) so the proxy can see the requests, or drop the L7 rules and filter on SNI only',
          );
        }
      }
    }
  },
});
