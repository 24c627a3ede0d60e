import * as fs from 'fs';
import * as path from 'path';
import { Composer, Document, isMap, isSeq, LineCounter, Parser, ParsedNode, Tags } from 'yaml';
import { CCNP_KIND, CNP_KIND, KubeManifest, SourcedManifest } from './types';
import { duplicateKeys, fieldLocator } from './yaml-source';

/** Unusable input: the file could not be read or parsed. Carries file and line. */
export class ManifestLoadError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${reason}`);
    this.name = 'ManifestLoadError';
  }
}

/** A file or document the loader left out, and why (a Helm template, an Ansible vault, a Kustomization...). */
export interface SkippedInput {
  readonly file: string;
  /** Line of the document, when one document of the file was left out. */
  readonly line?: number;
  readonly reason: string;
}

export interface LoadLimits {
  /** Largest file read. @default 16 MiB */
  readonly maxFileBytes?: number;
  /** Most YAML documents in one run. @default 20000 */
  readonly maxDocuments?: number;
  /** Most alias expansions in one document (YAML "billion laughs"). @default 1000 */
  readonly maxAliasCount?: number;
}

export interface LoadResult {
  readonly manifests: SourcedManifest[];
  readonly skipped: SkippedInput[];
  /** Every file read, in order. */
  readonly files: string[];
}

const DEFAULT_LIMITS: Required<LoadLimits> = {
  maxFileBytes: 16 * 1024 * 1024,
  maxDocuments: 20000,
  maxAliasCount: 1000,
};
const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const CILIUM_POLICY_TEXT = /CiliumNetworkPolicy|CiliumClusterwideNetworkPolicy/;
const LOOKS_LIKE_MANIFEST = /^(?:apiVersion|kind)\s*:/m;
const GO_TEMPLATE = /\{\{[\s\S]*?\}\}/;
/** Build-time inputs, not cluster objects: kustomize reads them, `kubectl apply` never sees them. */
const BUILD_INPUT_API_GROUPS = ['kustomize.config.k8s.io/'];

/**
 * YAML 1.1, as `kubectl apply` reads manifests (go-yaml v2): `yes`/`on`/`y` are booleans, `0755`
 * is octal. Timestamps and base-60 numbers stay strings, as in the JSON the API server receives.
 */
const KUBECTL_TAGS = (tags: Tags): Tags =>
  tags.filter(
    (t) =>
      typeof t === 'string' ||
      (t.tag !== 'tag:yaml.org,2002:timestamp' && (t as { format?: string }).format !== 'TIME'),
  );

function errnoOf(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? String(e);
}

/** `ENOENT (no such file or directory)`: the code scripts match on, and what it means. */
function describeErrno(code: string): string {
  const meaning: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOENT: 'no such file or directory',
    ELOOP: 'too many levels of symbolic links',
    ENOTDIR: 'not a directory',
    EISDIR: 'is a directory',
  };
  return meaning[code] ? `${code} (${meaning[code]})` : code;
}

interface Walk {
  readonly files: string[];
  /** Files named as arguments (not found in a directory). */
  readonly explicit: Set<string>;
  readonly skipped: SkippedInput[];
  readonly seenDirs: Set<string>;
  readonly seenFiles: Map<string, string>;
}

function walkPath(p: string, explicit: boolean, walk: Walk): void {
  const stat = statOrSkip(p, explicit, walk);
  if (!stat) return;
  if (stat.isDirectory()) walkDirectory(p, walk);
  else if (!stat.isFile()) skipIrregularFile(p, explicit, walk);
  else addFile(p, explicit, walk);
}

/** The path's stat; undefined when a symbolic link found in a directory leads nowhere (skipped). */
function statOrSkip(p: string, explicit: boolean, walk: Walk): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch (e) {
    const code = errnoOf(e);
    const link = isSymbolicLink(p);
    if (!explicit && link && (code === 'ENOENT' || code === 'ELOOP')) {
      walk.skipped.push({
        file: p,
        reason: code === 'ENOENT' ? 'dangling symbolic link' : 'symbolic link loop',
      });
      return undefined;
    }
    throw new ManifestLoadError(
      p,
      undefined,
      `cannot read: ${describeErrno(code)}${link && code === 'ENOENT' ? ', a dangling symbolic link' : ''}`,
    );
  }
}

function isSymbolicLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function walkDirectory(p: string, walk: Walk): void {
  const real = fs.realpathSync(p);
  if (walk.seenDirs.has(real)) {
    walk.skipped.push({ file: p, reason: `directory already read (symbolic link to ${real})` });
    return;
  }
  walk.seenDirs.add(real);
  let entries: string[];
  try {
    entries = fs.readdirSync(p).sort();
  } catch (e) {
    throw new ManifestLoadError(p, undefined, `cannot read directory: ${describeErrno(errnoOf(e))}`);
  }
  for (const e of entries) {
    const child = path.join(p, e);
    if (isDirectory(child) || MANIFEST_EXTENSIONS.has(path.extname(e).toLowerCase()))
      walkPath(child, false, walk);
  }
}

function isDirectory(child: string): boolean {
  try {
    return fs.statSync(child).isDirectory();
  } catch {
    // reported by walkPath when it looks like a manifest
    return false;
  }
}

function skipIrregularFile(p: string, explicit: boolean, walk: Walk): void {
  if (explicit)
    throw new ManifestLoadError(
      p,
      undefined,
      'not a regular file (a device, pipe or socket); pass manifest files or directories',
    );
  walk.skipped.push({ file: p, reason: 'not a regular file' });
}

function addFile(p: string, explicit: boolean, walk: Walk): void {
  const real = fs.realpathSync(p);
  const first = walk.seenFiles.get(real);
  if (first !== undefined) {
    if (first !== p) walk.skipped.push({ file: p, reason: `same file as ${first}` });
    return;
  }
  walk.seenFiles.set(real, p);
  walk.files.push(p);
  if (explicit) walk.explicit.add(p);
}

function expand(paths: readonly string[]): Walk {
  const walk: Walk = {
    files: [],
    explicit: new Set(),
    skipped: [],
    seenDirs: new Set(),
    seenFiles: new Map(),
  };
  for (const p of paths) walkPath(p, true, walk);
  return walk;
}

/**
 * Expands files and directories (recursively, sorted) into the manifest files they hold. Each
 * directory and file is read once, whatever symbolic links lead to it.
 */
export function expandManifestPaths(paths: readonly string[]): string[] {
  return expand(paths).files;
}

function readBounded(file: string, maxBytes: number): string {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw new ManifestLoadError(file, undefined, `cannot read: ${describeErrno(errnoOf(e))}`);
  }
  try {
    const buf = Buffer.alloc(Math.min(maxBytes + 1, Math.max(fs.fstatSync(fd).size + 1, 64 * 1024)));
    let length = 0;
    let chunk = buf;
    for (;;) {
      if (length === chunk.length) {
        if (chunk.length > maxBytes) break;
        const bigger = Buffer.alloc(Math.min(maxBytes + 1, chunk.length * 2));
        chunk.copy(bigger, 0, 0, length);
        chunk = bigger;
      }
      const n = fs.readSync(fd, chunk, length, chunk.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) {
      throw new ManifestLoadError(
        file,
        undefined,
        `larger than ${maxBytes} bytes, the most one file may have; split it or raise the limit`,
      );
    }
    return chunk.toString('utf8', 0, length);
  } catch (e) {
    if (e instanceof ManifestLoadError) throw e;
    throw new ManifestLoadError(file, undefined, `cannot read: ${describeErrno(errnoOf(e))}`);
  } finally {
    fs.closeSync(fd);
  }
}

interface ParseState {
  documents: number;
  readonly limits: Required<LoadLimits>;
}

function isPolicyKind(value: unknown): boolean {
  const kind = (value as { kind?: unknown }).kind;
  return kind === CNP_KIND || kind === CCNP_KIND;
}

/** Why a parsed document is not a manifest to keep, or undefined to keep it. */
function notAManifest(value: unknown): string | undefined {
  if (Array.isArray(value)) return 'not a Kubernetes object (the document is a list)';
  if (typeof value !== 'object' || value === null)
    return 'not a Kubernetes object (the document is a scalar)';
  const v = value as Record<string, unknown>;
  if (isPolicyKind(v)) return undefined;
  if (typeof v.kind !== 'string' || typeof v.apiVersion !== 'string')
    return 'not a Kubernetes object (no apiVersion and kind)';
  if (BUILD_INPUT_API_GROUPS.some((g) => (v.apiVersion as string).startsWith(g)))
    return `Kustomize file (${v.kind})`;
  return undefined;
}

function parseInto(
  text: string,
  file: string,
  state: ParseState,
  out: SourcedManifest[],
  skipped: SkippedInput[],
  strict: boolean,
): void {
  if (GO_TEMPLATE.test(text)) {
    skipped.push({
      file,
      reason: 'Helm/Go template (contains {{ ... }}); render it first (helm template) to lint the output',
    });
    return;
  }
  const lineCounter = new LineCounter();
  const docs = composeDocuments(text, file, state, lineCounter, skipped, strict);
  if (!docs) return;
  const parsed: ParsedFile = { file, text, lineCounter, out, skips: [] };
  for (const doc of docs) readDocument(doc, state, parsed);
  skipped.push(...parsed.skips);
}

/** Where the manifests of one file go, and the file's skipped documents. */
interface ParsedFile {
  readonly file: string;
  readonly text: string;
  readonly lineCounter: LineCounter;
  readonly out: SourcedManifest[];
  readonly skips: SkippedInput[];
}

/** Every YAML document of the file; undefined when the file is not YAML and may be skipped (recorded). */
function composeDocuments(
  text: string,
  file: string,
  state: ParseState,
  lineCounter: LineCounter,
  skipped: SkippedInput[],
  strict: boolean,
): Document.Parsed[] | undefined {
  const parser = new Parser(lineCounter.addNewLine);
  const composer = kubectlComposer();
  const docs: Document.Parsed[] = [];
  for (const doc of composer.compose(parser.parse(text), true)) {
    if (++state.documents > state.limits.maxDocuments) {
      throw new ManifestLoadError(
        file,
        lineCounter.linePos(doc.range[0]).line,
        `more than ${state.limits.maxDocuments} YAML documents in this run, the most the loader reads; lint fewer files at a time`,
      );
    }
    const err = doc.errors[0];
    if (err) {
      const line = lineCounter.linePos(err.pos[0]).line;
      const message = `YAML syntax error: ${err.message.split('\n')[0]}`;
      // A file named on the command line, or that looks like a Kubernetes manifest, must parse: dropping it could hide a policy or a workload.
      if (strict || CILIUM_POLICY_TEXT.test(text) || LOOKS_LIKE_MANIFEST.test(text))
        throw new ManifestLoadError(file, line, message);
      skipped.push({ file, line, reason: `not YAML (${message})` });
      return undefined;
    }
    docs.push(doc);
  }
  return docs;
}

function readDocument(doc: Document.Parsed, state: ParseState, parsed: ParsedFile): void {
  const { file, lineCounter } = parsed;
  let value: unknown;
  const docLine = lineCounter.linePos(doc.contents?.range?.[0] ?? doc.range[0]).line;
  try {
    value = doc.toJS({ maxAliasCount: state.limits.maxAliasCount });
  } catch (e) {
    throw new ManifestLoadError(
      file,
      docLine,
      `cannot read the document: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  if (value === null || value === undefined) return;
  const why = notAManifest(value);
  if (why) {
    parsed.skips.push({ file, line: docLine, reason: why });
    return;
  }
  const m = value as KubeManifest;
  if (typeof m.kind === 'string' && m.kind.endsWith('List') && Array.isArray(m.items)) {
    readListItems(doc, m.items, parsed);
    return;
  }
  parsed.out.push(sourced(m, docLine, doc.contents as ParsedNode | null, { parsed, doc }));
}

