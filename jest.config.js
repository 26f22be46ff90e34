/** Tests run through SWC (no type-checking here: `npm run typecheck` does that once, with TypeScript 7). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  // One synth of every environment per run, shared by the output tests (test/support/synth.ts).
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // Output tests boot servers and run terraform: give them room. One worker per core, whatever the machine (jest's
  // own default leaves one core idle; the workers spend much of their time waiting on the tools they spawn).
  testTimeout: 120000,
  maxWorkers: '100%',
};
