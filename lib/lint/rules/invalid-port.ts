import { show, text } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import { EXTENDED_PROTOCOLS, parsePort } from '../../cilium/ports';
import { allElements, portRulesOf, portsOf } from '../util/walk';

export const invalidPort = defineRule({
  id: 'invalid-port',
  severity: 'error',
  fields: ['ports'],
  title: 'Ports must parse as a 16-bit number or a port name',
  rationale:
    'The CRD pattern for `port` is unanchored, so "99999", "08" or "http_alt" pass the apiserver and the agent then rejects the whole policy ("unable to parse port"). Ports are parsed with base detection: a leading zero means octal, so "08" and "080" are invalid. An empty port is rejected unless the protocol is an extended one; `endPort` must be 0-65535 (docs/cilium-semantics.md, "Port numbers and names" and "Port ranges").',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [{ toPorts: [{ ports: [{ port: '080', protocol: 'TCP' }] }] }],
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
          const parsed = parsePort(p.port.port);
          const extended =
            typeof p.port.protocol === 'string' &&
            (EXTENDED_PROTOCOLS as readonly string[]).includes(p.port.protocol);
          if (parsed.kind === 'invalid') {
            const fix = /^0[0-9]+$/.test(text(p.port.port))
              ? `write the decimal number without leading zeros, "${text(Number(text(p.port.port)))}"`
              : 'write a decimal port 1-65535 as a string (e.g. "8080") or a container port name (e.g. "http")';
            report(`${p.path}.port`, `${parsed.reason}; Cilium rejects the policy`, fix);
          } else if (parsed.kind === 'empty' && !extended) {
            report(
              `${p.path}.port`,
              'the port is empty; Cilium rejects it ("port must be specified")',
              'set port, e.g. "8080"; use "0" with a protocol to mean all ports of that protocol',
            );
          }
          const end = p.port.endPort;
          if (
            end !== undefined &&
            end !== null &&
            (typeof end !== 'number' || !Number.isInteger(end) || end < 0 || end > 65535)
          ) {
            report(
              `${p.path}.endPort`,
              `endPort ${show(end)} is not an integer 0-65535`,
              'set endPort to the last port of the range as a number, e.g. 8090',
            );
          }
        }
      }
    }
  },
});
