/** What every jest config of this repository shares: the TypeScript transform, module names, timeouts. */
const path = require('path');

const ROOT = path.join(__dirname, '..', '..');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: ROOT,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Transpile only (swc); `npm run typecheck` type-checks the whole tree once, before jest.
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript' },
          target: 'es2022',
          keepClassNames: true,
          // what tsc emits for target ES2022 (tsconfig.json)
          transform: { useDefineForClassFields: true },
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  // examples/readme/main.ts imports the package by name, exactly as the README shows it.
  moduleNameMapper: { '^cdk8s-cilium-lockdown$': '<rootDir>/lib/index.ts' },
  // Deliberately generous: the suite must pass on a loaded 2-core CI machine; no test asserts wall-clock time.
  testTimeout: 120_000,
  // Both cores of the CI machine (jest's default leaves one idle on two).
  maxWorkers: 2,
};
