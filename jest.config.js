/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	setupFilesAfterEnv: ['<rootDir>/test/helpers/freshAccounts.ts'],
	// The fault and end-to-end suites have their own npm scripts (both run in npm test).
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '/test/faults/', '/test/bench/'],
};
