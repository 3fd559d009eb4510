/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	setupFilesAfterEnv: ['<rootDir>/test/helpers/freshAccounts.ts'],
	// The fault and end-to-end suites have their own npm scripts (both run in npm test).
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '/test/faults/', '/test/bench/'],
	// Two files at a time: the suites mostly wait on the simulator's clock, not on the CPU.
	maxWorkers: 2,
	// Transpile only: `npm run build` type-checks the node; a cold type-checking ts-jest (every CI
	// run is a fresh clone) costs about half the suite's CPU.
	transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: { isolatedModules: true } }] },
};
