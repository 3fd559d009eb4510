import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { ZodTypeAny } from 'zod';

/** Everything the router needs to know about one operation. */
export interface SiviOperation {
	resource: string;
	operation: string;
	/** Shapes the output: design variants, media images, or whatever Get Status finds. */
	kind: 'media' | 'design' | 'status';
	/** Submit endpoint below `general/`; absent for Get Status. */
	submitPath?: string;
	/** UI fields; those declared with bodyField() build the request body. */
	properties: INodeProperties[];
	schema?: ZodTypeAny;
	waitDefault: boolean;
	downloadDefault: boolean;
	/** Adds what fields alone cannot say, as placeholders checked by the schema. No requests. */
	completeBody?(body: IDataObject, context: IExecuteFunctions, itemIndex: number): IDataObject;
	/** Replaces placeholders using requests (uploads, default brand); only for valid items. */
	resolveBody?(
		body: IDataObject,
		context: IExecuteFunctions,
		itemIndex: number,
	): Promise<IDataObject>;
}
