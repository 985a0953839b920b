// Validation of the manifest fields the data layer reads (added to engine/region.ts by the data helper).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateRegionManifest } from '../engine/region';
import { REPO_ROOT } from './node/files';

const file = path.join(REPO_ROOT, 'data/regions/shanghai.json');

describe.skipIf(!existsSync(file))('manifest fields: addUnmatched, where, uniformNearWeightsM', () => {
	const load = () => JSON.parse(readFileSync(file, 'utf8'));
	const message = (m: unknown) => {
		try {
			validateRegionManifest(m, 'shanghai.json');
			return 'valid';
		} catch (e) {
			return (e as Error).message;
		}
	};
	it('accepts the shipped manifest and the optional distance', () => {
		const m = load();
		expect(message(m)).toBe('valid');
		m.population.uniformNearWeightsM = 1000;
		expect(message(m)).toBe('valid');
	});
	it('names the bad field', () => {
		const a = load();
		a.facilities[0].addUnmatched = true; // role "facilities"
		expect(message(a)).toBe('shanghai.json: field "facilities[0].addUnmatched" is only allowed on a source with role "official-reference"');
		const b = load();
		b.facilities[0].where = { level: 'town' };
		expect(message(b)).toBe('shanghai.json: field "facilities[0].where.level" must be a list of accepted values, e.g. {"level": ["town"]} (got "town")');
		const c = load();
		c.population.uniformNearWeightsM = 0;
		expect(message(c)).toBe('shanghai.json: field "population.uniformNearWeightsM" must be a distance in metres greater than 0 (got 0)');
	});
});
