import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { parse } from 'yaml';
import { ciliumChartDefaults } from '../../lib/helm/check-schema';
import { buildChartKeyIndex, type ChartKey, ciliumChartKeys } from '../../lib/helm/chart-keys';
import { ciliumChartDir, readCiliumValuesSchema, readCiliumValuesYaml } from '../../lib/helm/chart-files';
import { checkKeyPaths } from '../../lib/helm/check-keys';
import { ciliumTemplateKeys } from '../../lib/helm/template-keys';
import { editDistance } from '../../lib/helm/suggest';
import { formatValuesPath, parseValuesPath } from '../../lib/helm/values-path';

function keyAt(dotted: string, root: ChartKey = ciliumChartKeys().root): ChartKey | undefined {
  let node: ChartKey | undefined = root;
  for (const segment of parseValuesPath(dotted)) node = node?.children.get(segment);
  return node;
}

describe('chart files', () => {
  test('are found next to the package from the ts sources', () => {
    expect(ciliumChartDir()).toBe(path.resolve(__dirname, '..', '..', 'imports', 'cilium', '1.20'));
  });

  test('are found from the compiled layout build/lib/manifest/*.js too', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-layout-'));
    try {
      const source = fs.readFileSync(path.resolve(__dirname, '../../lib/manifest/cilium-files.ts'), 'utf8');
      const js = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      fs.mkdirSync(path.join(root, 'build', 'lib', 'manifest'), { recursive: true });
      fs.writeFileSync(path.join(root, 'build', 'lib', 'manifest', 'cilium-files.js'), js);
      fs.mkdirSync(path.join(root, 'imports', 'cilium', '1.20'), { recursive: true });
      for (const f of ['values.yaml', 'values.schema.json', 'ciliumnetworkpolicies.yaml'])
        fs.copyFileSync(path.join(ciliumChartDir(), f), path.join(root, 'imports', 'cilium', '1.20', f));
      const compiled = require(path.join(root, 'build', 'lib', 'manifest', 'cilium-files.js')) as {
        ciliumFilesDir(): string;
      };
      expect(compiled.ciliumFilesDir()).toBe(path.join(root, 'imports', 'cilium', '1.20'));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('schema is draft-07, so the default Ajv class applies', () => {
    expect((readCiliumValuesSchema() as { $schema: string }).$schema).toBe(
      'http://json-schema.org/draft-07/schema#',
    );
  });

  test('CILIUM_CHART_VERSION matches the agent image tag in values.yaml', () => {
    const values = fs.readFileSync(path.join(ciliumChartDir(), 'values.yaml'), 'utf8');
    expect(values).toMatch(/^ {2}tag: "v1\.20\.0"$/m);
  });
});

describe('values.yaml key index', () => {
  test('real keys carry their kind and line', () => {
    expect(keyAt('hubble.relay.enabled')).toMatchObject({ kind: 'scalar', valueType: 'boolean' });
    expect(keyAt('hubble.relay.rollOutPods')).toMatchObject({ kind: 'scalar' });
    expect(keyAt('hubble.metrics.enabled')).toMatchObject({ kind: 'null' });
    expect(keyAt('hubble.metrics.dashboards.namespace')).toMatchObject({ kind: 'null' });
    expect(keyAt('rollOutCiliumPods')).toMatchObject({ kind: 'scalar' });
    expect(keyAt('hubble.rollOutPods')).toBeUndefined();
    expect(keyAt('hubble')!.line).toBeLessThan(keyAt('hubble.relay')!.line);
  });

  test('empty maps and Kubernetes pass-through maps are free-form', () => {
    for (const p of [
      'podAnnotations',
      'extraConfig',
      'nodeSelector',
      'resources',
      'securityContext',
      'hubble.metrics.serviceMonitor.labels',
      'hubble.relay.podLabels',
      'operator.nodeSelector',
    ]) {
      expect([p, keyAt(p)?.kind]).toEqual([p, 'freeForm']);
    }
    expect(keyAt('image')?.kind).toBe('map');
  });

  test('documented commented-out keys are found, prose and schema annotations are not', () => {
    expect(keyAt('policyAuditMode')).toMatchObject({ kind: 'commented', valueType: 'boolean' });
    expect(keyAt('hubble.eventBufferCapacity')).toMatchObject({ kind: 'commented', valueType: 'string' });
    expect(keyAt('ipMasqAgent.config')).toMatchObject({ kind: 'commented' });
    expect(keyAt('ciliumEndpointSlice.nodes')).toBeUndefined(); // "# nodes: Count of nodes ..." is prose
    expect(keyAt('ref')).toBeUndefined(); // "# ref: https://..."
    expect(keyAt('type')).toBeUndefined(); // inside "# @schema" blocks
    expect(keyAt('hubble.metrics.Example')).toBeUndefined();
  });

  test('commented keys are resolved by indentation on a small values file', () => {
    const index = buildChartKeyIndex(
      [
        'agent:',
        '  enabled: true',
        '  # -- how long to wait',
        '  # timeout: 5s',
        '# @schema',
        '# type: [null, string]',
        '# @schema',
        '# -- Top-level flag',
        '# auditMode: false',
        'maglev: {}',
        '',
        'ipMasq:',
        '  enabled: false',
        '# config:',
        '#   cidrs: []',
        '# Note: see https://example.com',
        '# ref: https://example.com',
      ].join('\n'),
    );
    expect(keyAt('agent.timeout', index.root)).toMatchObject({
      kind: 'commented',
      valueType: 'string',
      line: 4,
    });
    expect(keyAt('auditMode', index.root)).toMatchObject({ kind: 'commented', valueType: 'boolean' });
    expect(keyAt('agent.auditMode', index.root)).toMatchObject({ kind: 'commented' }); // written at agent's column right below it
    expect(keyAt('ipMasq.config', index.root)).toMatchObject({ kind: 'commented' });
    expect(keyAt('cidrs', index.root)).toBeUndefined();
    expect(keyAt('type', index.root)).toBeUndefined();
    expect(keyAt('ref', index.root)).toBeUndefined();
    expect(keyAt('maglev', index.root)).toMatchObject({ kind: 'freeForm' });
  });
});

describe("checkKeyPaths (what the chart's templates read, imports/cilium/1.20/chart-keys.json)", () => {
  const check = (values: Record<string, unknown>) =>
    checkKeyPaths(values, ciliumTemplateKeys(), ciliumChartKeys());

  test('accepts read, range-read and whole-read paths', () => {
    expect(
      check({
        policyAuditMode: true,
        hubble: {
          relay: { enabled: true, rollOutPods: true },
          metrics: { serviceMonitor: { labels: { release: 'x', 'a.b/c': 'd' } } },
        },
        podAnnotations: { 'example.com/anything': 'yes' },
        extraConfig: { 'custom-key': 'v' },
        nodeSelector: { 'kubernetes.io/os': 'linux', extra: 'x' },
        ipMasqAgent: { config: { nonMasqueradeCIDRs: ['10.0.0.0/8'] } },
        tolerations: [{ operator: 'Exists', whatever: 1 }],
      }),
    ).toEqual([]);
  });

  test('keys the templates read but values.yaml lacks are accepted', () => {
    expect(
      check({
        clusterHealthPort: 4240,
        cni: { externalRouting: true },
        monitor: { eventTypes: ['drop'] },
        hubble: { export: { fileMaxSizeMb: 10, fileMaxBackups: 5, fileCompress: true } },
        maglev: { tableSize: 16381, hashSeed: 'abc' },
      }),
    ).toEqual([]);
  });

  test('keys only in values.yaml comments, or in values.yaml but never read, are refused', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ nodePort: { policyAuditMode: true } }, 'nodePort.policyAuditMode'],
      [{ tableSize: 16381 }, 'tableSize'],
      [{ hashSeed: 'x' }, 'hashSeed'],
      [{ envoy: { log: { level: '%l' } } }, 'envoy.log.level'],
      [{ operator: { runAsUser: 1000 } }, 'operator.runAsUser'],
      [{ enableInternalTrafficPolicy: true }, 'enableInternalTrafficPolicy'],
    ];
    for (const [values, path] of cases) {
      const [problem, ...rest] = check(values);
      expect(rest).toEqual([]);
      expect(problem).toMatchObject({ path });
      expect(problem.message).toContain(`never read \`${path}\``);
      expect(problem.message).toContain('values.yaml mentions it at line');
    }
    expect(check({ tableSize: 1 })[0].fix).toBe('did you mean `maglev.tableSize`?');
    expect(check({ envoy: { log: { format_json: { level: '%l' } } } })).toEqual([]); // the content of a map the chart writes out whole
  });

  test('typo gets the sibling suggestion', () => {
    const [problem, ...rest] = check({ hubble: { relay: { enabeld: true } } });
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({
      path: 'hubble.relay.enabeld',
      value: true,
      fix: 'did you mean `hubble.relay.enabled`?',
    });
  });

  test('misplaced key gets suggestions from elsewhere in the chart, nearest first', () => {
    const [problem] = check({ hubble: { rollOutPods: true } });
    expect(problem.fix).toBe('did you mean `hubble.relay.rollOutPods` or `hubble.ui.rollOutPods`?');
  });

  test('a key removed from the chart lists what the chart reads there instead of far-away namesakes', () => {
    const [problem] = check({ nodePort: { enabled: true } });
    expect(problem.path).toBe('nodePort.enabled');
    expect(problem.fix).toMatch(
      /^check the spelling against imports\/cilium\/1\.20\/chart-keys\.json; keys the chart reads under `nodePort`: .*range/,
    );
  });

  test('sub-keys below a scalar and scalars in place of a settings map are reported', () => {
    expect(check({ encryption: { type: { name: 'wireguard' } } })[0]).toMatchObject({
      path: 'encryption.type',
    });
    expect(check({ hubble: { relay: true } })[0].fix).toContain('hubble.relay.');
  });

  test('a documented boolean key must get a boolean', () => {
    expect(check({ policyAuditMode: 'true' })[0]).toMatchObject({
      path: 'policyAuditMode',
      fix: 'set `policyAuditMode` to true or false',
    });
  });

  test('null clears a key and is accepted where the key is read', () => {
    expect(check({ hubble: { relay: null, metrics: { enabled: null } } })).toEqual([]);
  });
});

