/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/test/browser/', '/test/consumer/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // examples/readme/main.ts imports the package by name, exactly as the README shows it.
  moduleNameMapper: { '^cdk8s-cilium-lockdown$': '<rootDir>/lib/index.ts' },
  // Deliberately generous: the suite must pass on a loaded 2-core CI machine; no test asserts wall-clock time.
  testTimeout: 120_000,
  setupFilesAfterEnv: ['<rootDir>/test/support/setup.ts'],
};
