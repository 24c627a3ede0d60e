import { asArray, isObject, show } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { allElements } from '../util/walk';
import { parseIcmpType } from '../../cilium/ports';

const MAX_FIELDS = 40;

export const invalidIcmp = defineRule({
  id: 'invalid-icmp',
  severity: 'error',
  fields: ['icmps'],
  title: 'ICMP fields: family IPv4/IPv6, a type 0-255 or a name known for the family, at most 40',
  rationale:
    'Rule.Sanitize rejects ICMP rules with more than 40 fields, a family other than IPv4/IPv6, a type outside 0-255 or a type name unknown for the family (IPv4 EchoRequest is 8, IPv6 EchoRequest is 128; `Echo` only exists for IPv4); see docs/cilium-semantics.md, "Protocol" and "Validation".',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [{ icmps: [{ fields: [{ type: 'Echo', family: 'IPv6' }] }] }],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [{ icmps: [{ fields: [{ type: 'EchoRequest', family: 'IPv6' }] }] }],
      }),
    ],
  },
  check(ctx, report) {
    for (const el of allElements(ctx.policy)) {
      asArray(el.element.icmps).forEach((icmp, i) => {
        const fields = isObject(icmp) ? asArray(icmp.fields) : [];
        const path = `${el.path}.icmps[${i}]`;
        if (fields.length > MAX_FIELDS)
          report(
            `${path}.fields`,
            `${fields.length} ICMP fields; Cilium accepts at most ${MAX_FIELDS}`,
            'split them over several icmps items',
          );
        fields.forEach((f, j) => {
          const fp = `${path}.fields[${j}]`;
          if (!isObject(f))
            return report(fp, 'the ICMP field is not a mapping', 'write {family: IPv4, type: EchoRequest}');
          const family = f.family ?? 'IPv4';
          if (family !== 'IPv4' && family !== 'IPv6')
            return report(`${fp}.family`, `${show(family)} is not an ICMP family`, 'write IPv4 or IPv6');
          const t = f.type;
          if (typeof t === 'number' || (typeof t === 'string' && /^[0-9]+$/.test(t))) {
            if (parseIcmpType(t, family) === undefined) {
              report(
                `${fp}.type`,
                Number(t) > 255 || !Number.isInteger(Number(t))
                  ? `ICMP type ${show(t)} is outside 0-255`
                  : `ICMP type ${show(t)} has a leading zero, which the CRD pattern rejects`,
                'use a type number 0-255 or a type name',
              );
            }
          } else if (parseIcmpType(t, family) === undefined) {
            const other =
              typeof t === 'string' && parseIcmpType(t, family === 'IPv4' ? 'IPv6' : 'IPv4') !== undefined;
            report(
              `${fp}.type`,
              other ? `${show(t)} is not an ${family} ICMP type name` : `${show(t)} is not an ICMP type`,
              `use a type number or one of the ${family} names, e.g. EchoRequest`,
            );
          }
        });
      });
    }
  },
});