describe('the generated key list', () => {
  const file = JSON.parse(fs.readFileSync(path.join(ciliumChartDir(), 'chart-keys.json'), 'utf8')) as {
    read: string[];
    whole: string[];
  };

  test('is sorted, unique, and every whole path is a read path', () => {
    expect(file.read).toEqual([...new Set(file.read)].sort());
    for (const p of file.whole) expect(file.read).toContain(p);
  });

  test('every key of the homelab and of the props is read by the chart', () => {
    for (const p of [
      'hubble.enabled',
      'hubble.relay.enabled',
      'hubble.ui.enabled',
      'hubble.ui.standalone.enabled',
      'hubble.metrics.enabled',
      'hubble.metrics.enableOpenMetrics',
      'hubble.metrics.port',
      'hubble.metrics.serviceMonitor.enabled',
      'hubble.metrics.dashboards.labelValue',
      'encryption.enabled',
      'encryption.type',
      'encryption.nodeEncryption',
      'policyAuditMode',
      'policyEnforcementMode',
      'rollOutCiliumPods',
    ]) {
      expect([p, file.read.includes(p)]).toEqual([p, true]);
    }
  });

  test('most values.yaml keys are read, and what is not read is few and known', () => {
    const read = new Set(
      file.read.flatMap((p) => parseValuesPath(p).map((_, i, all) => formatValuesPath(all.slice(0, i + 1)))),
    );
    const documented = ciliumChartKeys().all.filter((k) => k.kind !== 'commented');
    const unread = documented
      .filter((k) => !read.has(formatValuesPath(k.path)))
      .map((k) => formatValuesPath(k.path));
    expect(documented.length).toBeGreaterThan(1000);
    expect(unread.length).toBeLessThan(20);
  });
});

describe('helpers', () => {
  test('editDistance counts a transposition as one edit', () => {
    expect(editDistance('enabeld', 'enabled')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  test('values paths round-trip with escaped dots', () => {
    expect(parseValuesPath('nodeSelector.kubernetes\\.io/os')).toEqual(['nodeSelector', 'kubernetes.io/os']);
    expect(formatValuesPath(['nodeSelector', 'kubernetes.io/os'])).toBe('nodeSelector.kubernetes\\.io/os');
    expect(formatValuesPath(['hubble', 'metrics', 'enabled', 2])).toBe('hubble.metrics.enabled.2');
    expect(parseValuesPath(formatValuesPath(['a.b', 'c\\d', 3]))).toEqual(['a.b', 'c\\d', '3']);
    expect(() => parseValuesPath('hubble..relay')).toThrow(/empty segment/);
  });
});

test("the chart's defaults and key index are read from one parse of values.yaml, as each would be alone", () => {
  expect(ciliumChartDefaults()).toEqual(parse(readCiliumValuesYaml()));
  expect(ciliumChartKeys()).toEqual(buildChartKeyIndex(readCiliumValuesYaml()));
  expect(ciliumChartKeys().all.length).toBeGreaterThan(1000);
});
