import { type ChartKey, type ChartKeyIndex } from './chart-keys';
import { closestNames, orList } from './suggest';
import { templateChild, type TemplateKey, type TemplateKeyIndex } from './template-keys';
import { formatValuesPath, isPlainObject } from './values-path';
import { type ValuesProblem } from './values-problem';

/**
 * Checks that every key path in `values` is read by the chart's templates (`templates`): Helm
 * silently ignores any other key, and the chart's values.schema.json does not reject unknown keys.
 * values.yaml (`documented`) adds the shape checks: a scalar setting has no sub-keys, a settings
 * map is not a scalar, a documented boolean is a boolean.
 */
export function checkKeyPaths(
  values: Record<string, unknown>,
  templates: TemplateKeyIndex,
  documented: ChartKeyIndex,
): ValuesProblem[] {
  const problems: ValuesProblem[] = [];
  visitMap(values, templates.root, documented.root, { templates, documented, problems });
  return problems;
}

interface Walk {
  readonly templates: TemplateKeyIndex;
  readonly documented: ChartKeyIndex;
  readonly problems: ValuesProblem[];
}

function visitMap(
  values: Record<string, unknown>,
  read: TemplateKey,
  doc: ChartKey | undefined,
  walk: Walk,
): void {
  for (const name of Object.keys(values)) {
    const child = templateChild(read, name);
    const docChild = doc?.children.get(name);
    if (!child) walk.problems.push(unreadKey(read, name, values[name], docChild, walk));
    else visit(values[name], child, docChild, walk, [...read.path, name]);
  }
}

function visit(value: unknown, read: TemplateKey, doc: ChartKey | undefined, walk: Walk, at: string[]): void {
  const path = formatValuesPath(at);
  const shape = doc ? shapeProblem(value, doc, path) : undefined;
  if (shape) {
    walk.problems.push(shape);
    return;
  }
  if (read.whole || !isPlainObject(value)) return;
  visitMap(value, read, doc?.kind === 'map' ? doc : undefined, walk);
}

function shapeProblem(value: unknown, doc: ChartKey, path: string): ValuesProblem | undefined {
  if (value === null) return undefined;
  switch (doc.kind) {
    case 'commented':
      if (doc.valueType === 'boolean' && typeof value !== 'boolean') {
        return {
          path,
          value,
          message: `values.yaml documents \`${path}\` as a boolean (commented out at line ${doc.line})`,
          fix: `set \`${path}\` to true or false`,
        };
      }
      if (doc.valueType !== undefined && isPlainObject(value)) {
        return {
          path,
          value,
          message: `values.yaml documents \`${path}\` as a ${doc.valueType} (line ${doc.line}); it has no sub-keys`,
          fix: `set \`${path}\` to a ${doc.valueType}`,
        };
      }
      return undefined;
    case 'scalar':
      if (!isPlainObject(value)) return undefined;
      return {
        path,
        value,
        message: `\`${path}\` is a ${doc.valueType ?? 'scalar'} setting in values.yaml (line ${doc.line}); it has no sub-keys`,
        fix: `set \`${path}\` to a ${doc.valueType ?? 'scalar'}`,
      };
    case 'map': {
      if (isPlainObject(value)) return undefined;
      const example = formatValuesPath([...doc.path, [...doc.children.keys()][0]]);
      return {
        path,
        value,
        message: `\`${path}\` is a map of settings in values.yaml (line ${doc.line})`,
        fix: `set the keys below it instead, e.g. \`${example}\``,
      };
    }
    default:
      return undefined;
  }
}

function unreadKey(
  parent: TemplateKey,
  name: string,
  value: unknown,
  doc: ChartKey | undefined,
  walk: Walk,
): ValuesProblem {
  const path = formatValuesPath([...parent.path, name]);
  const mention = doc ? ` (values.yaml mentions it at line ${doc.line}, but no template uses it)` : '';
  const message = `the Cilium 1.20 chart's templates never read \`${path}\`${mention}, so Helm would silently ignore it`;
  const siblingNames = [...parent.children.keys()].filter((n) => n !== '*');
  const siblings = closestNames(name, siblingNames);
  if (siblings.length > 0) {
    return {
      path,
      value,
      message,
      fix: `did you mean ${orList(siblings.map((s) => formatValuesPath([...parent.path, s])))}?`,
    };
  }
  const elsewhere = keysNamedLike(name, parent, walk.templates);
  if (elsewhere.length > 0) return { path, value, message, fix: `did you mean ${orList(elsewhere)}?` };
  const where = parent.path.length === 0 ? 'at the top level' : `under \`${formatValuesPath(parent.path)}\``;
  const names = siblingNames.sort();
  const listed = names.length <= 15 ? `; keys the chart reads ${where}: ${names.join(', ')}` : '';
  return {
    path,
    value,
    message,
    fix: `check the spelling against imports/cilium/1.20/chart-keys.json${listed}`,
  };
}

/** Keys elsewhere in the chart with (nearly) the same name, nearest to `parent` first. */
function keysNamedLike(name: string, parent: TemplateKey, index: TemplateKeyIndex): string[] {
  const candidates = index.all.filter((k) => !k.path.includes('*'));
  const close = new Set(
    closestNames(
      name,
      candidates.map((k) => k.path[k.path.length - 1]),
      1,
    ),
  );
  const shared = (k: TemplateKey): number => {
    let n = 0;
    while (n < parent.path.length && n < k.path.length && parent.path[n] === k.path[n]) n++;
    return n;
  };
  const byPath = (a: TemplateKey, b: TemplateKey): number => (a.path.join('.') < b.path.join('.') ? -1 : 1);
  const nearest = candidates
    .filter((k) => close.has(k.path[k.path.length - 1]) && k !== parent)
    .sort((a, b) => shared(b) - shared(a) || a.path.length - b.path.length || byPath(a, b))
    .filter((k, i, all) => i === 0 || shared(k) === shared(all[0]));
  // A common name (`enabled`) found all over the chart and nowhere near is no suggestion.
  if (nearest.length > 3 && shared(nearest[0]) === 0) return [];
  return nearest.slice(0, 3).map((k) => formatValuesPath(k.path));
}
