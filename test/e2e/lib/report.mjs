// PASS/FAIL lines and timed phases, shared by the e2e suites (each suite is its own process).
import { log } from './runtime.mjs';

/** Every check so far: { pass, name }. */
export const results = [];
/** Every phase so far: { name, ms }. */
export const phases = [];

/** One PASS/FAIL line; the detail is printed only on failure. Returns whether it passed. */
export function check(ok, name, detail) {
	const pass = !!ok;
	results.push({ pass, name });
	const d = detail === undefined ? '' : ` — ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`;
	console.log(`${pass ? 'PASS' : 'FAIL'} ${name}${pass ? '' : d.slice(0, 2000)}`);
	return pass;
}

/** Runs fn as a named phase and records how long it took. */
export async function phase(name, fn) {
	const t = Date.now();
	log(`── ${name}`);
	try {
		return await fn();
	} finally {
		phases.push({ name, ms: Date.now() - t });
	}
}

/** Prints the phase times and the closing `N passed, M failed` line; returns the failures. */
export function summary(startedAt) {
	const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
	const width = Math.max(40, ...phases.map((p) => p.name.length));
	console.log('\nphase times:');
	for (const p of phases) console.log(`  ${p.name.padEnd(width)} ${secs(p.ms)}`);
	console.log(`total ${secs(Date.now() - startedAt)}`);
	const passed = results.filter((r) => r.pass).length;
	const failed = results.length - passed;
	console.log(`\n${passed} passed, ${failed} failed`);
	return failed;
}
