/** Workload discovery from every kind, the peers policies mention, and bad input. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseManifests } from '../../lib/manifest/load';
import { computeMatrix } from '../../lib/matrix/compute';
import { exampleName } from '../../lib/matrix/policy-peers';
import { discoverWorkloads, WorkloadError } from '../../lib/matrix/workloads';
import { render } from './helpers';

const WORKLOADS = `
apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { team: payments } }
---
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent, namespace: shop }
spec:
  template:
    metadata: { labels: { app: agent, controller-revision-hash: abc } }
    spec: { containers: [{ name: a, ports: [{ containerPort: 9100, name: metrics }] }] }
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: backup, namespace: shop }
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        metadata: { labels: { app: backup } }
        spec: { serviceAccountName: backup, containers: [{ name: b }] }
---
apiVersion: batch/v1
kind: Job
metadata: { name: migrate, namespace: shop }
spec: { template: { metadata: { labels: { app: migrate } }, spec: { containers: [{ name: m }] } } }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: shop }
spec:
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [{ name: pg, ports: [{ containerPort: 5432, name: pg }, { containerPort: 5432, protocol: UDP }] }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: db, namespace: shop }
spec: { template: { metadata: { labels: { app: db-proxy } }, spec: { containers: [{ name: p }] } } }
---
apiVersion: v1
kind: Pod
metadata: { name: node-exporter, labels: { app: ne } }
spec: { hostNetwork: true, containers: [{ name: ne, ports: [{ containerPort: 9100 }] }] }
`;

test('every workload kind yields a node with its pod identity, named ports and a unique id', () => {
  const nodes = discoverWorkloads(parseManifests(WORKLOADS, 'w.yaml'));
  expect(nodes.map((n) => [n.id, n.workloadKind])).toEqual([
    ['default/node-exporter', 'Pod'],
    ['shop/agent', 'DaemonSet'],
    ['shop/backup', 'CronJob'],
    ['shop/db@deployment', 'Deployment'],
    ['shop/db@statefulset', 'StatefulSet'],
    ['shop/migrate', 'Job'],
  ]);
  const backup = nodes.find((n) => n.id === 'shop/backup')!;
  expect(backup.labels).toEqual([
    'k8s:app=backup',
    'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=shop',
    'k8s:io.cilium.k8s.namespace.labels.team=payments',
    'k8s:io.cilium.k8s.policy.serviceaccount=backup',
    'k8s:io.kubernetes.pod.namespace=shop',
  ]);
  expect(nodes.find((n) => n.id === 'shop/agent')!.labels).not.toContain('k8s:controller-revision-hash=abc');
  const db = nodes.find((n) => n.id === 'shop/db@statefulset')!;
  expect(db.declaredPorts.map((p) => p.text)).toEqual(['5432/TCP', '5432/UDP']);
  expect(db.peer.namedPorts).toEqual([{ name: 'pg', port: 5432, protocol: 'TCP' }]);
  const ne = nodes.find((n) => n.id === 'default/node-exporter')!;
  expect(ne).toMatchObject({ hostNetwork: true, labels: ['reserved:host'] });
  expect(ne.origin).toBe(`w.yaml:${WORKLOADS.split('\n').indexOf('kind: Pod')}`); // the document's first line
});

test('named ports of the destination decide named-port rules', () => {
  const policy = parseManifests(
    `
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: db, namespace: shop }
spec:
  endpointSelector: { matchLabels: { app: db } }
  ingress: [{ fromEndpoints: [{ matchLabels: { app: backup } }], toPorts: [{ ports: [{ port: pg, protocol: TCP }] }] }]
`,
    'p.yaml',
  );
  const m = computeMatrix({ policies: policy, workloads: parseManifests(WORKLOADS, 'w.yaml') });
  const cell = m.cells.find(
    (c) => c.from === 'shop/backup' && c.to === 'shop/db@statefulset' && c.port.text === '5432/TCP',
  )!;
  expect(cell).toMatchObject({ verdict: 'FORWARDED', ingress: 'ALLOWED' });
  expect(
    m.cells.find(
      (c) => c.from === 'shop/migrate' && c.to === 'shop/db@statefulset' && c.port.text === '5432/TCP',
    )!.verdict,
  ).toBe('DROPPED');
});

test('entities, CIDRs and FQDNs policies mention become nodes', () => {
  const policy = parseManifests(
    `
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: { name: out }
spec:
  endpointSelector: { matchLabels: { app: backup } }
  egress:
    - toEntities: [remote-node, cluster]
    - toCIDRSet: [{ cidr: 10.0.0.0/8, except: [10.0.0.0/16] }]
    - toFQDNs: [{ matchPattern: "*.s3.amazonaws.com" }, { matchName: "backup.example.org" }]
      toPorts: [{ ports: [{ port: "443" }] }]
`,
    'p.yaml',
  );
  const m = computeMatrix({ policies: policy, workloads: parseManifests(WORKLOADS, 'w.yaml') });
  const ids = m.nodes.filter((n) => n.kind !== 'workload').map((n) => n.id);
  expect(ids).toEqual([
    'entity:host',
    'entity:remote-node',
    'entity:world',
    'cidr:10.0.0.0/8',
    'fqdn:api.s3.amazonaws.com',
    'fqdn:backup.example.org',
  ]);
  expect(m.nodes.find((n) => n.id === 'cidr:10.0.0.0/8')!.peer.ip).toBe('10.1.0.0');
  const v = (to: string) =>
    m.cells.filter((c) => c.from === 'shop/backup' && c.to === to).map((c) => `${c.port.text} ${c.verdict}`);
  expect(v('cidr:10.0.0.0/8')).toEqual(['443/TCP FORWARDED']);
  expect(v('fqdn:api.s3.amazonaws.com')).toEqual(['443/TCP FORWARDED', '443/UDP FORWARDED']); // no protocol: ANY
  expect(v('entity:remote-node')).toEqual(['10250/TCP FORWARDED']);
  expect(v('entity:world')).toEqual(['443/TCP UNDECIDED', '443/UDP UNDECIDED']); // the CIDR and FQDN rules may match
});

test('example names for toFQDNs patterns match the pattern', () => {
  expect(exampleName('*.github.com')).toBe('api.github.com');
  expect(exampleName('**.github.com')).toBe('api.github.com');
  expect(exampleName('api-*.example.com.')).toBe('api-x.example.com');
  expect(exampleName('*')).toBe('www.example.com');
});

test('a malformed workload is an error naming file, line, field and value', () => {
  const bad = parseManifests(
    `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: w, ports: [{ containerPort: "http" }] }] }
`,
    'bad.yaml',
  );
  expect(() => discoverWorkloads(bad)).toThrow(WorkloadError);
  expect(() => discoverWorkloads(bad)).toThrow(
    'bad.yaml:2 (Deployment shop/web): spec.template.spec.containers[0].ports[0].containerPort "http" must be a port number 1-65535',
  );
  const noTemplate = parseManifests(
    'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: { name: s }\nspec: {}\n',
    'b.yaml',
  );
  expect(() => discoverWorkloads(noTemplate)).toThrow(
    'b.yaml:1 (StatefulSet default/s): spec.template is missing',
  );
});

describe('the command', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matrix-cmd-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('bad --ports, unreadable files, YAML errors and bad workloads are usage errors (exit 2)', async () => {
    await expect(render({ ports: '80/TCP,http' })).rejects.toThrow('--ports: bad port "http"');
    await expect(render({ ports: '80/TCP,' })).rejects.toThrow('empty item');
    await expect(render({ policies: [path.join(dir, 'missing.yaml')] })).rejects.toThrow(
      'cannot read: ENOENT',
    );
    const yamlError = path.join(dir, 'broken.yaml');
    fs.writeFileSync(yamlError, 'kind: Pod\nmetadata: [\n');
    await expect(render({ policies: [yamlError] })).rejects.toThrow(/broken\.yaml:\d+: YAML syntax error/);
    const badWorkload = path.join(dir, 'bad-workload.yaml');
    fs.writeFileSync(
      badWorkload,
      'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { containers: [{ name: c, ports: [{ containerPort: 80, protocol: HTTP }] }] }\n',
    );
    const { UsageError } = await import('../../lib/cli/common');
    await expect(render({ policies: [badWorkload] })).rejects.toThrow(UsageError);
    await expect(render({ policies: [badWorkload] })).rejects.toThrow(
      'bad-workload.yaml:1 (Pod default/p): spec.containers[0].ports[0].protocol "HTTP" must be TCP, UDP or SCTP',
    );
  });

  test('no workloads: says so instead of an empty table', async () => {
    const policyOnly = path.join(dir, 'policy.yaml');
    fs.writeFileSync(
      policyOnly,
      'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: p, namespace: a }\nspec: { endpointSelector: {}, ingress: [{}] }\n',
    );
    expect(await render({ policies: [policyOnly] })).toContain('No flows to evaluate');
  });
});
