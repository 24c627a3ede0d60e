import { type ChartKey, type ChartKeyIndex } from './chart-keys';
import { closestNames, orList } from './suggest';
import { formatValuesPath, isPlainObject } from './values-path';
import { type ValuesProblem } from './values-problem';

/**
 * Checks that every key path in `values` exists in the chart's values.yaml (the chart's
 * values.schema.json does not reject unknown keys, so a typo would be silently ignored by Helm).
 */
export function checkKeyPaths(values: Record<string, unknown>, index: ChartKeyIndex): ValuesProblem[] {
  const problems: ValuesProblem[] = [];
  visitMap(values, index.root, index, problems);
  return problems;
}

function visit(value: unknown, key: ChartKey, index: ChartKeyIndex, problems: ValuesProblem[]): void {
  const path = formatValuesPath(key.path);
  switch (key.kind) {
    case 'freeForm':
    case 'list':
    case 'null':
      return;
    case 'commented':
      if (key.valueType === 'boolean' && value !== null && typeof value !== 'boolean') {
        problems.push({
          path,
          value,
          message: `values.yaml documents \`${path}\` as a boolean (commented out at line ${key.line})`,
          fix: `set \`${path}\` to true or false`,
        });
      } else if (key.valueType !== undefined && isPlainObject(value)) {
        problems.push({ path, value, message: `values.yaml documents \`${path}\` as a ${key.valueType} (line ${key.line}); it has no sub-keys`, fix: `set \`${path}\` to a ${key.valueType}` });
      }
      return;
    case 'scalar':
      if (isPlainObject(value)) {
        problems.push({
          path,
          value,
          message: `\`${path}\` is a ${key.valueType ?? 'scalar'} setting in values.yaml (line ${key.line}); it has no sub-keys`,
          fix: `set \`${path}\` to a ${key.valueType ?? 'scalar'}`,
        });
      }
      return;
    case 'map':
      if (value === null) return;
      if (!isPlainObject(value)) {
        const example = formatValuesPath([...key.path, [...key.children.keys()][0]]);
        problems.push({
          path,
          value,
          message: `\`${path}\` is a map of settings in values.yaml (line ${key.line})`,
          fix: `set the keys below it instead, e.g. \`${example}\``,
        });
        return;
      }
      visitMap(value, key, index, problems);
  }
}

function visitMap(values: Record<string, unknown>, parent: ChartKey, index: ChartKeyIndex, problems: ValuesProblem[]): void {
  for (const name of Object.keys(values)) {
    const child = parent.children.get(name);
    if (child) visit(values[name], child, index, problems);
    else problems.push(unknownKey(parent, name, values[name], index));
  }
}

function unknownKey(parent: ChartKey, name: string, value: unknown, index: ChartKeyIndex): ValuesProblem {
  const path = formatValuesPath([...parent.path, name]);
  const message = `Cilium 1.20's values.yaml has no key \`${path}\`, so Helm would silently ignore it`;
  const siblings = closestNames(name, parent.children.keys());
  if (siblings.length > 0) {
    return { path, value, message, fix: `did you mean ${orList(siblings.map((s) => formatValuesPath([...parent.path, s])))}?` };
  }
  const elsewhere = keysNamedLike(name, parent, index);
  if (elsewhere.length > 0) return { path, value, message, fix: `did you mean ${orList(elsewhere)}?` };
  const where = parent.path.length === 0 ? 'at the top level' : `under \`${formatValuesPath(parent.path)}\``;
  const names = [...parent.children.keys()].sort();
  const listed = names.length <= 15 ? `; keys ${where}: ${names.join(', ')}` : '';
  return { path, value, message, fix: `check the spelling against imports/cilium/1.20/values.yaml${listed}` };
}

/** Keys elsewhere in the chart with (nearly) the same name, nearest to `parent` first. */
function keysNamedLike(name: string, parent: ChartKey, index: ChartKeyIndex): string[] {
  const leafNames = index.all.map((k) => k.path[k.path.length - 1]);
  const close = new Set(closestNames(name, leafNames, 1));
  const shared = (k: ChartKey): number => {
    let n = 0;
    while (n < parent.path.length && n < k.path.length && parent.path[n] === k.path[n]) n++;
    return n;
  };
  return index.all
    .filter((k) => close.has(k.path[k.path.length - 1]) && k !== parent)
    .sort((a, b) => shared(b) - shared(a) || a.line - b.line)
    .filter((k, i, all) => i === 0 || shared(k) === shared(all[0]))
    .slice(0, 3)
    .map((k) => formatValuesPath(k.path));
}
