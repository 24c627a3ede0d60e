/** `npm run test:slow`: the slow-only suites, and the sampled suites in full (test/support/suites.js). */
const base = require('./test/support/jest-base');
const { SAMPLED, SLOW_ONLY } = require('./test/support/suites');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test'],
  testMatch: [...SLOW_ONLY, ...SAMPLED].map((file) => `<rootDir>/${file}`),
  setupFilesAfterEnv: ['<rootDir>/test/support/setup.ts'],
  globals: { CILIUM_LOCKDOWN_FULL_SUITE: true },
};
