import { booleanPointInPolygon } from '@turf/turf';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KejimapError } from '../engine/errors';
import { wgs84ToGcj02 } from '../engine/geo/crs';
import { areaSetFromGeoJson, createAreaLocator } from './area-set';
import { defaultDataRoot } from './node/files';

function rng(seed: number) {
	return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

// A square with a square hole, plus a two-part MultiPolygon whose second part sits inside the first's hole.
const fixture = {
	type: 'FeatureCollection',
	features: [
		{
			type: 'Feature',
			properties: { code: 'A', title: '甲区' },
			geometry: {
				type: 'Polygon',
				coordinates: [
					[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
					[[3, 3], [7, 3], [7, 7], [3, 7], [3, 3]]
				]
			}
		},
		{
			type: 'Feature',
			properties: { code: 'B', title: '乙区' },
			geometry: {
				type: 'MultiPolygon',
				coordinates: [
					[[[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]],
					[[[12, 0], [14, 0], [13, 3], [12, 0]]]
				]
			}
		},
		{ type: 'Feature', properties: { code: 'ALL', title: '全市' }, geometry: { type: 'Polygon', coordinates: [[[-1, -1], [20, -1], [20, 20], [-1, 20], [-1, -1]]] } }
	]
};
const src = { crs: 'wgs84' as const, idField: 'code', nameField: 'title', include: ['A', 'B'] };

describe('area set', () => {
	it('applies include, keeps file order, and computes bboxes', () => {
		const set = areaSetFromGeoJson(fixture, src, 'f.geojson');
		expect(set.areas).toEqual([
			{ id: 'A', name: '甲区', bbox: [0, 0, 10, 10] },
			{ id: 'B', name: '乙区', bbox: [4, 0, 14, 6] }
		]);
		expect(set.features.features.map((f) => f.properties)).toEqual([
			{ id: 'A', name: '甲区' },
			{ id: 'B', name: '乙区' }
		]);
	});

	it('locates points with holes and MultiPolygons', () => {
		const loc = createAreaLocator(areaSetFromGeoJson(fixture, src, 'f.geojson'));
		expect(loc(1, 1)).toBe(0);
		expect(loc(3.5, 3.5)).toBe(-1); // in A's hole, outside B
		expect(loc(5, 5)).toBe(1); // B inside A's hole
		expect(loc(13, 1)).toBe(1);
		expect(loc(11, 5)).toBe(-1);
		expect(loc(15, 15)).toBe(-1); // only in the excluded city outline
	});

	it('converts GCJ-02 vertices to WGS84', () => {
		const sq = [[121.4, 31.2], [121.5, 31.2], [121.5, 31.3], [121.4, 31.3], [121.4, 31.2]].map(([x, y]) => wgs84ToGcj02(x, y));
		const set = areaSetFromGeoJson({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'x', name: 'x' }, geometry: { type: 'Polygon', coordinates: [sq] } }] }, { crs: 'gcj02', idField: 'id', nameField: 'name' }, 'g.geojson');
		set.areas[0].bbox.forEach((v, i) => expect(v).toBeCloseTo([121.4, 31.2, 121.5, 31.3][i], 7));
	});

	it('names a missing id field, an unknown include id and duplicate ids', () => {
		const err = (fn: () => unknown) => {
			try {
				fn();
			} catch (e) {
				return (e as KejimapError).message;
			}
			return '';
		};
		expect(err(() => areaSetFromGeoJson(fixture, { ...src, idField: 'adcode' }, 'f.geojson'))).toBe('f.geojson: feature 1: id property "adcode" is missing; properties found: code, title');
		expect(err(() => areaSetFromGeoJson(fixture, { ...src, include: ['A', 'Z'] }, 'f.geojson'))).toBe('f.geojson: areas.include lists ids not found in the file: Z');
		const dup = { ...fixture, features: [fixture.features[0], fixture.features[0]] };
		expect(err(() => areaSetFromGeoJson(dup, { ...src, include: undefined }, 'f.geojson'))).toBe('f.geojson: feature 2: duplicate area id "A"');
	});

	it('agrees with turf booleanPointInPolygon on random points (fixture)', () => {
		const set = areaSetFromGeoJson(fixture, src, 'f.geojson');
		const loc = createAreaLocator(set);
		const r = rng(7);
		for (let i = 0; i < 5000; i++) {
			const x = -1 + r() * 16;
			const y = -1 + r() * 12;
			let expected = -1;
			set.features.features.forEach((f, k) => {
				if (expected === -1 && booleanPointInPolygon([x, y], f.geometry as never)) expected = k;
			});
			expect(loc(x, y)).toBe(expected);
		}
	});
});

const fences = path.join(defaultDataRoot(), 'shanghai-admin-boundaries/shanghai_district_fences_2016_wgs84.geojson');
describe.skipIf(!existsSync(fences))('area set: real Shanghai districts', () => {
	it('agrees with turf on 20,000 random points over Shanghai', () => {
		const set = areaSetFromGeoJson(readFileSync(fences, 'utf8'), { crs: 'wgs84', idField: 'adcode', nameField: 'name' }, fences);
		expect(set.areas.length).toBe(17);
		const districts = { ...set, areas: set.areas.slice(1), features: { ...set.features, features: set.features.features.slice(1) } };
		const loc = createAreaLocator(districts);
		const r = rng(11);
		let inside = 0;
		for (let i = 0; i < 20000; i++) {
			const x = 120.85 + r() * 1.4;
			const y = 30.67 + r() * 1.2;
			let expected = -1;
			districts.features.features.forEach((f, k) => {
				if (expected === -1 && booleanPointInPolygon([x, y], f.geometry as never)) expected = k;
			});
			const got = loc(x, y);
			if (got !== expected) throw new Error(`mismatch at ${x},${y}: ${got} vs ${expected}`);
			if (got >= 0) inside++;
		}
		expect(inside).toBeGreaterThan(5000);
	});
});
