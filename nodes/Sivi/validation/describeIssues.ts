// Turns zod issues into one sentence per problem that names the UI field, e.g.
// "Number of Variants must be between 1 and 4". Labels come from the fields' own body paths.
import type { ZodError, ZodIssue } from 'zod';

function ruleText(issue: ZodIssue): string {
	if (issue.code === 'invalid_type') {
		return issue.received === 'undefined'
			? 'is required'
			: issue.message.startsWith('Expected')
				? `must be ${issue.expected} (got ${issue.received})`
				: issue.message;
	}
	if (issue.code === 'unrecognized_keys') return `has unknown fields: ${issue.keys.join(', ')}`;
	return issue.message;
}

function labelFor(path: (string | number)[], labels: Map<string, string>): string {
	for (let length = path.length; length > 0; length--) {
		const label = labels.get(path.slice(0, length).join('.'));
		if (label !== undefined) {
			const rest = path.slice(length);
			if (!rest.length) return label;
			const where = rest.map((part) => (typeof part === 'number' ? `item ${part + 1}` : part));
			return `${label} (${where.join(' → ')})`;
		}
	}
	return path.length ? path.join('.') : 'Request';
}

export function describeIssues(error: ZodError, labels: Map<string, string>): string[] {
	return error.issues.map((issue) => `${labelFor(issue.path, labels)} ${ruleText(issue)}`);
}
