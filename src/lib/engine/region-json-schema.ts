/**
 * The region manifest's JSON Schema (for editors: data/regions/*.json name it in "$schema"), generated from the
 * valibot schema in region.ts, so the two cannot drift. Cross-field rules (west < east, one "facilities" source,
 * unique ids) stay in validateRegionManifest. A manifest with "extends" inherits the required fields.
 */
import { toJsonSchema } from '@valibot/to-json-schema';
import { RegionManifestSchema } from './region';

export function regionJsonSchema(): Record<string, unknown> {
	const schema = toJsonSchema(RegionManifestSchema, { errorMode: 'throw', target: 'draft-2020-12', ignoreActions: ['finite'] /* JSON numbers are finite */ }) as Record<string, unknown>;
	const required = schema.required as string[];
	delete schema.required;
	return {
		$schema: schema.$schema,
		$id: 'https://kejimap.example/region.schema.json',
		title: 'Kejimap region manifest',
		...schema,
		// a manifest that extends another holds only the fields it changes
		anyOf: [{ required: ['extends'] }, { required }]
	};
}
