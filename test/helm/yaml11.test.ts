import { App, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { parse } from 'yaml';
import { CiliumHelmValues } from '../../lib/helm';
import { renderValuesYaml, yamlReadOptions } from '../../lib/helm/render-values';
import { isAmbiguousPlainScalar } from '../../lib/helm/yaml11';
import { suiteSize } from '../support/suite';

/** Strings that YAML 1.1 (go-yaml v2, which Helm uses) or Go's number parsing reads as something else when written plain. */
const AMBIGUOUS: readonly string[] = [
  // booleans, every case form YAML 1.1 knows
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF'],
  ...['true', 'True', 'TRUE', 'false', 'False', 'FALSE'],
  // null
  ...['~', 'null', 'Null', 'NULL', ''],
  // integers
  ...[
    '0',
    '-0',
    '7',
    '+12',
    '-12',
    '1_000',
    '-1_000',
    '0b101',
    '-0b1_0',
    '0B101',
    '0x1F',
    '-0x1f',
    '0x_1F',
    '0X1F',
    '0o17',
    '0O17',
    '017',
    '0_17',
  ],
  // sexagesimal integers and floats
  ...['1:20', '-1:20', '190:20:30', '1:20.5'],
  // floats
  ...['1.', '.5', '-.5', '+0.5', '1.5', '1_0.5', '1e3', '1E3', '1.5e+3', '6.8523015e+5', '1e-3'],
  ...['.inf', '.Inf', '.INF', '-.inf', '+.inf', '.nan', '.NaN', '.NAN'],
  // timestamps
  ...[
    '2001-12-14',
    '2001-12-14t21:59:43.10-05:00',
    '2001-12-14 21:59:43.10 -5',
    '2001-12-15T02:59:43.1Z',
    '2002-1-1',
  ],
  // merge and value keys
  ...['<<', '='],
];

/** Strings that read back as themselves when written plain: they stay unquoted. */
const PLAIN: readonly string[] = [
  'kube-prometheus-stack',
  'wireguard',
  '10s',
  'yEs',
  'nO',
  'tRUE',
  'grafana_dashboard',
  'v1.20.0',
  '1.2.3',
  '10.0.0.0/8',
  'a:b',
  '1,000',
  'Infinity',
  'NaN',
  '0xZZ',
];

function render(values: Record<string, unknown>): string {
  return renderValuesYaml(values, []);
}

describe('YAML 1.1 safety of the values file', () => {
  test.each(AMBIGUOUS)('%j is ambiguous and written quoted, as value and as key', (text) => {
    expect(isAmbiguousPlainScalar(text)).toBe(true);
    const yaml = render({ podAnnotations: { [text]: text, k: text }, list: [text] });
    for (const version of ['1.1', '1.2'] as const) {
      const back = parse(yaml, yamlReadOptions(version)) as {
        podAnnotations: Record<string, unknown>;
        list: unknown[];
      };
      expect(back.podAnnotations[text]).toBe(text);
      expect(back.podAnnotations.k).toBe(text);
      expect(back.list).toEqual([text]);
    }
    expect(yaml).toContain(`k: ${JSON.stringify(text)}\n`);
  });

  test('the forms the YAML 1.1 parser itself knows are really read as another type when plain', () => {
    // The rest (0o17, 1e3, 0X1F, 0_17 ...) are Go number syntax that go-yaml v2 accepts; the
    // conformance check reads the rendered file with Helm's own YAML library to prove them.
    const changed = AMBIGUOUS.filter(
      (text) => parse(`k: ${text === '' ? '' : text}`, { version: '1.1' })?.k !== text,
    );
    expect(changed.length).toBeGreaterThan(60);
    for (const text of [
      'yes',
      'on',
      'y',
      'N',
      '1_000',
      '0b101',
      '0x1F',
      '017',
      '1:20',
      '.inf',
      '~',
      '2001-12-14',
    ])
      expect(changed).toContain(text);
  });

  test.each(PLAIN)('%j stays plain', (text) => {
    expect(isAmbiguousPlainScalar(text)).toBe(false);
    const yaml = render({ podAnnotations: { k: text } });
    expect(yaml).toContain(`k: ${text}\n`);
    expect((parse(yaml, yamlReadOptions('1.1')) as { podAnnotations: { k: string } }).podAnnotations.k).toBe(
      text,
    );
  });

  test('numbers, booleans and null keep their type', () => {
    const values = { podAnnotations: { a: 1, b: 1.5, c: true, d: null, e: -3 } };
    expect(parse(render(values), { version: '1.1' })).toEqual(values);
  });

  test('any string built from the risky characters reads back as itself under YAML 1.1 and 1.2', () => {
    const risky = fc.string({
      unit: fc.constantFrom(...'0123456789_:.-+eExXbBoOyYnN~<=tfaslu '.split('')),
      maxLength: 8,
    });
    fc.assert(
      fc.property(risky, (text) => {
        const yaml = render({ podAnnotations: { [text]: text } });
        expect(
          (parse(yaml, yamlReadOptions('1.1')) as { podAnnotations: Record<string, unknown> }).podAnnotations[
            text
          ],
        ).toBe(text);
        expect(
          (parse(yaml, yamlReadOptions('1.2')) as { podAnnotations: Record<string, unknown> }).podAnnotations[
            text
          ],
        ).toBe(text);
      }),
      { numRuns: suiteSize(500, 100), seed: 11 },
    );
  });

  test('a ServiceMonitor label "yes" and dashboards.labelValue "yes" reach Helm as strings', () => {
    const app = new App({ outdir: 'dist' });
    const values = new CiliumHelmValues(new Chart(app, 'c'), 'cilium', {
      hubble: {
        metrics: {
          enabled: ['drop'],
          serviceMonitor: { enabled: true, labels: { release: 'yes', on: 'off' } },
          dashboards: { enabled: true, labelValue: 'yes' },
        },
      },
    });
    const yaml = values.toYaml();
    expect(yaml).toContain('release: "yes"');
    expect(yaml).toContain('"on": "off"');
    expect(yaml).toContain('labelValue: "yes"');
    const back = parse(yaml, yamlReadOptions('1.1')) as {
      hubble: { metrics: { serviceMonitor: { labels: unknown }; dashboards: { labelValue: unknown } } };
    };
    expect(back.hubble.metrics.serviceMonitor.labels).toEqual({ release: 'yes', on: 'off' });
    expect(back.hubble.metrics.dashboards.labelValue).toBe('yes');
  });
});
