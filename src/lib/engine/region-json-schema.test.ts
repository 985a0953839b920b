import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { regionJsonSchema } from './region-json-schema';

describe('data/regions/region.schema.json', () => {
	it('is the JSON Schema generated from the valibot manifest schema (run `npm run schema` after changing region.ts)', () => {
		expect(JSON.parse(readFileSync('data/regions/region.schema.json', 'utf8'))).toEqual(JSON.parse(JSON.stringify(regionJsonSchema())));
	});
});
