/** The fast suite (`npm test`): everything but the slow-only suites of test/support/suites.js. */
const base = require('./test/support/jest-base');
const { SLOW_ONLY } = require('./test/support/suites');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/test/browser/', '/test/consumer/', ...SLOW_ONLY.map(exact)],
  setupFilesAfterEnv: ['<rootDir>/test/support/setup.ts'],
};

function exact(file) {
  return `^<rootDir>/${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}
