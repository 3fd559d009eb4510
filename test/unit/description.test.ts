// Walks the node description: every documented request field of each operation is reachable
// from the UI, with Sivi's name and nesting, declared once.
import type { INodeProperties } from 'n8n-workflow';

import { operations } from '../../nodes/Sivi/actions/operations';
import { bodyPaths } from '../../nodes/Sivi/shared/bodyFields';
import { Sivi } from '../../nodes/Sivi/Sivi.node';
import { contentBlocks, designTypes, imageModels, languages } from '../../nodes/Sivi/catalog';
import { SiviApi } from '../../credentials/SiviApi.credentials';

/** Body paths exactly as the fields declare them (routing.send.property), collections included. */
function declaredPaths(properties: INodeProperties[]): string[] {
	return properties.flatMap((property) => [
		...(property.routing?.send?.property ? [property.routing.send.property] : []),
		...(property.type === 'collection' ? declaredPaths(property.options as INodeProperties[]) : []),
	]);
}

const byOperation = (operation: string) => {
	const found = operations.find((entry) => entry.operation === operation);
	if (!found) throw new Error(`no operation ${operation}`);
	return found;
};

const DESIGN_COMMON = [
	'type',
	'subtype',
	'dimension.width',
	'dimension.height',
	'numOfVariants',
	'assets',
	'language',
	'colors',
	'outputFormat',
	'settings.mode',
	'settings.currentbId',
	'settings.designModel',
	'settings.colors',
	'settings.theme',
	'settings.frameStyle',
	'settings.backdropStyle',
	'settings.focus',
	'settings.imageStyle',
	'abstractUserId',
];

