import { Readable } from 'stream';
import { parseIp, parsePrefix, prefixContainsIp } from '../../lib/cilium/cidr';
import { AddressClasses } from '../../lib/engine/address-class';
import { PolicyEngine } from '../../lib/engine/engine';
import { Flow, FlowResult } from '../../lib/engine/types';
import { openFlowInput } from '../../lib/hubble/line-reader';
import { KubeManifest } from '../../lib/manifest/types';
import { FlowEvaluator } from '../../lib/replay/evaluation-cache';
import { stringWriter } from '../../lib/replay/output';
import { replayFlows } from '../../lib/replay/replay';
import { renderJson } from '../../lib/replay/report';
import { EndpointSpec, observeLine, pod, reserved } from './hubble-builder';

/**
 * Replay evaluates the flows of a world address once per CIDR identity (the set of policy
 * prefixes containing it), not once per address: its reports must be those of evaluating every
 * flow afresh, for addresses inside prefixes, in `except` holes, in deny prefixes, in no prefix,
 * IPv4 and IPv6.
 */
const cnp = (name: string, spec: Record<string, unknown>): KubeManifest => ({
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumNetworkPolicy',
  metadata: { name, namespace: 'shop' },
  spec,
});
const tcp = (port: number) => ({ toPorts: [{ ports: [{ port: String(port), protocol: 'TCP' }] }] });

const POLICIES: KubeManifest[] = [
  cnp('api-egress', {
    endpointSelector: { matchLabels: { app: 'api' } },
    egress: [
      { toCIDRSet: [{ cidr: '10.0.0.0/8', except: ['10.1.0.0/16', '10.2.3.0/24'] }], ...tcp(443) },
      { toCIDR: ['2001:db8::/32', '10.2.0.0/16'], ...tcp(443) },
      { toFQDNs: [{ matchName: 'api.example.com' }], ...tcp(443) },
    ],
    egressDeny: [{ toCIDR: ['10.9.0.0/16', '2001:db8:9::/48'], ...tcp(443) }],
  }),
  cnp('api-ingress', {
    endpointSelector: { matchLabels: { app: 'api' } },
    ingress: [
      { fromCIDRSet: [{ cidr: '192.168.0.0/16', except: ['192.168.7.0/24'] }], ...tcp(8080) },
      { fromCIDR: ['fd00::/8'], ...tcp(8080) },
    ],
  }),
];

const API = pod('shop', 'api-7f8d9c6b5-abcde', '10.244.0.10', 40001, { app: 'api' });

/** Addresses of every kind, many per CIDR identity. */
function addresses(n: number, egress: boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = (i * 37) % 250;
    const b = (i * 11) % 250;
    out.push(
      ...(egress
        ? [
            `10.${5 + (i % 3)}.${a}.${b}`, // inside 10/8
            `10.1.${a}.${b}`, // in the except hole
            `10.2.3.${b}`, // in a hole and in 10.2/16 of another rule
            `10.2.${4 + (a % 200)}.${b}`, // 10/8 and 10.2/16
            `10.9.${a}.${b}`, // denied
            `8.8.${a}.${b}`, // in no prefix
            `2001:db8:${a.toString(16)}::${b.toString(16)}`,
            `2001:db8:9::${b.toString(16)}`, // denied (IPv6)
            `2001:db9::${b.toString(16)}`, // in no prefix (IPv6)
            `::ffff:10.5.${a}.${b}`, // IPv4-embedded IPv6: not in IPv4 prefixes
          ]
        : [`192.168.${a % 7}.${b}`, `192.168.7.${b}`, `172.16.${a}.${b}`, `fd00::${a.toString(16)}:${b}`]),
    );
  }
  return out;
}

function exportLines(): string[] {
  const lines: string[] = [];
  let n = 0;
  const line = (src: EndpointSpec, dst: EndpointSpec, dport: number, names?: string[]) =>
    observeLine({
      src,
      dst,
      dport,
      sport: 30000 + n,
      direction: src === API ? 'EGRESS' : 'INGRESS',
      time: new Date(Date.parse('2026-07-01T10:00:00Z') + 1000 * n++).toISOString(),
      node: 'default/node-1',
      ...(names ? { destinationNames: names } : {}),
    });
  for (const ip of addresses(12, true)) {
    const world = reserved(ip.includes(':') ? 'world-ipv6' : 'world', ip, ip.includes(':') ? 9 : 2);
    lines.push(line(API, world, 443), line(API, world, 80));
    if (ip.startsWith('8.8.')) lines.push(line(API, world, 443, ['api.example.com']));
  }
  for (const ip of addresses(12, false)) lines.push(line(reserved('world', ip, 2), API, 8080));
  return lines;
}

