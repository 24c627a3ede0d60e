import { asArray, isObject, show, text } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { allElements, portRulesOf } from '../util/walk';

const MISMATCH = ['LOG', 'ADD', 'DELETE', 'REPLACE'];

/** Why a regex would not compile in Go's RE2, or undefined. JS syntax errors plus RE2-only restrictions. */
function regexProblem(src: string): string | undefined {
  try {
    new RegExp(src);
  } catch (e) {
    return (e as Error).message;
  }
  if (/\(\?[=!<]/.test(src)) return 'lookarounds are not supported by Go regular expressions';
  if (/\\[1-9]/.test(src)) return 'backreferences are not supported by Go regular expressions';
  return undefined;
}

export const invalidHttpRule = defineRule({
  id: 'invalid-http-rule',
  severity: 'error',
  fields: ['http'],
  title: 'HTTP rules: compilable path/method regexes, named headerMatches',
  rationale:
    'Rule.Sanitize compiles `path` and `method` as Go regular expressions (no lookarounds or backreferences) and rejects headerMatches without `name`, with a `mismatch` other than LOG/ADD/DELETE/REPLACE or a `secret` without name (docs/cilium-semantics.md, "Validation").',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [
          {
            toPorts: [
              {
                ports: [{ port: '8080', protocol: 'TCP' }],
                rules: { http: [{ method: 'GET', path: '/api/(v1|v2' }] },
              },
            ],
          },
        ],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [
          {
            toPorts: [
              {
                ports: [{ port: '8080', protocol: 'TCP' }],
                rules: { http: [{ method: 'GET', path: '/api/(v1|v2)/.*' }] },
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
        const rules = pr.portRule.rules;
        if (!isObject(rules)) continue;
        asArray(rules.http).forEach((h, i) => {
          const hp = `${pr.path}.rules.http[${i}]`;
          if (!isObject(h))
            return report(
              hp,
              'the HTTP rule is not a mapping',
              'write {method: GET, path: "/api/.*"} (or {} to allow all requests)',
            );
          for (const field of ['path', 'method']) {
            const v = h[field];
            if (v === undefined) continue;
            const problem = typeof v === 'string' ? regexProblem(v) : 'it is not a string';
            if (problem)
              report(
                `${hp}.${field}`,
                `${field} ${show(v)} is not a valid regular expression: ${problem}`,
                `write ${field} as a Go (RE2) regular expression, e.g. ${field === 'path' ? '"/api/v1/.*"' : '"GET|HEAD"'}`,
              );
          }
          asArray(h.headerMatches).forEach((m, j) => {
            const mp = `${hp}.headerMatches[${j}]`;
            if (!isObject(m) || typeof m.name !== 'string' || m.name === '')
              return report(`${mp}.name`, 'the header match has no name', 'add `name: <header name>`');
            if (m.mismatch !== undefined && !MISMATCH.includes(text(m.mismatch)))
              report(
                `${mp}.mismatch`,
                `${show(m.mismatch)} is not a mismatch action`,
                `use one of ${MISMATCH.join(', ')} (or omit it to drop non-matching requests)`,
              );
            if (
              m.secret !== undefined &&
              (!isObject(m.secret) || typeof m.secret.name !== 'string' || m.secret.name === '')
            )
              report(
                `${mp}.secret`,
                'the secret reference has no name',
                'add `secret: {name: <secret>, namespace: <ns>}`',
              );
          });
        });
      }
    }
  },
});
