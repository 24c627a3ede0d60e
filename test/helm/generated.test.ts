import * as fs from 'fs';
import * as path from 'path';
import { cachedCiliumSource, CILIUM_MODULE, derive } from '../../scripts/helm/cilium-source';
import { GENERATED } from '../../scripts/helm/derive-from-cilium';

/**
 * The committed generated files equal what scripts/helm/derive-from-cilium.ts derives from Cilium's
 * source. Needs the source in the Go module cache (the conformance oracle build fills it); without it
 * this is skipped, and `npm run test:helm-cilium` (run by .ci/run) downloads the module and checks.
 */
const source = cachedCiliumSource();
const when = source ? describe : describe.skip;
if (!source)
  console.warn(
    `generated.test.ts skipped: ${CILIUM_MODULE} is not in the Go module cache (npm run test:helm-cilium checks it after downloading)`,
  );

when(`imports/cilium/1.20 generated files match ${CILIUM_MODULE}`, () => {
  test.each(GENERATED.map((g) => [g.file, g] as const))(
    '%s',
    (file, g) => {
      const committed = fs.readFileSync(
        path.join(__dirname, '..', '..', 'imports', 'cilium', '1.20', file),
        'utf8',
      );
      expect(derive(g.what, g.dir(source!))).toBe(committed);
    },
    300_000,
  );
});
