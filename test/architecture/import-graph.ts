import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/** One `import`/`export ... from`/`require` of a source file, with its 1-based line. */
export interface ImportEdge {
  readonly file: string;
  readonly line: number;
  readonly specifier: string;
  /** The layer imported from (`engine`, `imports`), or the package name for bare specifiers. */
  readonly target: { readonly layer: string } | { readonly pkg: string };
}

/** The layer of a path relative to the repository: `lib/engine/x.ts` -> engine, `lib/index.ts` -> index. */
export function layerOf(relPath: string): string | undefined {
  const parts = relPath.split('/');
  if (parts[0] === 'imports') return 'imports';
  if (parts[0] !== 'lib') return undefined;
  if (parts.length === 2) return parts[1].replace(/\.ts$/, '') === 'index' ? 'index' : undefined;
  return parts[1];
}

/** The imports of one file (`text` given, or read from `root/relPath`). */
export function importsOf(root: string, relPath: string, text?: string): ImportEdge[] {
  const source = text ?? fs.readFileSync(path.join(root, relPath), 'utf8');
  const info = ts.preProcessFile(source, true, true);
  const file = ts.createSourceFile(relPath, source, ts.ScriptTarget.Latest);
  return info.importedFiles.map((ref) => {
    const line = file.getLineAndCharacterOfPosition(ref.pos).line + 1;
    const spec = ref.fileName;
    if (!spec.startsWith('.')) {
      const parts = spec.split('/');
      const pkg = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
      return { file: relPath, line, specifier: spec, target: { pkg: pkg.replace(/^node:/, '') } };
    }
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(relPath), spec));
    return { file: relPath, line, specifier: spec, target: { layer: targetLayer(resolved) } };
  });
}

/** The layer a resolved specifier names: a folder of lib/ (`lib/lint`) is its layer. */
function targetLayer(resolved: string): string {
  const parts = resolved.split('/');
  if (resolved === 'lib' || resolved === 'lib/index' || resolved === 'lib/index.ts') return 'index';
  if (parts[0] === 'lib' && parts.length >= 2) return parts[1];
  if (parts[0] === 'imports') return 'imports';
  return `outside lib (${resolved})`;
}

/** Every `.ts` file below `dir` (relative to `root`), sorted. */
export function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(child);
      else if (e.name.endsWith('.ts')) out.push(child);
    }
  };
  walk(dir);
  return out.sort();
}