function readListItems(doc: Document.Parsed, items: unknown[], parsed: ParsedFile): void {
  const { file, lineCounter } = parsed;
  const itemsNode = doc.get('items', true);
  const itemNodes = isSeq(itemsNode) ? itemsNode.items : [];
  items.forEach((item: unknown, i: number) => {
    const node = itemNodes[i] as ParsedNode | undefined;
    const itemLine = lineCounter.linePos(node?.range?.[0] ?? 0).line;
    const itemWhy = notAManifest(item);
    if (itemWhy) parsed.skips.push({ file, line: itemLine, reason: itemWhy });
    else parsed.out.push(sourced(item as KubeManifest, itemLine, node, { parsed, doc, item: i }));
  });
}

/** Where a manifest's YAML is: its file, its document, and for a `List` item its index. */
interface ManifestSource {
  readonly parsed: ParsedFile;
  readonly doc: Document.Parsed;
  readonly item?: number;
}

function sourced(
  manifest: KubeManifest,
  line: number,
  node: ParsedNode | null | undefined,
  source: ManifestSource,
): SourcedManifest {
  const { file, lineCounter } = source.parsed;
  if (!isPolicyKind(manifest) || !isMap(node)) return { manifest, file, line };
  const issues = duplicateKeys(node, lineCounter);
  return {
    manifest,
    file,
    line,
    locate: lazyLocator(source),
    ...(issues.length > 0 ? { sourceIssues: issues } : {}),
  };
}

