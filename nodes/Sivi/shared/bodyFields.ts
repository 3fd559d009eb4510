// One declaration per UI field says where its value goes in the Sivi request body.
// `bodyField()` writes that path into n8n's own `routing.send.property` (so it shows in the
// node description and a test can walk it) and puts an optional value converter on the field.
// n8n never executes `routing` on this node: routing is for declarative nodes, and a node with
// an execute() method is run by that method alone. So the declaration is data here, and
// `buildBody()` is the only code that reads it; nothing else maps fields.
import type { IDataObject, INodeProperties } from 'n8n-workflow';

/** Converts a UI value into its request-body shape. Return undefined to send nothing. */
export type ToBody = (value: unknown) => unknown;

/**
 * For a field whose value is not sent itself (binary field names): resolve puts what it stands
 * for at the field's path (an upload's URL). The path still names the field in errors.
 */
export const filledByResolve: ToBody = () => undefined;

/**
 * A field with its converter on the declaration itself, so a copy (`{ ...field }`) keeps it. n8n
 * passes unknown keys through (and JSON leaves the function out of what the editor receives).
 */
export type BodyField = INodeProperties & { toBody?: ToBody };

export function bodyField(path: string, property: INodeProperties, toBody?: ToBody): BodyField {
	return {
		...property,
		routing: { send: { type: 'body', property: path } },
		...(toBody ? { toBody } : {}),
	};
}

export function bodyPathOf(property: INodeProperties): string | undefined {
	return property.routing?.send?.property;
}

export function isEmptyValue(value: unknown): boolean {
	if (value === undefined || value === null) return true;
	if (typeof value === 'string') return value.trim() === '';
	if (Array.isArray(value)) return value.length === 0;
	if (typeof value === 'object') return Object.keys(value as object).length === 0;
	return false;
}

/** Resource-locator values arrive as { __rl, mode, value }; the body wants the plain value. */
export function plainValue(value: unknown): unknown {
	if (value && typeof value === 'object' && '__rl' in (value as IDataObject)) {
		return (value as IDataObject).value;
	}
	return typeof value === 'string' ? value.trim() : value;
}

export function setPath(target: IDataObject, path: string, value: unknown): void {
	const keys = path.split('.');
	let cursor = target;
	for (const key of keys.slice(0, -1)) {
		if (typeof cursor[key] !== 'object' || cursor[key] === null) cursor[key] = {};
		cursor = cursor[key] as IDataObject;
	}
	cursor[keys[keys.length - 1]] = value as IDataObject[keyof IDataObject];
}

function sendValue(body: IDataObject, property: INodeProperties, raw: unknown): void {
	const path = bodyPathOf(property);
	if (!path) return;
	const plain = plainValue(raw);
	if (isEmptyValue(plain)) return;
	const converter = (property as BodyField).toBody;
	const value = converter ? converter(plain) : plain;
	if (isEmptyValue(value)) return;
	setPath(body, path, value);
}

/**
 * Builds a request body from parameter values. `read(property)` returns a top-level parameter's
 * value (null or undefined when hidden or unset). Collections without a path of their own send
 * each option at that option's path.
 */
export function buildBody(
	properties: INodeProperties[],
	read: (property: INodeProperties) => unknown,
): IDataObject {
	const body: IDataObject = {};
	for (const property of properties) {
		if (property.type === 'notice') continue;
		const value = read(property);
		if (bodyPathOf(property)) {
			sendValue(body, property, value);
		} else if (property.type === 'collection' && value && typeof value === 'object') {
			for (const option of (property.options ?? []) as INodeProperties[]) {
				sendValue(body, option, (value as IDataObject)[option.name]);
			}
		}
	}
	return body;
}

function parentOf(path: string): string {
	return path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '';
}

/**
 * Every body path an operation can send, with the UI label that leads to it. Parent objects are
 * labelled too, so a problem with the whole object names the field: a collection whose options
 * share a parent (Content → `content`), or sibling fields (Width and Height → `dimension`).
 */
export function bodyPaths(properties: INodeProperties[]): Map<string, string> {
	const paths = new Map<string, string>();
	const siblings = new Map<string, string[]>();
	for (const property of properties) {
		const path = bodyPathOf(property);
		if (path) {
			paths.set(path, property.displayName);
			const parent = parentOf(path);
			if (parent) siblings.set(parent, [...(siblings.get(parent) ?? []), property.displayName]);
		}
		if (property.type !== 'collection') continue;
		const parents = new Set<string>();
		for (const option of (property.options ?? []) as INodeProperties[]) {
			const optionPath = bodyPathOf(option);
			if (!optionPath) continue;
			parents.add(parentOf(optionPath));
			paths.set(optionPath, `${property.displayName} → ${option.displayName}`);
		}
		const [parent] = [...parents];
		if (parents.size === 1 && parent && !paths.has(parent)) paths.set(parent, property.displayName);
	}
	for (const [parent, labels] of siblings) {
		if (!paths.has(parent) && labels.length <= 3) paths.set(parent, labels.join(' and '));
	}
	return paths;
}
