/**
 * Compiled policies share what repeats (peer selectors read once per text and scope, port
 * clauses, peer sets, decisions kept per identity): sharing must never make two different inputs
 * answer alike, nor let a valid input hide a later invalid one.
 */
import { PolicyEngine } from '../../lib/engine/engine';
import { parsePeer } from '../../lib/engine/peer-syntax';
import { ccnp, cnp, flow, L4 } from './helpers';

const server = (ns: string, peers: Record<string, unknown>, port: string | number = '80') =>
  cnp(ns, `srv-${ns}`, {
    endpointSelector: { matchLabels: { app: 'srv' } },
    ingress: [{ ...peers, toPorts: [{ ports: [{ port, protocol: 'TCP' }] }] }],
  });

const skipped = (engine: PolicyEngine) => engine.warnings.filter((w) => w.endsWith('policy skipped'));

describe('peer selectors read once', () => {
  test('a peer naming no namespace is scoped to each policy that names it', () => {
    const client = { fromEndpoints: [{ matchLabels: { app: 'client' } }] };
    const engine = PolicyEngine.fromManifests([server('a', client), server('b', client)]);
    const verdict = (from: string, to: string) => engine.evaluate(flow(from, to, '80/TCP')).verdict;
    expect(verdict('a/app=client', 'a/app=srv')).toBe('FORWARDED');
    expect(verdict('b/app=client', 'a/app=srv')).toBe('DROPPED');
    expect(verdict('b/app=client', 'b/app=srv')).toBe('FORWARDED');
    expect(verdict('a/app=client', 'b/app=srv')).toBe('DROPPED');
  });

  test('the same peer in a clusterwide policy selects every namespace, in a namespaced one only its own', () => {
    const client = { fromEndpoints: [{ matchLabels: { app: 'client' } }] };
    const clusterwide = ccnp('srv-all', {
      endpointSelector: { matchLabels: { app: 'srv', 'k8s:io.kubernetes.pod.namespace': 'c' } },
      ingress: [{ ...client, ...L4('80') }],
    });
    const engine = PolicyEngine.fromManifests([server('a', client), clusterwide]);
    expect(engine.evaluate(flow('b/app=client', 'c/app=srv', '80/TCP')).verdict).toBe('FORWARDED');
    expect(engine.evaluate(flow('b/app=client', 'a/app=srv', '80/TCP')).verdict).toBe('DROPPED');
  });

  test('only text label values pass, however the selector was read before', () => {
    const engine = PolicyEngine.fromManifests([
      server('a', { fromEndpoints: [{ matchLabels: { tier: 1 } }] }),
      server('b', { fromEndpoints: [{ matchLabels: { tier: '1' } }] }),
      server('c', { fromEndpoints: [{ matchLabels: { tier: { one: 1 } } }] }),
    ]);
    expect(engine.rules.map((r) => r.source.name)).toEqual(['srv-b']);
    expect(skipped(engine).map((w) => w.split(' ')[1])).toEqual(['a/srv-a', 'c/srv-c']);
    expect(engine.evaluate(flow('b/tier=1', 'b/app=srv', '80/TCP')).verdict).toBe('FORWARDED');
    expect(engine.evaluate(flow('b/tier=2', 'b/app=srv', '80/TCP')).verdict).toBe('DROPPED');
  });

  test('an invalid value is rejected even when a valid selector was read before', () => {
    const engine = PolicyEngine.fromManifests([
      server('a', { fromEndpoints: [{ matchLabels: { app: 'client' } }] }),
      server('b', { fromEndpoints: [{ matchLabels: { app: 'not a value!' } }] }),
    ]);
    expect(skipped(engine)).toHaveLength(1);
    expect(skipped(engine)[0]).toContain('srv-b');
    expect(engine.rules.map((r) => r.source.name)).toEqual(['srv-a']);
  });
});

describe('port clauses read once', () => {
  test('a port given as a number or as text is the same port', () => {
    const peers = { fromEndpoints: [{ matchLabels: { app: 'client' } }] };
    const engine = PolicyEngine.fromManifests([server('a', peers, 80), server('b', peers, '80')]);
    for (const ns of ['a', 'b']) {
      expect(engine.evaluate(flow(`${ns}/app=client`, `${ns}/app=srv`, '80/TCP')).verdict).toBe('FORWARDED');
      expect(engine.evaluate(flow(`${ns}/app=client`, `${ns}/app=srv`, '81/TCP')).verdict).toBe('DROPPED');
    }
  });

  test('a protocol the CRD rejects is rejected however often a valid one was read', () => {
    const element = (protocol: string) => ({
      fromEndpoints: [{ matchLabels: { app: 'client' } }],
      toPorts: [{ ports: [{ port: '80', protocol }] }],
    });
    const policies = ['TCP', 'tcp', 'TCP'].map((protocol, i) =>
      cnp('a', `p${i}`, { endpointSelector: {}, ingress: [element(protocol)] }),
    );
    const engine = PolicyEngine.fromManifests(policies);
    expect(engine.rules.map((r) => r.source.name)).toEqual(['p0', 'p2']);
    expect(skipped(engine)).toEqual([
      expect.stringContaining('p1 spec.ingress[0].toPorts[0].ports[0].protocol'),
    ]);
  });
});

describe('element shape', () => {
  test('unknown fields warn and the first field in field order that must be a list rejects the policy', () => {
    const engine = PolicyEngine.fromManifests([
      cnp('a', 'shape', {
        endpointSelector: {},
        ingress: [{ extra: true, toPorts: { ports: [] }, fromEntities: 'world' }],
      }),
    ]);
    expect(engine.rules).toHaveLength(0);
    expect(engine.warnings).toEqual([
      'CiliumNetworkPolicy a/shape spec.ingress[0].extra: not a field of this rule in the 1.20 schema; ignored (the API server prunes or rejects it)',
      'CiliumNetworkPolicy a/shape spec.ingress[0].fromEntities: must be a list; policy skipped',
    ]);
  });
});

describe('identities and their decisions', () => {
  test('labels in any order, the cluster label implied, are one identity', () => {
    const engine = PolicyEngine.fromManifests([]);
    const sorted = parsePeer('a/app=x,tier=web');
    const shuffled = { labels: [...sorted.labels].reverse() };
    const explicit = { labels: [...sorted.labels, 'k8s:io.cilium.k8s.policy.cluster=default'] };
    const id = engine.identityOf(sorted);
    expect(engine.identityOf(shuffled)).toBe(id);
    expect(engine.identityOf(explicit)).toBe(id);
    const texts = id.key.split('\n');
    expect(texts).toEqual([...texts].sort());
    expect(texts).toContain('k8s:io.cilium.k8s.policy.cluster=default');
  });

  test('each port asked of one identity pair keeps its own decision', () => {
    const engine = PolicyEngine.fromManifests([
      server('a', { fromEndpoints: [{ matchLabels: { app: 'client' } }] }),
    ]);
    for (let round = 0; round < 3; round++) {
      for (const [port, verdict] of [
        ['80/TCP', 'FORWARDED'],
        ['81/TCP', 'DROPPED'],
        ['80/UDP', 'DROPPED'],
      ]) {
        expect(engine.evaluate(flow('a/app=client', 'a/app=srv', port)).verdict).toBe(verdict);
      }
    }
  });
});