/**
 * A field locator that keeps only the file's text and line table, not the document's YAML nodes
 * (5,000 policies took 93 MiB of heap with them, 19 MiB without): it parses the document again on
 * its first call.
 */
function lazyLocator({ parsed, doc, item }: ManifestSource): (path: string) => number | undefined {
  const { text, lineCounter } = parsed;
  const [start, , end] = doc.range;
  let locate: ((path: string) => number | undefined) | undefined;
  return (path) => {
    if (!locate) {
      const again = [...kubectlComposer().compose(new Parser().parse(text.slice(start, end)), true)][0];
      const contents = again?.contents;
      const node =
        item === undefined ? contents : (again?.get('items', true) as { items?: unknown[] })?.items?.[item];
      locate = fieldLocator(
        node as ParsedNode | null | undefined,
        (offset) => lineCounter.linePos(start + offset).line,
      );
    }
    return locate(path);
  };
}

/** How kubectl reads YAML: 1.1, its tags, repeated keys allowed (the last one wins). */
function kubectlComposer(): Composer {
  return new Composer({ version: '1.1', customTags: KUBECTL_TAGS, uniqueKeys: false });
}

/**
 * Parses every YAML/JSON document of a text (as `kubectl apply` reads it: YAML 1.1); `List`
 * kinds are flattened into their items. Documents that are not Kubernetes objects are left out.
 */
