import { asArray, isObject, show, text } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { parsePrefix, prefixContainsPrefix } from '../../cilium/cidr';
import { allElements } from '../util/walk';

export const invalidCidrExcept = defineRule({
  id: 'invalid-cidr-except',
  severity: 'error',
  fields: ['fromCIDRSet', 'toCIDRSet'],
  title: 'CIDRSet `except` entries must lie inside their `cidr`',
  rationale:
    'Rule.Sanitize rejects an `except` entry that is unparseable, of the other IP family, not contained in the item\'s `cidr`, or (1.20) with a shorter prefix than `cidr` (docs/cilium-semantics.md, "Validation").',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [{ toCIDRSet: [{ cidr: '192.0.2.0/24', except: ['198.51.100.0/24'] }] }],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [{ toCIDRSet: [{ cidr: '192.0.2.0/24', except: ['192.0.2.128/25'] }] }],
      }),
    ],
  },
  check(ctx, report) {
    for (const el of allElements(ctx.policy)) {
      for (const field of ['fromCIDRSet', 'toCIDRSet']) {
        asArray(el.element[field]).forEach((item, i) => {
          if (!isObject(item)) return;
          const outer = parsePrefix(item.cidr);
          asArray(item.except).forEach((ex, j) => {
            const path = `${el.path}.${field}[${i}].except[${j}]`;
            const inner = parsePrefix(ex);
            if (!inner) {
              report(path, `${show(ex)} is not a CIDR`, 'write a prefix inside cidr, e.g. "10.0.1.0/24"');
            } else if (outer && inner.family !== outer.family) {
              report(
                path,
                `${show(ex)} is IPv${inner.family} but cidr ${show(item.cidr)} is IPv${outer.family}`,
                'put the exception in a CIDRSet item of the same family',
              );
            } else if (outer && inner.length < outer.length) {
              report(
                path,
                `${show(ex)} has a shorter prefix than cidr ${show(item.cidr)}`,
                `use an exception at least /${outer.length} long inside ${text(item.cidr)}, or widen cidr`,
              );
            } else if (outer && !prefixContainsPrefix(outer, inner)) {
              report(
                path,
                `${show(ex)} is not inside cidr ${show(item.cidr)}`,
                `remove it (it excludes nothing) or use a prefix inside ${text(item.cidr)}`,
              );
            }
          });
        });
      }
    }
  },
});