async function report(evaluator: FlowEvaluator): Promise<string> {
  const text = `${exportLines().join('\n')}\n`;
  const result = await replayFlows(await openFlowInput('-', Readable.from([Buffer.from(text)])), evaluator);
  const out = stringWriter();
  await renderJson({ result, policies: POLICIES.length, warnings: [], perFlow: true }, out.write);
  return out.text();
}

describe('world addresses by CIDR identity', () => {
  test('the report equals evaluating every flow with a fresh engine, with far fewer evaluations', async () => {
    const engine = PolicyEngine.fromManifests(POLICIES);
    let evaluations = 0;
    const cached = await report({
      evaluate: (flow: Flow): FlowResult => {
        evaluations++;
        return engine.evaluate(flow);
      },
      addressClass: (ip: string) => engine.addressClass(ip),
    });
    const fresh = await report({ evaluate: (flow) => PolicyEngine.fromManifests(POLICIES).evaluate(flow) });
    expect(cached).toBe(fresh);
    const parsed = JSON.parse(cached);
    const verdicts = new Set(parsed.groups.map((g: { predicted: string }) => g.predicted));
    expect([...verdicts].sort()).toEqual(['DROPPED', 'FORWARDED', 'UNDECIDED']);
    // 10 kinds of egress address x 2 ports, the FQDN flows, 4 kinds of ingress address: each
    // CIDR identity once, not 12 addresses each.
    expect(exportLines().length).toBe(300);
    expect(evaluations).toBeLessThanOrEqual(30);
  });

  test('a denied address is named in the notes of its own group only', async () => {
    const json = JSON.parse(
      await report({ evaluate: (flow) => PolicyEngine.fromManifests(POLICIES).evaluate(flow) }),
    );
    const denied = json.groups.filter(
      (g: { egress: { decision: string } }) => g.egress.decision === 'DENIED',
    );
    expect(denied.length).toBeGreaterThan(0);
    for (const g of denied) {
      const notes: string = g.egress.notes.join(' ');
      expect(notes).toMatch(/cidr:(10\.9\.|2001:db8:9::)/);
    }
  });

  test('two addresses of one family share a class exactly when the same policy prefixes contain them', () => {
    const engine = PolicyEngine.fromManifests(POLICIES);
    const prefixes = [
      '10.0.0.0/8',
      '10.1.0.0/16',
      '10.2.3.0/24',
      '2001:db8::/32',
      '10.2.0.0/16',
      '10.9.0.0/16',
      '2001:db8:9::/48',
      '192.168.0.0/16',
      '192.168.7.0/24',
      'fd00::/8',
    ].map((p) => parsePrefix(p)!);
    const containing = (ip: string) => {
      const parsed = parseIp(ip);
      if (!parsed) return `?${ip}`;
      return `${parsed.family}:${prefixes.map((p) => (prefixContainsIp(p, parsed) ? '1' : '0')).join('')}`;
    };
    const all = [...addresses(40, true), ...addresses(40, false), 'not-an-ip', '10.0.0.256', '::'];
    const byClass = new Map<string, string>();
    const byContaining = new Map<string, string>();
    for (const ip of all) {
      const cls = engine.addressClass(ip);
      const set = containing(ip);
      expect(byClass.get(cls) ?? set).toBe(set);
      expect(byContaining.get(set) ?? cls).toBe(cls);
      byClass.set(cls, set);
      byContaining.set(set, cls);
    }
    expect(byClass.size).toBeGreaterThan(8);
    expect(new AddressClasses([]).of('10.0.0.1')).toBe(new AddressClasses([]).of('8.8.8.8'));
    expect(new AddressClasses([]).of('10.0.0.1')).not.toBe(new AddressClasses([]).of('::1'));
  });
});
