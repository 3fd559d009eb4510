/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// e2e and fault suites have their own npm scripts
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
};
