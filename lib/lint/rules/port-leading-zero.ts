import { text } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { parsePort } from '../../cilium/ports';
import { allElements, portRulesOf, portsOf } from '../util/walk';

export const portLeadingZero = defineRule({
  id: 'port-leading-zero',
  severity: 'warning',
  fields: ['ports'],
  title: 'A leading zero makes a port octal',
  rationale:
    'The agent parses ports with base detection, so "010" is port 8 and "0443" is port 291; the CRD pattern accepts both (docs/cilium-semantics.md, "Port numbers and names").',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [{ toPorts: [{ ports: [{ port: '0443', protocol: 'TCP' }] }] }],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [{ toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }],
      }),
    ],
  },
  check(ctx, report) {
    for (const el of allElements(ctx.policy)) {
      for (const pr of portRulesOf(el)) {
        for (const p of portsOf(pr)) {
          const parsed = parsePort(p.port.port);
          if (parsed.kind === 'number' && parsed.octal) {
            report(
              `${p.path}.port`,
              `"${text(p.port.port)}" has a leading zero and is read as octal: port ${parsed.value}, not ${Number(text(p.port.port))}`,
              `write "${Number(text(p.port.port))}" if you meant decimal, or "${parsed.value}" if you meant port ${parsed.value}`,
            );
          }
        }
      }
    }
  },
});
