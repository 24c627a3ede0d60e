import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { dns1123LabelProblem, dns1123Suggestion, dns1123SubdomainProblem } from '../../cilium/names';
import { isObject, show } from '../../util/shape';
import { joinPath } from '../../manifest/yaml-source';

export const invalidName = defineRule({
  id: 'invalid-name',
  severity: 'error',
  title: 'metadata: names must be DNS-1123, labels and annotations strings',
  rationale:
    'The API server refuses a custom resource whose `metadata.name` is not a DNS-1123 subdomain (lower case alphanumerics, `-` and `.`, at most 253 characters) or whose namespace is not a DNS-1123 label, and label or annotation values that are not strings. An unquoted `yes`, `on` or `true` is a boolean to kubectl (YAML 1.1), so `team: yes` is refused too (docs/cilium-semantics.md, "Validation").',
  examples: {
    bad: [{ ...cnp('Web_Ingress', { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{}] }) }],
    good: [cnp('web-ingress', { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{}] })],
  },
  check(ctx, report) {
    const md = ctx.policy.metadata;
    if (!isObject(md)) return;
    if (typeof md.name === 'string' && md.name !== '') {
      const why = dns1123SubdomainProblem(md.name);
      if (why)
        report(
          'metadata.name',
          `the name ${show(md.name)} is not a DNS-1123 subdomain: ${why}; the API server refuses it`,
          `rename it, e.g. "${dns1123Suggestion(md.name)}"`,
        );
    } else if (md.name !== undefined && md.name !== null && typeof md.name !== 'string') {
      report('metadata.name', `the name ${show(md.name)} is not a string`, 'quote the name');
    }
    if (md.namespace !== undefined && md.namespace !== null) {
      const why = typeof md.namespace === 'string' ? dns1123LabelProblem(md.namespace) : 'it is not a string';
      if (why)
        report(
          'metadata.namespace',
          `the namespace ${show(md.namespace)} is not a DNS-1123 label: ${why}; the API server refuses it`,
          'use the namespace\'s real name (lower case, e.g. "web-apps")',
        );
    }
    for (const field of ['labels', 'annotations']) {
      const map = md[field];
      if (map === undefined || map === null) continue;
      if (!isObject(map)) {
        report(
          `metadata.${field}`,
          `metadata.${field} must be a mapping of strings, not ${show(map)}`,
          `write metadata.${field} as \`key: "value"\` pairs`,
        );
        continue;
      }
      for (const [k, v] of Object.entries(map)) {
        if (typeof v === 'string') continue;
        const yaml11 =
          typeof v === 'boolean'
            ? ' (kubectl reads unquoted yes/no/on/off/y/n/true/false as booleans, YAML 1.1)'
            : '';
        report(
          joinPath(`metadata.${field}`, k),
          `the value ${show(v)} is not a string${yaml11}; the API server refuses the object`,
          'quote the value as written, e.g. `team: "yes"`',
        );
      }
    }
  },
});