export function parseManifests(text: string, file: string, limits: LoadLimits = {}): SourcedManifest[] {
  const out: SourcedManifest[] = [];
  parseInto(text, file, { documents: 0, limits: { ...DEFAULT_LIMITS, ...limits } }, out, [], true);
  return out;
}

/**
 * Reads manifests from files and directories, in a deterministic order, with what was left out:
 * files that are not Kubernetes manifests (a top-level list or scalar, an Ansible vault, Helm
 * templates, Kustomize files), dangling links, symbolic link loops. Unreadable input, a YAML
 * error in a file that holds a Cilium policy, or input beyond the limits throws a
 * {@link ManifestLoadError} naming the file.
 */
export function loadManifestInputs(paths: readonly string[], limits: LoadLimits = {}): LoadResult {
  const walk = expand(paths);
  const state: ParseState = { documents: 0, limits: { ...DEFAULT_LIMITS, ...limits } };
  const manifests: SourcedManifest[] = [];
  const skipped: SkippedInput[] = [...walk.skipped];
  for (const file of walk.files) {
    const text = readBounded(file, state.limits.maxFileBytes);
    parseInto(text, file, state, manifests, skipped, walk.explicit.has(file));
  }
  return { manifests, skipped, files: walk.files };
}

/** Reads manifests from files and directories, in a deterministic order (see {@link loadManifestInputs}). */
export function loadManifests(paths: readonly string[], limits: LoadLimits = {}): SourcedManifest[] {
  return loadManifestInputs(paths, limits).manifests;
}
