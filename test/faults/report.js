'use strict';
/**
 * Prints the fault suite's figures as one greppable line. Plain CommonJS so it may write to
 * stdout (the TypeScript test files are linted with n8n's rules, which forbid `process`).
 */

/**
 * @param {{ items: number, completed: number, perItemErrors: number, lost: number,
 *   duplicateSubmits: number, surfaced429: number } & Record<string, number | string>} figures
 */
function printFigures(figures) {
	const { items, completed, perItemErrors, lost, duplicateSubmits, surfaced429, ...rest } = figures;
	const extra = Object.entries(rest)
		.map(([key, value]) => ` ${key}=${value}`)
		.join('');
	process.stdout.write(
		`FAULT SUITE FIGURES: items=${items} completed=${completed} perItemErrors=${perItemErrors} lost=${lost} duplicateSubmits=${duplicateSubmits} surfaced429=${surfaced429}${extra}\n`,
	);
}

module.exports = { printFigures };
