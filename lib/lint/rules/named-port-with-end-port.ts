import { text } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { parsePort } from '../../cilium/ports';
import { allElements, portRulesOf, portsOf } from '../util/walk';

export const namedPortWithEndPort = defineRule({
  id: 'named-port-with-end-port',
  severity: 'warning',
  fields: ['endPort'],
  title: 'No `endPort` on a named port',
  rationale:
    'A port range needs a numeric start: `endPort` is ignored for named ports (docs/cilium-semantics.md, "Port ranges"), so the rule covers only the named port.',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [{ toPorts: [{ ports: [{ port: 'http', endPort: 8090, protocol: 'TCP' }] }] }],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [{ toPorts: [{ ports: [{ port: '8080', endPort: 8090, protocol: 'TCP' }] }] }],
      }),
    ],
  },
  check(ctx, report) {
    for (const el of allElements(ctx.policy)) {
      for (const pr of portRulesOf(el)) {
        for (const p of portsOf(pr)) {
          if (
            parsePort(p.port.port).kind === 'name' &&
            p.port.endPort !== undefined &&
            p.port.endPort !== 0
          ) {
            report(
              `${p.path}.endPort`,
              `endPort with the named port "${text(p.port.port)}" is ignored`,
              'use the numeric container port as port with endPort, or drop endPort',
            );
          }
        }
      }
    }
  },
});
