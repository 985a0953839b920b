import { describe, expect, it } from 'vitest';
import type { CellTable } from '../../engine/types';
import { areaSetFromGeoJson } from '../area-set';
import { compareStreets } from './streets';

const district = areaSetFromGeoJson(
	{ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'D', name: 'D' }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [2, 0], [2, 1], [0, 1], [0, 0]]] } }] },
	{ crs: 'wgs84', idField: 'id', nameField: 'name' },
	'd'
);
const table = (pts: [number, number, number][]): CellTable => ({
	resolution: 9,
	count: pts.length,
	h3: pts.map((_, i) => String(i)),
	lon: Float64Array.from(pts, (p) => p[0]),
	lat: Float64Array.from(pts, (p) => p[1]),
	population: Float64Array.from(pts, (p) => p[2]),
	areaIndex: new Int32Array(pts.length),
	populationMethod: 'modelled-census'
});

describe('compareStreets', () => {
	it('assigns cells to the nearest street point inside the district, and computes errors and MAPE by hand', () => {
		const cells = table([
			[0.2, 0.5, 100],
			[0.4, 0.5, 50],
			[1.8, 0.5, 30],
			[3, 0.5, 999] // outside the district
		]);
		const pts = [
			{ name: '西', lon: 0.5, lat: 0.5 },
			{ name: '东', lon: 1.5, lat: 0.5 }
		];
		const cmp = compareStreets(cells, district, pts, new Map([['西', 120], ['东', 60]]), new Map([['西', 1], ['东', 1]]));
		expect(cmp.cellsInDistrict).toBe(3);
		const west = cmp.rows.find((r) => r.name === '西')!;
		const east = cmp.rows.find((r) => r.name === '东')!;
		expect([west.modelled, east.modelled]).toEqual([150, 30]);
		expect(west.errorPct).toBeCloseTo(25, 9);
		expect(east.errorPct).toBeCloseTo(-50, 9);
		expect(cmp.mapePct).toBeCloseTo(37.5, 9);
		// uniform baseline: 180 people over 3 cells -> 120 west, 60 east: exact
		expect(cmp.mapeUniformPct).toBeCloseTo(0, 9);
		// area-adjusted: west density 75/cell x (0.5 x 3 cells) = 112.5
		expect(west.areaAdjustedErrorPct).toBeCloseTo(-6.25, 9);
	});

	it('refuses streets that do not line up', () => {
		expect(() => compareStreets(table([]), district, [{ name: '甲', lon: 0, lat: 0 }], new Map([['乙', 1]]))).toThrow(/census without point \[乙\], points without census \[甲\]/);
	});
});
