import { show } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { ALL_PROTOCOLS } from '../../cilium/ports';
import { allElements, portRulesOf, portsOf } from '../util/walk';

export const invalidProtocol = defineRule({
  id: 'invalid-protocol',
  severity: 'error',
  fields: ['protocol'],
  title: 'Protocols must be in the (case-sensitive) CRD enum',
  rationale:
    '`protocol` is one of TCP, UDP, SCTP, ANY and the extended VRRP, IGMP, GRE, IPIP, IPV6, ESP, AH; the CRD enum is case-sensitive. ICMP is not a toPorts protocol: use `icmps` (docs/cilium-semantics.md, "Protocol").',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [{ toPorts: [{ ports: [{ port: '80', protocol: 'tcp' }] }] }],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [{ toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }],
      }),
    ],
  },
  check(ctx, report) {
    for (const el of allElements(ctx.policy)) {
      for (const pr of portRulesOf(el)) {
        for (const p of portsOf(pr)) {
          const proto = p.port.protocol;
          if (
            proto === undefined ||
            proto === null ||
            (typeof proto === 'string' && ALL_PROTOCOLS.includes(proto))
          )
            continue;
          const upper = typeof proto === 'string' ? proto.toUpperCase() : '';
          if (upper.startsWith('ICMP')) {
            report(
              `${p.path}.protocol`,
              `${show(proto)} is not a toPorts protocol`,
              `remove this port and add a separate ${el.section} element with \`icmps: [{fields: [{family: ${upper === 'ICMPV6' ? 'IPv6' : 'IPv4'}, type: EchoRequest}]}]\``,
            );
          } else if (ALL_PROTOCOLS.includes(upper)) {
            report(
              `${p.path}.protocol`,
              `${show(proto)} is not accepted: the CRD enum is case-sensitive`,
              `write "${upper}"`,
            );
          } else {
            report(
              `${p.path}.protocol`,
              `${show(proto)} is not a protocol Cilium knows`,
              `use one of ${ALL_PROTOCOLS.join(', ')}`,
            );
          }
        }
      }
    }
  },
});
