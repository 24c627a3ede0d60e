import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { allElements } from '../util/walk';

export const icmpsWithToPorts = defineRule({
  id: 'icmps-with-to-ports',
  severity: 'error',
  fields: ['icmps'],
  title: '`icmps` and `toPorts` in separate elements',
  rationale:
    'Rule.Sanitize rejects an element that has both `icmps` and `toPorts` (docs/cilium-semantics.md, "Protocol" and "Validation"). Use two elements with the same peers.',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [
          {
            fromEndpoints: [{ matchLabels: { app: 'lb' } }],
            toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }],
            icmps: [{ fields: [{ type: 'EchoRequest', family: 'IPv4' }] }],
          },
        ],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [
          {
            fromEndpoints: [{ matchLabels: { app: 'lb' } }],
            toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }],
          },
          {
            fromEndpoints: [{ matchLabels: { app: 'lb' } }],
            icmps: [{ fields: [{ type: 'EchoRequest', family: 'IPv4' }] }],
          },
        ],
      }),
    ],
  },
  check(ctx, report) {
    for (const el of allElements(ctx.policy)) {
      if (el.element.icmps !== undefined && el.element.toPorts !== undefined) {
        report(
          el.path,
          'icmps and toPorts in the same element; Cilium rejects it',
          `split it into two ${el.section} elements with the same peers: one with toPorts, one with icmps`,
        );
      }
    }
  },
});
