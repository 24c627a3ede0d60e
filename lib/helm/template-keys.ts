import { readCiliumFile } from '../manifest/cilium-files';
import { parseValuesPath } from './values-path';

/**
 * A values path the Cilium chart's templates read (imports/cilium/1.20/chart-keys.json, generated
 * from the chart by scripts/helm/derive-from-cilium.ts). `*` stands for any key or list item.
 */
export interface TemplateKey {
  readonly path: readonly string[];
  /** The whole content below this key reaches the chart's output (`toYaml`, `merge`, ...). */
  whole: boolean;
  readonly children: Map<string, TemplateKey>;
}

export interface TemplateKeyIndex {
  readonly root: TemplateKey;
  readonly all: readonly TemplateKey[];
}

interface ChartKeysFile {
  readonly read: readonly string[];
  readonly whole: readonly string[];
}

let cached: TemplateKeyIndex | undefined;

/** The key tree of what the packaged chart's templates read, built once. */
export function ciliumTemplateKeys(): TemplateKeyIndex {
  cached ??= buildTemplateKeyIndex(JSON.parse(readCiliumFile('chart-keys.json')) as ChartKeysFile);
  return cached;
}

export function buildTemplateKeyIndex(file: ChartKeysFile): TemplateKeyIndex {
  const root: TemplateKey = { path: [], whole: false, children: new Map() };
  const all: TemplateKey[] = [];
  const at = (dotted: string): TemplateKey => {
    let node = root;
    for (const segment of parseValuesPath(dotted)) {
      let child = node.children.get(segment);
      if (!child) {
        child = { path: [...node.path, segment], whole: false, children: new Map() };
        node.children.set(segment, child);
        all.push(child);
      }
      node = child;
    }
    return node;
  };
  for (const dotted of file.read) at(dotted);
  for (const dotted of file.whole) at(dotted).whole = true;
  return { root, all };
}

/** The child of `key` that a user key `name` reaches: the named one, else the `*` of a `range`. */
export function templateChild(key: TemplateKey, name: string): TemplateKey | undefined {
  return key.children.get(name) ?? key.children.get('*');
}
