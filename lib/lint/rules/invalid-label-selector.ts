import { asArray, isObject, show, text } from '../../util/shape';
import { defineRule, Report } from '../util/finding';
import { cnp } from '../util/examples';
import { selectorsOf } from '../util/selectors-of';
import { invalidSelectorKeyReason, isLabelValue, isSelectorOperator } from '../../cilium/label-keys';

export const invalidLabelSelector = defineRule({
  id: 'invalid-label-selector',
  severity: 'error',
  title: 'Label selectors must be valid',
  rationale:
    'Rule.Sanitize rejects selectors whose keys are not qualified names (at most one `:` source prefix, alphanumeric source), whose matchLabels values are not label values, with operators other than In/NotIn/Exists/DoesNotExist, In/NotIn without values or Exists/DoesNotExist with values (docs/cilium-semantics.md, "Selectors" and "Validation"). One invalid selector rejects the whole policy.',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] },
        ingress: [{}],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] },
        ingress: [{}],
      }),
    ],
  },
  check(ctx, report) {
    for (const s of selectorsOf(ctx.policy)) {
      if (!isObject(s.selector)) {
        report(
          s.path,
          `the selector ${show(s.selector)} is not a mapping`,
          'write a label selector such as `{matchLabels: {app: web}}` or `{}`',
        );
        continue;
      }
      checkMatchLabels(s.selector.matchLabels, s, report);
      const { matchExpressions } = s.selector;
      if (matchExpressions !== undefined && matchExpressions !== null && !Array.isArray(matchExpressions)) {
        report(
          `${s.path}.matchExpressions`,
          'matchExpressions is not a list',
          'write matchExpressions as a list of {key, operator, values}',
        );
      }
      if (Array.isArray(matchExpressions))
        matchExpressions.forEach((e, i) => checkExpression(e, `${s.path}.matchExpressions[${i}]`, report));
    }
  },
});

/** The path of a selector's matchLabels key, written only for a finding (most keys are fine). */
function keyPath(selector: { readonly path: string }, key: string): string {
  return `${selector.path}.matchLabels[${JSON.stringify(key)}]`;
}

function checkMatchLabels(matchLabels: unknown, selector: { readonly path: string }, report: Report): void {
  if (matchLabels !== undefined && matchLabels !== null && !isObject(matchLabels)) {
    report(
      `${selector.path}.matchLabels`,
      'matchLabels is not a mapping',
      'write matchLabels as `key: value` pairs',
    );
  }
  if (!isObject(matchLabels)) return;
  for (const k of Object.keys(matchLabels)) {
    const v = matchLabels[k];
    const why = invalidSelectorKeyReason(k);
    if (why)
      report(
        keyPath(selector, k),
        `the key ${JSON.stringify(k)} is invalid: ${why}`,
        'use `key` or `source:key` where key is a Kubernetes label name, e.g. `k8s:app.kubernetes.io/name`',
      );
    if (typeof v !== 'string') {
      report(
        keyPath(selector, k),
        `the value ${show(v)} is not a string`,
        `quote the value: ${JSON.stringify(k)}: "${text(v)}"`,
      );
    } else if (!isLabelValue(v)) {
      report(
        keyPath(selector, k),
        `the value ${JSON.stringify(v)} is not a label value (at most 63 characters, alphanumeric at both ends, '-', '_', '.' inside)`,
        'use the exact label value carried by the pods',
      );
    }
  }
}

function checkExpression(e: unknown, p: string, report: Report): void {
  if (!isObject(e)) {
    report(p, 'the expression is not a mapping', 'write {key, operator, values}');
    return;
  }
  if (typeof e.key !== 'string') {
    report(`${p}.key`, 'the expression has no key', 'add the label key to match');
  } else {
    const why = invalidSelectorKeyReason(e.key);
    if (why)
      report(
        `${p}.key`,
        `the key ${JSON.stringify(e.key)} is invalid: ${why}`,
        'use `key` or `source:key` where key is a Kubernetes label name',
      );
  }
  const values = asArray(e.values);
  checkOperator(e.operator, values, p, report);
  values.forEach((v, j) => {
    if (!isLabelValue(v)) {
      report(`${p}.values[${j}]`, `${show(v)} is not a label value`, 'use the exact label value as a string');
    }
  });
}

function checkOperator(operator: unknown, values: readonly unknown[], p: string, report: Report): void {
  if (!isSelectorOperator(operator)) {
    report(
      `${p}.operator`,
      `the operator ${show(operator)} is not In, NotIn, Exists or DoesNotExist`,
      'use In or NotIn with values, or Exists or DoesNotExist without values',
    );
  } else if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
    report(
      `${p}.values`,
      `${operator} needs at least one value`,
      `list the values, or use ${operator === 'In' ? 'Exists' : 'DoesNotExist'}`,
    );
  } else if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
    report(
      `${p}.values`,
      `${operator} must have no values`,
      `remove values, or use ${operator === 'Exists' ? 'In' : 'NotIn'}`,
    );
  }
}
