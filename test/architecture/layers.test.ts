import * as fs from 'fs';
import * as path from 'path';
import { importsOf, sourceFiles } from './import-graph';
import { ALLOWED_LAYERS, violations } from './layers';

const ROOT = path.resolve(__dirname, '../..');

describe('layers of lib/', () => {
  it('has no import against the layer table', () => {
    const edges = sourceFiles(ROOT, 'lib').flatMap((f) => importsOf(ROOT, f));
    expect(edges.length).toBeGreaterThan(500);
    expect(violations(edges)).toEqual([]);
  });

  it('gives every folder of lib/ a place in the table', () => {
    const dirs = fs
      .readdirSync(path.join(ROOT, 'lib'), { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== 'cli')
      .map((e) => e.name)
      .sort();
    expect(dirs.filter((d) => !(d in ALLOWED_LAYERS))).toEqual([]);
  });

  it('names the file, line and forbidden edge', () => {
    const text = [
      "import { PolicyEngine } from '../engine/engine';",
      "import { Command } from 'commander';",
      "import { UsageError } from '../cli/common';",
      "import * as fs from 'fs';",
      "import { computeMatrix } from '../matrix/compute';",
      "import { lintManifests } from '..';",
    ].join('\n');
    expect(violations(importsOf(ROOT, 'lib/engine/bad.ts', text))).toEqual([
      "lib/engine/bad.ts:2: lib/engine may not use commander (only cli) ('commander')",
      "lib/engine/bad.ts:3: lib/cli is on top: nothing in lib/ imports it ('../cli/common')",
      "lib/engine/bad.ts:4: lib/engine does no I/O; the caller reads and writes and passes values (fs) ('fs')",
      "lib/engine/bad.ts:5: lib/engine may import only util, cilium, manifest, not lib/matrix ('../matrix/compute')",
      "lib/engine/bad.ts:6: lib/index.ts is the package entry point: import the module itself ('..')",
    ]);
  });

  it('lets the CLI import every layer and a construct layer import the one below', () => {
    const cli = "import { suggest } from '../suggest/suggest';\nimport { Command } from 'commander';";
    expect(violations(importsOf(ROOT, 'lib/cli/x.ts', cli))).toEqual([]);
    const patterns = "import { NetworkPolicy } from '../policy/policy';";
    expect(violations(importsOf(ROOT, 'lib/patterns/x.ts', patterns))).toEqual([]);
    expect(violations(importsOf(ROOT, 'lib/policy/x.ts', "import '../patterns/argocd';"))).toEqual([
      "lib/policy/x.ts:1: lib/policy may import only util, cilium, manifest, engine, lint, imports, not lib/patterns ('../patterns/argocd')",
    ]);
  });
});
