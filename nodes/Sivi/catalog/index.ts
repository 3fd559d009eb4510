// Typed access to the catalog JSON files. The JSON is the single source of truth for models,
// sizes, design types, languages and limits: the UI options, the zod validation and the test
// simulator all read it.
import imageModelsJson from './imageModels.json';
import imageSizesJson from './imageSizes.json';
import designModelsJson from './designModels.json';
import designTypesJson from './designTypes.json';
import languagesJson from './languages.json';
import contentBlocksJson from './contentBlocks.json';
import designSettingsJson from './designSettings.json';
import limitsJson from './limits.json';
import fontsJson from './fonts.json';
import brandJson from './brand.json';
import toolDescriptionsJson from './toolDescriptions.json';

export interface ImageModel {
	value: string;
	name: string;
	credits: string;
	premium: boolean;
	canGenerate: boolean;
	canEnhance: boolean;
	sizes: string[];
}

export interface ImageSize {
	width: number;
	height: number;
	label: string;
}

export interface DesignModel {
	value: string;
	name: string;
	credits: string;
}

export interface DesignSubtype {
	value: string;
	name: string;
	width?: number;
	height?: number;
}

export interface DesignType {
	value: string;
	name: string;
	subtypes: DesignSubtype[];
}

export interface ContentBlocks {
	text: string[];
	list: string[];
	names: Record<string, string>;
	/** What to put in each block: read by users and by AI agents filling the field. */
	descriptions: Record<string, string>;
}

export interface DesignSettingsCatalog {
	modes: string[];
	theme: string[];
	frameStyle: string[];
	backdropStyle: string[];
	focus: string[];
	imageStyle: string[];
	logoStyles: string[];
	defaultLogoStyles: string[];
	mediaTypes: Record<string, { subTypes: string[]; extensions: string[] }>;
	presignedTypes: string[];
	presignedExtensions: string[];
}

export interface Limits {
	maxAssets: number;
	numOfVariants: { min: number; max: number };
	customDimension: { min: number; max: number };
	outputFormats: string[];
	plans: Record<string, { requestsPerMinute: number; concurrency: number; queue: number }>;
}

export interface FontCatalog {
	/** font/get `classification` values. */
	classifications: string[];
	/** font/get `source`: system = Google fonts, user = uploaded. */
	sources: string[];
	/** What font/create takes (through a presigned upload). */
	uploadExtensions: string[];
}

export const imageModels = imageModelsJson as ImageModel[];
export const imageSizes = imageSizesJson as Record<string, ImageSize>;
export const designModels = designModelsJson as DesignModel[];
export const designTypes = designTypesJson as DesignType[];
export const languages = languagesJson as string[];
export const contentBlocks = contentBlocksJson as ContentBlocks;
export const designSettings = designSettingsJson as DesignSettingsCatalog;
export const limits = limitsJson as Limits;
export const fonts = fontsJson as FontCatalog;

/** Brand persona values (Sivi's Brand Persona Details page) and the text models of brand/update. */
export interface BrandCatalog {
	industries: Array<{ value: string; name: string }>;
	emotions: Array<{ value: string; name: string }>;
	textModels: Array<{ value: string; name: string; credits: string; premium: boolean }>;
}
export const brandCatalog = brandJson as BrandCatalog;

/**
 * What an operation tells an AI agent or MCP client about itself, keyed `resource.operation`:
 * what it does, what it costs (`media`/`design`: the models' credits from their catalogs) and
 * what its answer holds.
 */
export interface ToolDescription {
	does: string;
	cost: 'free' | 'unpublished' | 'media' | 'design';
	returns: string;
}
export const toolDescriptions = toolDescriptionsJson as Record<string, ToolDescription>;

export const CUSTOM_DESIGN_TYPE = 'custom';

export function findImageModel(value: string): ImageModel | undefined {
	return imageModels.find((model) => model.value === value);
}

export function findDesignType(value: string): DesignType | undefined {
	return designTypes.find((type) => type.value === value);
}

export function findSubtype(type: string, subtype: string): DesignSubtype | undefined {
	return findDesignType(type)?.subtypes.find((entry) => entry.value === subtype);
}

/**
 * A published price in credits (REFERENCE §7.2): "2" is fixed, "1–3" a range, "1.5+" a minimum
 * with no maximum (max null).
 */
export interface Price {
	min: number;
	max: number | null;
}

export function priceOf(text: string): Price {
	const range = /^\s*([\d.]+)\s*[–-]\s*([\d.]+)\s*$/.exec(text);
	if (range) return { min: Number(range[1]), max: Number(range[2]) };
	const atLeast = /^\s*([\d.]+)\s*\+\s*$/.exec(text);
	if (atLeast) return { min: Number(atLeast[1]), max: null };
	return { min: Number(text), max: Number(text) };
}

export function findDesignModel(value: string): DesignModel | undefined {
	return designModels.find((model) => model.value === value);
}

/** "1344x768" → { width: 1344, height: 768 }; undefined when the text is not a size. */
export function parseSize(text: string): { width: number; height: number } | undefined {
	const match = /^\s*(\d+)\s*[x×]\s*(\d+)\s*$/i.exec(text);
	return match ? { width: Number(match[1]), height: Number(match[2]) } : undefined;
}

export function sizeKey(size: { width: number; height: number }): string {
	return `${size.width}x${size.height}`;
}

/** Title-cased label for an enum value such as "bar-accent" or "cover-with-overlay". */
export function labelOf(value: string): string {
	return value
		.split(/[-_\s]+/)
		.map((word) => word.charAt(0).toUpperCase() + word.slice(1))
		.join(' ');
}
