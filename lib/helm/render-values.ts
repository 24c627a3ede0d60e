import { isDeepStrictEqual } from 'util';
import { Document, type DocumentOptions, parse, type ParseOptions, type SchemaOptions, visit } from 'yaml';
import { type ChartKey, ciliumChartKeys } from './chart-keys';
import { isPlainObject } from './values-path';
import { isAmbiguousPlainScalar } from './yaml11';
import { compareStrings } from '../util/order';

/**
 * A copy of `values` whose map keys follow values.yaml's order (commented keys at their comment's
 * line), then keys unknown to the chart (free-form maps) by name: the output never depends on the
 * order in which props or overrides were given. List order is kept, it carries meaning.
 */
export function orderLikeChart(value: unknown, key: ChartKey | undefined = ciliumChartKeys().root): unknown {
  if (Array.isArray(value)) return value.map((item) => orderLikeChart(item, undefined));
  if (!isPlainObject(value)) return value;
  const children = key?.children;
  const names = Object.keys(value).sort((a, b) => {
    const la = children?.get(a)?.line;
    const lb = children?.get(b)?.line;
    if (la !== undefined && lb !== undefined) return la - lb || compareStrings(a, b);
    if (la !== undefined) return -1;
    if (lb !== undefined) return 1;
    return compareStrings(a, b);
  });
  const out: Record<string, unknown> = {};
  for (const name of names) out[name] = orderLikeChart(value[name], children?.get(name));
  return out;
}

/**
 * Options to read YAML as `version`. The merge key is left out: go-yaml, like YAML 1.1, treats only
 * a plain `<<` as one, this parser would take a quoted `"<<"` too.
 */
export function yamlReadOptions(version: '1.1' | '1.2'): ParseOptions & DocumentOptions & SchemaOptions {
  return {
    version,
    intAsBigInt: false,
    customTags: (tags) =>
      tags.filter((tag) => typeof tag === 'string' || tag.tag !== 'tag:yaml.org,2002:merge'),
  };
}

/**
 * Deterministic YAML for Helm values, preceded by `header` lines as comments. Every string that
 * YAML 1.1 or Go's number parsing would read as another type (`yes`, `0o17`, `1:20`, ...) is
 * double-quoted, keys included, so Helm reads back exactly `values`; the text is parsed again
 * under YAML 1.1 and 1.2 rules and must give `values` back, or this throws instead of writing a
 * file that means something else.
 */
export function renderValuesYaml(values: Record<string, unknown>, header: readonly string[]): string {
  const ordered = orderLikeChart(values);
  const doc = new Document(ordered, { ...yamlReadOptions('1.1'), aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && isAmbiguousPlainScalar(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  const body = doc.toString({ lineWidth: 0, indentSeq: true });
  for (const version of ['1.1', '1.2'] as const) {
    const back: unknown = parse(body, yamlReadOptions(version));
    if (!isDeepStrictEqual(back, ordered)) {
      throw new Error(
        `internal error: the values file would not read back as the given values under YAML ${version} rules; please report it with the values used`,
      );
    }
  }
  return `${header.map((line) => (line === '' ? '#' : `# ${line}`)).join('\n')}\n${body}`;
}
