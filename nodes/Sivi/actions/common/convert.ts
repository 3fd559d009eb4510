// Value converters used by field declarations (see shared/bodyFields.ts).
import { parseSize } from '../../catalog';

/** "a, b" or one per line → ["a", "b"]; commas inside rgba(…) are kept. */
export function toList(value: unknown): unknown {
	if (Array.isArray(value))
		return value.map((entry) => (typeof entry === 'string' ? entry.trim() : entry));
	if (typeof value !== 'string') return value;
	return value
		.split(/\n|,(?![^(]*\))/)
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}

/** One entry per line (commas are part of the text). */
export function toLines(value: unknown): unknown {
	if (Array.isArray(value)) return value;
	if (typeof value !== 'string') return value;
	return value
		.split('\n')
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}

/** "1344x768" → { width, height }; anything else is passed on for validation to refuse. */
export function toSize(value: unknown): unknown {
	return typeof value === 'string' ? (parseSize(value) ?? value) : value;
}

/** A number typed into an expression as text ("3") is still a number. */
export function toNumber(value: unknown): unknown {
	if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
		return Number(value);
	return value;
}

/** Expressions may produce numbers (a price from a sheet); text blocks want strings. */
export function toText(value: unknown): unknown {
	return typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
}

export function listOf<T>(value: unknown, map: (entry: string) => T): T[] | unknown {
	const list = toList(value);
	return Array.isArray(list)
		? list.map((entry) => (typeof entry === 'string' ? map(entry) : entry))
		: list;
}
