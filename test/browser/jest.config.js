/** The headless-Chromium suite (`npm run test:browser`); needs /usr/bin/chromium (scripts/ci-browser.sh installs it). */
const base = require('../support/jest-base');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/browser'],
  testMatch: ['**/*.test.ts'],
  // one Chromium at a time: two pages laying out large maps side by side starve a 2-core machine
  maxWorkers: 1,
};
