import * as fs from 'fs';
import * as path from 'path';
import { PACKAGE_ROOT_CANDIDATES } from '../manifest/cilium-files';

const PACKAGE_NAME = 'cdk8s-cilium-lockdown';

/** The version in this package's package.json (from the sources or the installed build). */
export function packageVersion(): string {
  for (const root of PACKAGE_ROOT_CANDIDATES) {
    const file = path.join(root, 'package.json');
    if (!fs.existsSync(file)) continue;
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (manifest.name === PACKAGE_NAME && manifest.version) return manifest.version;
  }
  throw new Error(
    `${PACKAGE_NAME}'s package.json not found in ${PACKAGE_ROOT_CANDIDATES.join(' or ')}; reinstall the package.`,
  );
}
