import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SnapshotState } from 'jest-snapshot';
import { KubeManifest } from '../../lib/manifest/types';
import { connectivitySnapshotMatchers, connectivityTableOf } from '../../lib/testing';
import { cnp, from, tcp, WORKLOADS } from '../diff/helpers';

expect.extend(connectivitySnapshotMatchers);

const POSTGRES = (port: number) =>
  cnp('webapp', 'postgres', {
    endpointSelector: { matchLabels: { app: 'postgres' } },
    ingress: [{ fromEndpoints: [from('webapp', { app: 'webapp' })], toPorts: tcp(port) }],
  });

describe('connectivity snapshots', () => {
  test('one sorted line per source, destination and port with its verdict', () => {
    const table = connectivityTableOf([...WORKLOADS, POSTGRES(5432)]);
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toBe(
      '# 1 policy (1 CiliumNetworkPolicy); enforcement default, allow-localhost always, audit off',
    );
    expect(lines).toContain('webapp/webapp -> webapp/postgres 5432/TCP: FORWARDED');
    expect(lines).toContain('webapp/worker -> webapp/postgres 5432/TCP: DROPPED');
    expect(lines).toContain('webapp/worker -> blog/blog 80/TCP: FORWARDED (no policy)');
    expect(new Set(lines).size).toBe(lines.length);
    expect(connectivityTableOf([...WORKLOADS, POSTGRES(5432)].reverse())).toBe(table);
  });

  test('options: agent settings, fixed ports, deciding rules', () => {
    const table = connectivityTableOf([...WORKLOADS, POSTGRES(5432)], {
      engine: { policyAuditMode: true },
      ports: '5432/TCP',
      rules: true,
    });
    expect(table).toContain('audit on');
    expect(table).toContain(
      'webapp/worker -> webapp/postgres 5432/TCP: AUDIT [CiliumNetworkPolicy webapp/postgres spec.ingress]',
    );
    expect(table).not.toContain(' 80/TCP');
  });

  test("stored in jest's snapshot file; a change fails with a diff that reads in workload terms", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conn-snap-'));
    const file = path.join(dir, '__snapshots__', 'x.test.ts.snap');
    const run = (manifests: KubeManifest[], updateSnapshot: 'all' | 'none') => {
      const snapshotState = new SnapshotState(file, {
        updateSnapshot,
        rootDir: dir,
        snapshotFormat: { escapeString: false, printBasicPrototype: false },
      });
      const context = {
        ...expect.getState(),
        snapshotState,
        currentTestName: 'homelab',
        isNot: false,
        promise: '',
        equals: () => true,
        utils: {},
      } as never;
      const result = (
        connectivitySnapshotMatchers.toMatchConnectivitySnapshot as (
          this: unknown,
          r: unknown,
        ) => { pass: boolean; message(): string }
      ).call(context, manifests);
      snapshotState.save();
      return result;
    };
    try {
      expect(run([...WORKLOADS, POSTGRES(5432)], 'all').pass).toBe(true);
      expect(fs.readFileSync(file, 'utf8')).toContain(
        '\nwebapp/webapp -> webapp/postgres 5432/TCP: FORWARDED\n',
      );
      expect(run([...WORKLOADS, POSTGRES(5432)], 'none').pass).toBe(true);
      const changed = run([...WORKLOADS, POSTGRES(5433)], 'none');
      expect(changed.pass).toBe(false);
      // eslint-disable-next-line no-control-regex
      const message = changed.message().replace(/\u001b\[[0-9;]*m/g, '');
      expect(message).toMatch(/- webapp\/webapp -> webapp\/postgres 5432\/TCP: FORWARDED/);
      expect(message).toMatch(/\+ webapp\/webapp -> webapp\/postgres 5432\/TCP: DROPPED/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('refuses anything but a list of manifests', () => {
    expect(() => expect({}).toMatchConnectivitySnapshot()).toThrow(
      'pass the manifests, e.g. Testing.synth(chart)',
    );
  });
});
