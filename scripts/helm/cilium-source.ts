/**
 * Where Cilium v1.20.0's source is: the Go module cache (filled by the conformance oracle build),
 * or, when it is not there yet, `go mod download` of the module (Go module proxy).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const CILIUM_MODULE = 'github.com/cilium/cilium@v1.20.0';
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

function go(args: string[], cwd = REPO_ROOT): string {
  return execFileSync('go', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** The source directory if it is already in the module cache, else undefined (no download). */
export function cachedCiliumSource(): string | undefined {
  try {
    const dir = path.join(go(['env', 'GOMODCACHE']).trim(), CILIUM_MODULE);
    return fs.existsSync(path.join(dir, 'install', 'kubernetes', 'cilium', 'Chart.yaml')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** The source directory, downloading the module when needed. Throws with a clear message without Go. */
export function ciliumSource(): string {
  const cached = cachedCiliumSource();
  if (cached) return cached;
  let out: string;
  try {
    out = go(['mod', 'download', '-json', CILIUM_MODULE]);
  } catch (error) {
    throw new Error(
      `cannot get ${CILIUM_MODULE} (needs the Go toolchain and the Go module proxy): ${(error as Error).message}`,
    );
  }
  const dir = (JSON.parse(out) as { Dir?: string }).Dir;
  if (!dir || !fs.existsSync(dir))
    throw new Error(`go mod download ${CILIUM_MODULE} gave no source directory`);
  return dir;
}

/** Runs the stdlib-only derive command (scripts/helm/derive) and returns its JSON text. */
export function derive(what: 'hubble-metrics' | 'chart-keys', dir: string): string {
  return go(['run', '.', what, dir], path.join(REPO_ROOT, 'scripts', 'helm', 'derive'));
}
