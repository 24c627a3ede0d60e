import { alignedMatrices, diffConnectivity } from '../../lib/diff/compute';
import { ConnectivityDiff, FlowChangeKind } from '../../lib/diff/model';
import { KubeManifest } from '../../lib/manifest/types';
import { ccnp, cnp, deployment, from, pair, POSTGRES_POLICY, tcp, WEBAPP_EGRESS, WORKLOADS } from './helpers';

function diff(base: readonly KubeManifest[], head: readonly KubeManifest[], all = false): ConnectivityDiff {
  return diffConnectivity(pair(base, head), { engine: {}, includeRuleChanges: all });
}

/** `from -> to port: BASE -> HEAD (kind)` for every listed flow. */
function lines(d: ConnectivityDiff): string[] {
  return d.pairs.flatMap((p) =>
    p.flows.map(
      (f) => `${p.from} -> ${p.to} ${f.port.text}: ${f.base.verdict} -> ${f.head.verdict} (${f.kind})`,
    ),
  );
}

function only(d: ConnectivityDiff, kind: FlowChangeKind): string[] {
  return lines(d).filter((l) => l.endsWith(`(${kind})`));
}

const BASE = [...WORKLOADS, POSTGRES_POLICY, WEBAPP_EGRESS];

describe('connectivity diff', () => {
  test('identical inputs: nothing changed', () => {
    const d = diff(BASE, BASE, true);
    expect(d.changed).toBe(false);
    expect(d.pairs).toEqual([]);
    expect(d.policies).toEqual([]);
    expect(d.counts).toEqual({ allowed: 0, denied: 0, undecided: 0, rules: 0 });
    expect(d.flowsEvaluated).toBeGreaterThan(20);
  });

  test('a widened selector: every pod of the namespace reaches postgres now', () => {
    const widened = cnp('webapp', 'postgres', {
      endpointSelector: { matchLabels: { app: 'postgres' } },
      ingress: [
        {
          fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'webapp' } }],
          toPorts: tcp(5432),
        },
      ],
    });
    const d = diff(BASE, [...WORKLOADS, widened, WEBAPP_EGRESS]);
    expect(d.changed).toBe(true);
    expect(lines(d)).toEqual([
      'webapp/postgres -> webapp/postgres 5432/TCP: DROPPED -> FORWARDED (allowed)',
      'webapp/worker -> webapp/postgres 5432/TCP: DROPPED -> FORWARDED (allowed)',
    ]);
    expect(d.pairs[1].flows[0].head.rules).toEqual(['CiliumNetworkPolicy webapp/postgres spec.ingress[0]']);
    expect(d.policies).toEqual([
      {
        change: 'changed',
        kind: 'CiliumNetworkPolicy',
        namespace: 'webapp',
        name: 'postgres',
        base: 'base/dist.yaml:401',
        head: 'head/dist.yaml:401',
        fields: ['spec.ingress[0].fromEndpoints[0].matchLabels.app'],
      },
    ]);
  });

  test('a port change: both ports are evaluated on both sides', () => {
    const moved = cnp('webapp', 'postgres', {
      endpointSelector: { matchLabels: { app: 'postgres' } },
      ingress: [{ fromEndpoints: [from('webapp', { app: 'webapp' })], toPorts: tcp(5433) }],
    });
    const d = diff(BASE, [...WORKLOADS, moved, WEBAPP_EGRESS], true);
    expect(only(d, 'denied')).toEqual([
      'webapp/webapp -> webapp/postgres 5432/TCP: FORWARDED -> DROPPED (denied)',
    ]);
    expect(only(d, 'allowed')).toEqual([]);
    // 5433 is named by head's postgres policy only; webapp's egress drops it on both sides, for other reasons.
    expect(only(d, 'rules')).toEqual([
      'webapp/webapp -> webapp/postgres 5433/TCP: DROPPED -> DROPPED (rules)',
    ]);
    const f = d.pairs.find((p) => p.from === 'webapp/webapp')!.flows.find((x) => x.port.text === '5432/TCP')!;
    expect(f.base.rules).toEqual([
      'CiliumNetworkPolicy webapp/postgres spec.ingress[0]',
      'CiliumNetworkPolicy webapp/webapp-egress spec.egress[0]',
    ]);
    expect(f.head.rules).toEqual(['CiliumNetworkPolicy webapp/postgres spec.ingress']);
  });

  test('a new CCNP default deny closes what no policy governed', () => {
    const deny = ccnp('default-deny', {
      endpointSelector: {
        matchExpressions: [
          { key: 'k8s:io.kubernetes.pod.namespace', operator: 'NotIn', values: ['kube-system'] },
        ],
      },
      ingress: [{ fromEntities: ['health'] }],
    });
    const d = diff(BASE, [...BASE, deny]);
    expect(d.changed).toBe(true);
    // Allows add up: the CCNP's health allowance opens postgres to cilium-health.
    expect(only(d, 'allowed')).toEqual([
      'entity:health -> webapp/postgres 5432/TCP: DROPPED -> FORWARDED (allowed)',
    ]);
    const denied = only(d, 'denied');
    expect(denied).toHaveLength(12);
    expect(denied).toEqual(
      expect.arrayContaining([
        'webapp/worker -> blog/blog 80/TCP: FORWARDED -> DROPPED (denied)',
        'webapp/worker -> webapp/webapp 3000/TCP: FORWARDED -> DROPPED (denied)',
        'entity:world -> blog/blog 80/TCP: FORWARDED -> DROPPED (denied)',
      ]),
    );
    // webapp's own egress policy already dropped webapp -> blog; the host still reaches every pod
    // (allow-localhost); postgres already accepted only webapp.
    expect(
      lines(d).filter((l) => l.startsWith('webapp/webapp -> ') || l.startsWith('entity:host -> ')),
    ).toEqual([]);
    const blog = d.pairs.find((p) => p.from === 'webapp/worker' && p.to === 'blog/blog')!.flows[0];
    expect(blog.base).toEqual({
      verdict: 'FORWARDED',
      egress: 'NOT_ENFORCED',
      ingress: 'NOT_ENFORCED',
      rules: [],
      policyInvolved: false,
    });
    expect(blog.head).toMatchObject({ verdict: 'DROPPED', egress: 'NOT_ENFORCED', ingress: 'DEFAULT_DENY' });
    expect(blog.head.rules).toEqual(['CiliumClusterwideNetworkPolicy default-deny spec.ingress']);
    expect(d.policies).toEqual([
      {
        change: 'added',
        kind: 'CiliumClusterwideNetworkPolicy',
        name: 'default-deny',
        head: 'head/dist.yaml:601',
      },
    ]);
  });

  test('a removed policy opens what it governed', () => {
    const d = diff(BASE, [...WORKLOADS, WEBAPP_EGRESS], true);
    expect(only(d, 'allowed')).toEqual([
      'blog/blog -> webapp/postgres 5432/TCP: DROPPED -> FORWARDED (allowed)',
      'webapp/postgres -> webapp/postgres 5432/TCP: DROPPED -> FORWARDED (allowed)',
      'webapp/worker -> webapp/postgres 5432/TCP: DROPPED -> FORWARDED (allowed)',
      'entity:world -> webapp/postgres 5432/TCP: DROPPED -> FORWARDED (allowed)',
    ]);
    expect(d.pairs[0].flows[0].head).toEqual({
      verdict: 'FORWARDED',
      egress: 'NOT_ENFORCED',
      ingress: 'NOT_ENFORCED',
      rules: [],
      policyInvolved: false,
    });
    // webapp -> postgres stays forwarded, now by webapp's egress rule alone.
    expect(only(d, 'rules')).toContain(
      'webapp/webapp -> webapp/postgres 5432/TCP: FORWARDED -> FORWARDED (rules)',
    );
    expect(d.policies).toEqual([
      {
        change: 'removed',
        kind: 'CiliumNetworkPolicy',
        namespace: 'webapp',
        name: 'postgres',
        base: 'base/dist.yaml:401',
      },
    ]);
  });

  test('an FQDN added: the DNS name is a node on both sides', () => {
    const withFqdn = cnp('webapp', 'webapp-egress', {
      ...WEBAPP_EGRESS.spec,
      egress: [
        ...WEBAPP_EGRESS.spec.egress,
        { toFQDNs: [{ matchName: 'api.stripe.com' }], toPorts: tcp(443) },
      ],
    });
    const d = diff(BASE, [...WORKLOADS, POSTGRES_POLICY, withFqdn]);
    expect(only(d, 'allowed')).toEqual([
      'webapp/webapp -> fqdn:api.stripe.com 443/TCP: DROPPED -> FORWARDED (allowed)',
    ]);
    expect(only(d, 'denied')).toEqual([]);
    expect(d.nodes.fqdns).toBe(1);
    expect(d.policies.map((p) => [p.change, p.name, p.fields])).toEqual([
      ['changed', 'webapp-egress', ['spec.egress']],
    ]);
  });

  test('workloads on one side only are evaluated on both and listed', () => {
    const extra = { ...WORKLOADS[0], metadata: { name: 'cache', namespace: 'webapp' } } as KubeManifest;
    const d = diff(BASE, [...BASE, extra]);
    expect(d.workloads).toEqual({ added: ['webapp/cache'], removed: [] });
    expect(d.changed).toBe(false);
  });

  test('rule-only changes are counted always and listed only when asked', () => {
    const d = diff(BASE, [...WORKLOADS, WEBAPP_EGRESS]);
    expect(d.counts.rules).toBeGreaterThan(0);
    expect(only(d, 'rules')).toEqual([]);
    expect(d.rulesListed).toBe(false);
  });

  test('a relabelled workload: each side evaluates its own definition', () => {
    const relabelled = WORKLOADS.map((w) =>
      w.metadata?.name === 'webapp' ? deployment('webapp', 'webapp', [3000], { app: 'web' }) : w,
    );
    const d = diff(BASE, [...relabelled, POSTGRES_POLICY, WEBAPP_EGRESS]);
    // postgres admits app=webapp only, and webapp's egress policy no longer selects it.
    expect(only(d, 'denied')).toEqual([
      'webapp/webapp -> webapp/postgres 5432/TCP: FORWARDED -> DROPPED (denied)',
    ]);
    expect(only(d, 'allowed')).toEqual(
      expect.arrayContaining(['webapp/webapp -> blog/blog 80/TCP: DROPPED -> FORWARDED (allowed)']),
    );
    expect(d.workloads).toEqual({ added: [], removed: [] });
    expect(d.policies).toEqual([]);
  });

  test('both sides are evaluated over the same nodes and ports', () => {
    const moved = cnp('webapp', 'postgres', {
      ...POSTGRES_POLICY.spec,
      ingress: [{ fromEndpoints: [from('webapp', { app: 'webapp' })], toPorts: tcp(5433) }],
    });
    const withFqdn = cnp('webapp', 'webapp-egress', {
      ...WEBAPP_EGRESS.spec,
      egress: [
        ...WEBAPP_EGRESS.spec.egress,
        { toFQDNs: [{ matchName: 'api.stripe.com' }], toPorts: tcp(443) },
      ],
    });
    const { base, head } = alignedMatrices(
      pair(BASE, [...WORKLOADS, deployment('webapp', 'cache', [6379]), moved, withFqdn]),
      { engine: {} },
    );
    expect(base.nodes.map((n) => n.id)).toEqual(head.nodes.map((n) => n.id));
    expect(base.nodes.map((n) => n.id)).toEqual(
      expect.arrayContaining(['webapp/cache', 'fqdn:api.stripe.com']),
    );
    const ports = (m: typeof base) =>
      [...m.portsByDestination].map(([id, ps]) => `${id}: ${ps.map((p) => p.text).join(' ')}`);
    expect(ports(base)).toEqual(ports(head));
    expect(ports(base)).toContain('webapp/postgres: 5432/TCP 5433/TCP');
    expect(base.cells.map((c) => `${c.from} ${c.to} ${c.port.text}`)).toEqual(
      head.cells.map((c) => `${c.from} ${c.to} ${c.port.text}`),
    );
  });
});
