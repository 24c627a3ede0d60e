import { asArray, isObject, show, text } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { parsePrefix, parsePrefixOrAddress } from '../../cilium/cidr';
import { allElements } from '../util/walk';

export const invalidCidr = defineRule({
  id: 'invalid-cidr',
  severity: 'error',
  fields: ['fromCIDR', 'toCIDR', 'fromCIDRSet', 'toCIDRSet'],
  title: 'CIDRs must be prefixes; CIDRSet items need exactly one of cidr, cidrGroupRef, cidrGroupSelector',
  rationale:
    '1.20 requires prefix notation (`192.0.2.10/32`, not a bare address) in fromCIDR/toCIDR and CIDRSet `cidr`, and rejects unparseable ones; each CIDRSet item needs exactly one of `cidr`, `cidrGroupRef` or `cidrGroupSelector` (docs/cilium-semantics.md, "Validation").',
  examples: {
    bad: [
      cnp('web', { endpointSelector: { matchLabels: { app: 'web' } }, egress: [{ toCIDR: ['192.0.2.10'] }] }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [{ toCIDR: ['192.0.2.10/32'] }],
      }),
    ],
  },
  check(ctx, report) {
    const check = (value: unknown, path: string): void => {
      if (parsePrefix(value)) return;
      const bare = parsePrefixOrAddress(value);
      report(
        path,
        bare
          ? `${show(value)} is a bare address; 1.20 requires prefix notation`
          : `${show(value)} is not a CIDR`,
        bare
          ? `write "${text(value)}/${bare.family === 4 ? 32 : 128}"`
          : 'write an IPv4 or IPv6 prefix such as "192.0.2.0/24" or "2001:db8::/32"',
      );
    };
    for (const el of allElements(ctx.policy)) {
      for (const field of ['fromCIDR', 'toCIDR'])
        asArray(el.element[field]).forEach((c, i) => check(c, `${el.path}.${field}[${i}]`));
      for (const field of ['fromCIDRSet', 'toCIDRSet']) {
        asArray(el.element[field]).forEach((item, i) => {
          const path = `${el.path}.${field}[${i}]`;
          if (!isObject(item)) {
            report(path, 'the CIDRSet item is not a mapping', 'write {cidr: "192.0.2.0/24", except: [...]}');
            return;
          }
          const set = ['cidr', 'cidrGroupRef', 'cidrGroupSelector'].filter(
            (k) => item[k] !== undefined && item[k] !== null,
          );
          if (set.length !== 1) {
            report(
              path,
              set.length === 0
                ? 'the CIDRSet item has none of cidr, cidrGroupRef, cidrGroupSelector'
                : `the CIDRSet item sets ${set.join(' and ')}; exactly one is allowed`,
              'keep exactly one of cidr, cidrGroupRef or cidrGroupSelector per item; use several items for several sources',
            );
          }
          if (item.cidr !== undefined) check(item.cidr, `${path}.cidr`);
        });
      }
    }
  },
});
