/**
 * Which test files run where. `npm test` (jest.config.js) is the fast suite; `npm run test:slow`
 * (jest.slow.config.js, run by .ci/run) runs the files below in full. See DEVELOPMENT.md.
 */

/** End-to-end suites that spawn the CLI or cdk8s-cli many times, and whole corpora: only in `test:slow`. */
const SLOW_ONLY = [
  'test/lint/cli.test.ts',
  'test/lint/realworld.test.ts',
  'test/diff/cli.test.ts',
  'test/replay/example-across-nodes.test.ts',
  // Reads the jsii assembly (.jsii), which `npm run build` writes: `test:slow` builds first.
  'test/docs/api-md.test.ts',
  // Type-checks the bench's consumer apps against the built library (build first, too).
  'test/bench/typecheck-apps.test.ts',
];

/**
 * Suites that read `fullSuite()` (test/support/suite.ts): the fast suite runs a deterministic sample of
 * their corpus or fewer property runs; `test:slow` runs them in full.
 */
const SAMPLED = [
  'test/engine/upstream-corpus.test.ts',
  'test/lint/robustness.test.ts',
  'test/helm/yaml11.test.ts',
  'test/plugin/plugin.test.ts',
  'test/replay/connections.test.ts',
];

module.exports = { SLOW_ONLY, SAMPLED };
