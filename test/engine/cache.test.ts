/** The per-identity decision cache must never leak one flow's answer into another's. */
import { PolicyEngine } from '../../lib/engine/engine';
import { parsePeer } from '../../lib/engine/peer-syntax';
import { Flow } from '../../lib/engine/types';
import { cnp, flow } from './helpers';

const policies = [
  cnp('app', 'out', {
    endpointSelector: {},
    egress: [
      { toCIDRSet: [{ cidr: '10.0.0.0/8', except: ['10.96.0.0/12'] }] },
      {
        toFQDNs: [{ matchPattern: '*.github.com' }],
        toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }],
      },
      {
        toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'db' } }],
        toPorts: [{ ports: [{ port: 'pg', protocol: 'TCP' }] }],
      },
    ],
  }),
];

const flows: Array<[Flow, string]> = [
  [flow('app/a=b', 'cidr:10.1.1.1', '443/TCP'), 'FORWARDED'],
  [flow('app/a=b', 'cidr:10.96.0.1', '80/TCP'), 'DROPPED'],
  [flow('app/a=b', 'fqdn:api.github.com@140.82.112.5', '443/TCP'), 'FORWARDED'],
  [flow('app/a=b', 'fqdn:example.com@140.82.112.5', '443/TCP'), 'DROPPED'],
  [flow('app/a=b', 'fqdn:api.github.com@140.82.112.5', '80/TCP'), 'DROPPED'],
  [
    flow(
      'app/a=b',
      { ...parsePeer('db/app=pg'), namedPorts: [{ name: 'pg', port: 5432, protocol: 'TCP' }] },
      '5432/TCP',
    ),
    'FORWARDED',
  ],
  [
    flow(
      'app/a=b',
      { ...parsePeer('db/app=pg'), namedPorts: [{ name: 'pg', port: 5433, protocol: 'TCP' }] },
      '5432/TCP',
    ),
    'DROPPED',
  ],
  [flow('app/a=b', 'db/app=pg', '5432/TCP'), 'UNDECIDED'],
  [flow({ ...parsePeer('app/a=b'), auditMode: true }, 'cidr:10.96.0.1', '80/TCP'), 'AUDIT'],
  [flow({ ...parsePeer('app/a=b'), managed: false }, 'cidr:10.96.0.1', '80/TCP'), 'FORWARDED'],
];

describe('decision cache', () => {
  test('each flow gets its own answer, in any evaluation order', () => {
    const forward = PolicyEngine.fromManifests(policies);
    const backward = PolicyEngine.fromManifests(policies);
    const a = flows.map(([f]) => JSON.stringify(forward.evaluate(f)));
    const b = [...flows]
      .reverse()
      .map(([f]) => JSON.stringify(backward.evaluate(f)))
      .reverse();
    expect(b).toEqual(a);
    expect(flows.map(([f]) => forward.evaluate(f).verdict)).toEqual(flows.map(([, v]) => v));
  });

  test('repeated evaluation returns equal results', () => {
    const engine = PolicyEngine.fromManifests(policies);
    for (const [f] of flows) expect(engine.evaluate(f)).toEqual(engine.evaluate(f));
  });

  test('notes name only what the decision depends on', () => {
    const engine = PolicyEngine.fromManifests([
      cnp('app', 'deny-all', { endpointSelector: {}, egress: [{}] }),
    ]);
    const r1 = engine.evaluate(flow('app/a=b', 'cidr:1.1.1.1', '443/TCP'));
    const r2 = engine.evaluate(flow('app/a=b', 'cidr:2.2.2.2', '443/TCP'));
    expect(r1.egress.notes).toEqual(['no rule allows entity:world on 443/TCP']);
    expect(r2).toBe(r2);
    expect(r2.egress.notes).toEqual(r1.egress.notes);
  });
});
