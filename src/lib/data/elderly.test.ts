/** Elderly input readers: bad rows named, real registry figures as SOURCE.md gives them. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gcj02ToWgs84 } from '../engine/geo/crs';
import { metresPerDegree } from '../engine/geo/measure';
import { readAgeShares, readCareHomes } from './elderly';
import { defaultDataRoot } from './node/files';

const dataRoot = defaultDataRoot();

describe('readCareHomes / readAgeShares', () => {
	const src = { crs: 'gcj02' as const, fields: { name: 'name', lon: 'lng', lat: 'lat', beds: 'beds', district: 'district' } };
	it('a bad row is reported with its row and field; the others load, converted from GCJ-02', () => {
		const text = 'name,lng,lat,beds,district\nA,121.4,31.2,100,X\nB,121.5,31.3,lots,X\nC,121.6,31.1,50,Y\n';
		const { homes, report } = readCareHomes(text, src, 'homes.csv');
		expect(homes.map((h) => h.name)).toEqual(['A', 'C']);
		expect(report.invalidSample[0]).toBe('homes.csv: row 3: field "beds" must be a number of beds >= 0 (got "lots")');
		const [lon, lat] = gcj02ToWgs84(121.4, 31.2);
		expect(homes[0]).toMatchObject({ lon, lat, beds: 100, row: 2 });
	});
	it('age shares: a missing area names the code', () => {
		const text = 'CODE,AGES_60-64,AGES_65P\n1,0.1,0.2\n2,0.05,0.1\n';
		const s = readAgeShares(text, { codeField: 'CODE', shareFields: ['AGES_60-64', 'AGES_65P'] }, ['2', '1'], 'ages.csv');
		expect(s[0]).toBeCloseTo(0.15, 12);
		expect(s[1]).toBeCloseTo(0.3, 12);
		expect(() => readAgeShares(text, { codeField: 'CODE', shareFields: ['AGES_65P'] }, ['3'], 'ages.csv')).toThrow(/no row with CODE = 3/);
	});
	const file = path.join(dataRoot, 'shanghai-chc-official-2025/shanghai_elderly_care_homes_gcj02.csv');
	it.skipIf(!existsSync(file))('the real Shanghai registry: 626 homes, 153,065 beds (SOURCE.md), shifted from GCJ-02 by a few hundred metres', () => {
		const { homes, report } = readCareHomes(readFileSync(file, 'utf8'), src, file);
		expect(report).toMatchObject({ kept: 626, invalid: 0, beds: 153065 });
		const { mPerDegLon, mPerDegLat } = metresPerDegree(31.2);
		const first = homes[0];
		// row 2 of the file: 121.415111, 31.300448 (GCJ-02)
		const d = Math.hypot((first.lon - 121.415111) * mPerDegLon, (first.lat - 31.300448) * mPerDegLat);
		expect(d).toBeGreaterThan(300);
		expect(d).toBeLessThan(700);
	});
});
