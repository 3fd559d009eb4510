/** Fault-injection suite: many items against the simulator with faults on (npm run test:faults). */
/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/faults'],
	testMatch: ['**/*.test.ts'],
	setupFilesAfterEnv: ['<rootDir>/test/helpers/freshAccounts.ts'],
	// allowJs lets the test import report.js (the figures printer) with inferred types.
	// Transpile only, as in jest.config.js.
	transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true } }] },
	testTimeout: 60_000,
};
