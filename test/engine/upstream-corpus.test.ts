/**
 * The upstream example corpus (test/fixtures/upstream-examples, see its SOURCES.md): the engine
 * must load every valid Cilium 1.20 policy and evaluate any flow without crashing, deterministically.
 */
import * as path from 'path';
import { expandManifestPaths, loadManifests } from '../../lib/manifest/load';
import { PolicyEngine } from '../../lib/engine/engine';
import { parsePeer } from '../../lib/engine/peer-syntax';
import { Flow, FlowPeer } from '../../lib/engine/types';
import { flow } from './helpers';
import { sample } from '../support/suite';

const CORPUS = path.join(__dirname, '..', 'fixtures', 'upstream-examples');
const files = expandManifestPaths([CORPUS]);

const peers: FlowPeer[] = [
  ...[
    'default/app=myService',
    'default/role=frontend',
    'default/role=backend',
    'default/env=prod',
    'default/env=dev',
    'default/id=app1',
    'default/id=app2',
    'default/app=test-app',
    'default/role=restricted',
    'default/name=leia',
    'default/name=luke',
    'default/org=empire,class=deathstar',
    'ns1/app=x',
    'ns2/app=x',
    'production/app=x',
    'public/app=x',
    'kube-system/k8s-app=kube-dns',
    'entity:host',
    'entity:remote-node',
    'entity:kube-apiserver',
    'entity:health',
    'entity:init',
    'entity:world',
    'cidr:20.1.1.1',
    'cidr:10.96.0.1',
    'cidr:10.1.1.1',
    'cidr:2001:db8::1',
    'fqdn:my-remote-service.com@1.2.3.4',
    'fqdn:api.cilium.io',
    'entity:ingress',
    'entity:unmanaged',
  ].map(parsePeer),
  {
    labels: ['k8s:io.kubernetes.pod.namespace=default', 'k8s:app=myService'],
    namedPorts: [{ name: 'http', port: 80, protocol: 'TCP' }],
  },
];
const ports = [
  '80/TCP',
  '443/TCP',
  '53/UDP',
  '53/TCP',
  '22/TCP',
  '8080/TCP',
  'icmp',
  'icmpv6',
  '5000/SCTP',
  'VRRP',
];

function allFlows(): Flow[] {
  const out: Flow[] = [];
  for (const s of peers) for (const d of peers) for (const p of ports) out.push(flow(s, d, p));
  return out;
}