describe('node description', () => {
	const description = new Sivi().description;

	it('is the sivi node with icons, subtitle, tool use and the siviApi credential', () => {
		expect(description.name).toBe('sivi');
		expect(description.displayName).toBe('Sivi');
		expect(description.usableAsTool).toBe(true);
		expect(description.subtitle).toContain('operation');
		expect(description.icon).toEqual({
			light: 'file:../../icons/sivi.svg',
			dark: 'file:../../icons/sivi.dark.svg',
		});
		expect(description.credentials).toEqual([{ name: 'siviApi', required: true }]);
	});

	it('offers every resource and operation, sorted by name, with an action text', () => {
		const resource = description.properties.find((property) => property.name === 'resource')!;
		expect(resource.options!.map((option) => (option as { value: string }).value)).toEqual([
			'brand',
			'design',
			'endUser',
			'font',
			'media',
			'request',
		]);
		const byResource = Object.fromEntries(
			description.properties
				.filter((property) => property.name === 'operation')
				.map((property) => [
					property.displayOptions!.show!.resource![0],
					(property.options as Array<{ name: string; value: string; action?: string }>).map(
						(option) => option.value,
					),
				]),
		);
		expect(byResource).toEqual({
			brand: [
				'archive',
				'create',
				'extract',
				'get',
				'getDefault',
				'getMany',
				'setDefault',
				'update',
			],
			design: ['createFromContent', 'createFromPrompt', 'generateCopy', 'getVariants'],
			endUser: ['create', 'delete', 'setCreditLimit'],
			font: ['getMany', 'upload'],
			media: ['delete', 'generate', 'getMany', 'update', 'upload'],
			request: ['getStatus'],
		});
		for (const property of description.properties.filter((p) => p.name === 'operation')) {
			const options = property.options as Array<{ name: string; value: string; action?: string }>;
			expect(options.map((option) => option.name)).toEqual(
				options.map((option) => option.name).sort((a, b) => a.localeCompare(b)),
			);
			expect(options.map((option) => option.value)).toContain(property.default);
			for (const option of options) expect(option.action).toMatch(/^[A-Z][a-z]/);
		}
	});

	it('Generate Media reaches every documented field of media/generate', () => {
		const paths = declaredPaths(byOperation('generate').properties).sort();
		expect(paths).toEqual(
			[
				'assets.photo',
				'bId',
				'dimensions',
				'model',
				'negativePrompt',
				'prompt',
				'siviAssets',
				'abstractUserId',
			].sort(),
		);
		expect(paths).not.toContain('dimension');
	});

	it('Designs from Content reaches every documented field, including all content blocks', () => {
		const paths = declaredPaths(byOperation('createFromContent').properties);
		const blocks = [...contentBlocks.text, ...contentBlocks.list].map(
			(block) => `content.${block}`,
		);
		expect(contentBlocks.text).toHaveLength(22);
		expect(paths.sort()).toEqual(
			[...DESIGN_COMMON, 'name', 'designInstructions', 'settings.fontGroups', ...blocks].sort(),
		);
		expect(paths).not.toContain('dimensions');
	});

	it('Designs from Prompt has the same fields minus name/content/instructions, plus prompt', () => {
		const paths = declaredPaths(byOperation('createFromPrompt').properties).sort();
		expect(paths).toEqual([...DESIGN_COMMON, 'prompt'].sort());
	});

	it('Generate Copy reaches every documented field of content-from-prompt', () => {
		const paths = declaredPaths(byOperation('generateCopy').properties).sort();
		expect(paths).toEqual(
			[
				'prompt',
				'type',
				'subtype',
				'dimension.width',
				'dimension.height',
				'language',
				'abstractUserId',
			].sort(),
		);
	});

	it('Get Variants sends designId, type and abstractUserId (limit and cursor come from paging)', () => {
		const paths = declaredPaths(byOperation('getVariants').properties).sort();
		expect(paths).toEqual(['abstractUserId', 'designId', 'type']);
	});

	it('labels parent objects so errors about them name a field', () => {
		const labels = bodyPaths(byOperation('createFromContent').properties);
		expect(labels.get('content')).toBe('Content');
		expect(labels.get('dimension')).toBe('Width (Px) and Height (Px)');
		expect(labels.get('settings.currentbId')).toBe('Brand');
		expect(labels.get('settings.fontGroups')).toBe('Fonts');
	});

	it('declares each body path once per operation', () => {
		for (const operation of operations) {
			const declared: string[] = [];
			const walk = (properties: INodeProperties[]) => {
				for (const property of properties) {
					if (property.routing?.send?.property) declared.push(property.routing.send.property);
					if (property.type === 'collection') walk(property.options as INodeProperties[]);
				}
			};
			walk(operation.properties);
			expect(new Set(declared).size).toBe(declared.length);
		}
	});

	it('lists every model with credits and capability, every design type and all 90 languages', () => {
		const model = description.properties.find((property) => property.name === 'model')!;
		expect(model.options).toHaveLength(10);
		expect(imageModels).toHaveLength(10);
		for (const option of model.options as Array<{ name: string; description: string }>) {
			expect(option.name).toMatch(/credits per image/);
			expect(option.description).toMatch(/enhance/);
		}
		const type = description.properties.find((property) => property.name === 'designType')!;
		expect((type.options as unknown[]).length).toBe(designTypes.length);
		const language = description.properties.find((property) => property.name === 'language')!;
		expect(language.options).toHaveLength(90);
		expect(languages).toHaveLength(90);
		expect(language.default).toBe('english');
	});

	it('offers Wait for Completion on job operations only, on by default except for Get Status', () => {
		const waits = description.properties.filter(
			(property) => property.name === 'waitForCompletion',
		);
		const defaults = Object.fromEntries(
			waits.map((property) => [
				`${property.displayOptions!.show!.resource![0]}.${property.displayOptions!.show!.operation![0]}`,
				property.default,
			]),
		);
		expect(defaults).toEqual({
			'brand.extract': true,
			'design.createFromContent': true,
			'design.createFromPrompt': true,
			'font.upload': true,
			'media.generate': true,
			'request.getStatus': false,
		});
	});
});

describe('siviApi credential', () => {
	const credential = new SiviApi();

	it('sends the key as sivi-api-key and keeps it in a password field', () => {
		expect(credential.name).toBe('siviApi');
		expect(credential.authenticate).toEqual({
			type: 'generic',
			properties: { headers: { 'sivi-api-key': '={{$credentials.apiKey}}' } },
		});
		const apiKey = credential.properties.find((property) => property.name === 'apiKey')!;
		expect(apiKey.typeOptions?.password).toBe(true);
		const baseUrl = credential.properties.find((property) => property.name === 'baseUrl')!;
		expect(baseUrl.default).toBe('https://connect.sivi.ai/api/prod/v2');
	});

	it('tests the key with a cheap brand/get call', () => {
		expect(credential.test.request).toMatchObject({
			url: '/general/brand/get',
			method: 'POST',
			body: { limit: 1 },
		});
	});
});
