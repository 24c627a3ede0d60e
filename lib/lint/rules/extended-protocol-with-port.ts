import { text } from '../../util/shape';
import { defineRule } from '../util/finding';
import { ccnp } from '../util/examples';
import { EXTENDED_PROTOCOLS, parsePort } from '../../cilium/ports';
import { allElements, portRulesOf, portsOf } from '../util/walk';

export const extendedProtocolWithPort = defineRule({
  id: 'extended-protocol-with-port',
  severity: 'error',
  fields: ['protocol'],
  title: 'Extended protocols (VRRP, IGMP, GRE, ...) take no port',
  rationale:
    'VRRP, IGMP and the 1.20 tunnel protocols GRE, IPIP, IPV6, ESP and AH have no transport ports: the agent rejects a non-zero port with them ("port must be empty or 0"). An empty port is rejected too unless the agent runs with `--enable-extended-ip-protocols` (default off), while port `"0"` is accepted without it (docs/cilium-semantics.md, "Protocol").',
  examples: {
    bad: [
      ccnp('vrrp', {
        endpointSelector: { matchLabels: { app: 'keepalived' } },
        ingress: [{ fromEntities: ['cluster'], toPorts: [{ ports: [{ port: '112', protocol: 'VRRP' }] }] }],
      }),
    ],
    good: [
      ccnp('vrrp', {
        endpointSelector: { matchLabels: { app: 'keepalived' } },
        ingress: [{ fromEntities: ['cluster'], toPorts: [{ ports: [{ port: '0', protocol: 'VRRP' }] }] }],
      }),
    ],
  },
  check(ctx, report) {
    for (const el of allElements(ctx.policy)) {
      for (const pr of portRulesOf(el)) {
        for (const p of portsOf(pr)) {
          const proto = p.port.protocol;
          if (typeof proto !== 'string' || !(EXTENDED_PROTOCOLS as readonly string[]).includes(proto))
            continue;
          const parsed = parsePort(p.port.port);
          if (parsed.kind === 'number' && parsed.value === 0) continue;
          if (parsed.kind === 'empty') {
            // The flag is off by default, and port "0" means the same without it (docs/cilium-semantics.md, "Protocol").
            report(
              `${p.path}.port`,
              `${proto} with an empty port is rejected ("port must be specified") unless the agent runs with --enable-extended-ip-protocols (default off)`,
              'set port: "0", which Cilium accepts without the flag',
            );
            continue;
          }
          report(
            `${p.path}.port`,
            `${proto} has no ports but port is "${text(p.port.port)}"; Cilium rejects it`,
            'set port: "0" (or leave it empty with --enable-extended-ip-protocols)',
          );
        }
      }
    }
  },
});