describe('upstream example corpus', () => {
  test('SOURCES.md travels with the copy', () => {
    expect(require('fs').existsSync(path.join(CORPUS, 'SOURCES.md'))).toBe(true);
    expect(files.length).toBe(40);
  });

  // the fast suite evaluates every flow against 6 of the files; `npm run test:slow` against all 40
  test.each(sample(files, 6).map((f) => [path.relative(CORPUS, f), f]))(
    '%s loads and evaluates every flow without crashing',
    (_rel, file) => {
      const engine = PolicyEngine.fromManifests(loadManifests([file]));
      for (const f of allFlows()) {
        const r = engine.evaluate(f);
        expect(['FORWARDED', 'DROPPED', 'AUDIT', 'UNDECIDED']).toContain(r.verdict);
      }
    },
  );

  test('only the two policies the 1.20 CRD rejects, and the host policies, are dropped', () => {
    const engine = PolicyEngine.fromManifests(loadManifests([CORPUS]));
    const skipped = engine.warnings
      .filter((w) => /skipped|rule ignored/.test(w))
      .map((w) => w.replace(CORPUS, ''));
    expect(skipped).toEqual([
      expect.stringMatching(/demo-host-policy .*host firewall/),
      expect.stringMatching(/lock-down-ingress-worker-node .*host firewall/),
      expect.stringMatching(/requires-rule .*fromRequires was removed/),
      expect.stringMatching(
        /to-prod-from-control-plane-nodes .*FromNodes rules can only be applied when the "enable-node-selector-labels" flag is set/,
      ),
    ]);
  });

  test('results do not depend on the order of the input documents', () => {
    const manifests = loadManifests([CORPUS]);
    const forward = PolicyEngine.fromManifests(
      manifests.filter(
        (m) => !/requires\/endpoints|auth\.yaml|l3_l4_combined|dns-visibility/.test(m.file ?? ''),
      ),
    );
    const backward = PolicyEngine.fromManifests(
      [...manifests]
        .reverse()
        .filter((m) => !/requires\/endpoints|auth\.yaml|l3_l4_combined|dns-visibility/.test(m.file ?? '')),
    );
    for (const f of sample(allFlows(), 3000))
      expect(JSON.stringify(backward.evaluate(f))).toBe(JSON.stringify(forward.evaluate(f)));
  });

  const one = (rel: string) => PolicyEngine.fromManifests(loadManifests([path.join(CORPUS, rel)]));

  test.each([
    [
      '1.2 egress-default-deny: restricted pods reach nothing',
      'policies/l3/egress-default-deny/egress-default-deny.yaml',
      'default/role=restricted',
      'kube-system/k8s-app=kube-dns',
      '53/UDP',
      'DROPPED',
    ],
    [
      '1.5 from_world_deny: world is denied despite the allow-all',
      'policies/l3/entities/from_world_deny.yaml',
      'cidr:20.1.1.1',
      'default/app=x',
      '80/TCP',
      'DROPPED',
    ],
    [
      '1.5 from_world_deny: cluster traffic is allowed',
      'policies/l3/entities/from_world_deny.yaml',
      'ns1/app=x',
      'default/app=x',
      '80/TCP',
      'FORWARDED',
    ],
    [
      '1.6 kubedns-policy: public pods reach kube-dns on 53/UDP',
      'policies/kubernetes/namespace/kubedns-policy.yaml',
      'public/app=x',
      'kube-system/k8s-app=kube-dns',
      '53/UDP',
      'FORWARDED',
    ],
    [
      '1.6 kubedns-policy: but not on 53/TCP',
      'policies/kubernetes/namespace/kubedns-policy.yaml',
      'public/app=x',
      'kube-system/k8s-app=kube-dns',
      '53/TCP',
      'DROPPED',
    ],
    [
      '1.6 isolate-namespaces: ns1 -> ns2 is dropped',
      'policies/kubernetes/namespace/isolate-namespaces.yaml',
      'ns1/app=x',
      'ns2/app=x',
      '80/TCP',
      'DROPPED',
    ],
    [
      '1.6 isolate-namespaces: ns2 -> ns2 is allowed',
      'policies/kubernetes/namespace/isolate-namespaces.yaml',
      'ns2/app=y',
      'ns2/app=x',
      '80/TCP',
      'FORWARDED',
    ],
    [
      '1.6 wildcard-from-endpoints: pods of any namespace reach kube-dns',
      'policies/kubernetes/clusterwide/wildcard-from-endpoints.yaml',
      'ns1/app=x',
      'kube-system/k8s-app=kube-dns',
      '53/UDP',
      'FORWARDED',
    ],
    [
      '1.6 wildcard-from-endpoints: world is not allowed',
      'policies/kubernetes/clusterwide/wildcard-from-endpoints.yaml',
      'cidr:20.1.1.1',
      'kube-system/k8s-app=kube-dns',
      '53/UDP',
      'DROPPED',
    ],
    [
      '2.1 health.yaml: remote nodes reach the health endpoint',
      'policies/kubernetes/clusterwide/health.yaml',
      'entity:remote-node',
      'entity:health',
      '4240/TCP',
      'FORWARDED',
    ],
    [
      '1.6 or-statement: production pods reach any default pod',
      'policies/l3/match-expressions/or-statement.yaml',
      'production/app=x',
      'default/app=y',
      '80/TCP',
      'FORWARDED',
    ],
    [
      '1.5 egress-deny: frontend -> backend is denied',
      'policies/l3/egress-deny/egress-deny.yaml',
      'default/role=frontend',
      'default/role=backend',
      '80/TCP',
      'DROPPED',
    ],
    [
      '1.7 cidr.yaml: 10.96.0.1 is in the exception',
      'policies/l3/cidr/cidr.yaml',
      'default/app=myService',
      'cidr:10.96.0.1',
      '443/TCP',
      'DROPPED',
    ],
    [
      '3.2 l4_port_range: 443 is in 80-444',
      'policies/l4/l4_port_range.yaml',
      'default/app=myService',
      'cidr:1.1.1.1',
      '443/TCP',
      'FORWARDED',
    ],
    [
      '4 fqdn.yaml: the listed name is allowed',
      'policies/l3/fqdn/fqdn.yaml',
      'default/app=test-app',
      'fqdn:my-remote-service.com',
      '443/TCP',
      'FORWARDED',
    ],
    [
      '4 fqdn.yaml: other names are dropped',
      'policies/l3/fqdn/fqdn.yaml',
      'default/app=test-app',
      'fqdn:api.cilium.io',
      '443/TCP',
      'DROPPED',
    ],
    [
      '10.8 service.yaml: toServices is undecided',
      'policies/l3/service/service.yaml',
      'default/id=app2',
      'default/app=x',
      '80/TCP',
      'UNDECIDED',
    ],
  ])('%s', (_name, rel, from, to, port, verdict) => {
    expect(one(rel).evaluate(flow(from, to, port)).verdict).toBe(verdict);
  });
});
