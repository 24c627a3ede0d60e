import * as fs from 'fs';
import * as path from 'path';

/** The Cilium release whose CRDs and chart files ship in imports/cilium/1.20/. */
export const CILIUM_VERSION = '1.20.0';

/**
 * The package root seen from this module: lib/<dir>/*.ts (ts source) sits two levels below it,
 * build/lib/<dir>/*.js (compiled, installed package) three.
 */
export const PACKAGE_ROOT_CANDIDATES = [
  path.resolve(__dirname, '..', '..'),
  path.resolve(__dirname, '..', '..', '..'),
];
const FILES_FROM_ROOT = path.join('imports', 'cilium', '1.20');

let filesDir: string | undefined;

/** Directory of the Cilium 1.20 CRDs and chart files inside this package. */
export function ciliumFilesDir(): string {
  if (filesDir) return filesDir;
  const candidates = PACKAGE_ROOT_CANDIDATES.map((root) => path.join(root, FILES_FROM_ROOT));
  filesDir = candidates.find((dir) => fs.existsSync(path.join(dir, 'ciliumnetworkpolicies.yaml')));
  if (!filesDir) {
    throw new Error(
      `Cilium ${CILIUM_VERSION} files not found in ${candidates.join(' or ')}; reinstall the package (imports/cilium/1.20/ is incomplete).`,
    );
  }
  return filesDir;
}

/** Reads one of the shipped Cilium files. */
export function readCiliumFile(name: string): string {
  return fs.readFileSync(path.join(ciliumFilesDir(), name), 'utf8');
}
