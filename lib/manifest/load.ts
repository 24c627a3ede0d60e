import * as fs from 'fs';
import * as path from 'path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { KubeManifest, SourcedManifest } from './types';

/** Unusable input: the file could not be read or parsed. Carries file and line. */
export class ManifestLoadError extends Error {
  constructor(readonly file: string, readonly line: number | undefined, readonly reason: string) {
    super(`${file}${line ? `:${line}` : ''}: ${reason}`);
    this.name = 'ManifestLoadError';
  }
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Expands files and directories (recursively, sorted) into the manifest files they hold. */
export function expandManifestPaths(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (e) {
      throw new ManifestLoadError(p, undefined, `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    if (stat.isDirectory()) {
      const entries = fs.readdirSync(p).sort();
      const nested = entries
        .map((e) => path.join(p, e))
        .filter((e) => fs.statSync(e).isDirectory() || MANIFEST_EXTENSIONS.has(path.extname(e)));
      files.push(...expandManifestPaths(nested));
    } else {
      files.push(p);
    }
  }
  return files;
}

/** Parses every YAML/JSON document of a text; `List` kinds are flattened into their items. */
export function parseManifests(text: string, file: string): SourcedManifest[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: false });
  const out: SourcedManifest[] = [];
  if (!Array.isArray(docs)) {
    // parseAllDocuments returns an EmptyStream for an empty text
    return out;
  }
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      const line = lineCounter.linePos(err.pos[0]).line;
      throw new ManifestLoadError(file, line, `YAML syntax error: ${err.message.split('\n')[0]}`);
    }
    const value = doc.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) continue;
    const docLine = lineCounter.linePos(doc.contents?.range?.[0] ?? 0).line;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new ManifestLoadError(file, docLine, 'expected a Kubernetes object (a mapping with apiVersion and kind)');
    }
    if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
      const itemNodes = (doc.get('items', true) as any)?.items ?? [];
      value.items.forEach((item: KubeManifest, i: number) => {
        const itemLine = lineCounter.linePos(itemNodes[i]?.range?.[0] ?? 0).line;
        if (item && typeof item === 'object') out.push({ manifest: item, file, line: itemLine });
      });
      continue;
    }
    out.push({ manifest: value as KubeManifest, file, line: docLine });
  }
  return out;
}

/** Reads manifests from files and directories, in a deterministic order. */
export function loadManifests(paths: readonly string[]): SourcedManifest[] {
  const out: SourcedManifest[] = [];
  for (const file of expandManifestPaths(paths)) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new ManifestLoadError(file, undefined, `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    out.push(...parseManifests(text, file));
  }
  return out;
}
