/** The grid-weighted second population model, against hand-computed values on a 2 x 1 pixel grid. */
import { describe, expect, it } from 'vitest';
import type { CellTable } from '../../engine/types';
import { gridWeightedPopulation, readPixelCsv } from './worldpop-model';

// two pixels of 0.01 deg at 160-160.02 E, 30.99-31.00 N (synthetic place); col 0 holds 300 people, col 1 holds 100
const CSV = 'wp_col,wp_row,lon_min,lat_min,lon_max,lat_max,pop,source\n0,0,160,30.99,160.01,31,300,sampled\n1,0,160.01,30.99,160.02,31,100,interpolated\n';

function cells(): CellTable {
	// cells 0,1 in pixel 0; cell 2 in pixel 1; cell 3 outside the grid; all in area 0 except cell 4 (area 1, outside)
	const lon = [160.002, 160.008, 160.015, 160.05, 160.06];
	const lat = [30.995, 30.995, 30.995, 30.995, 30.995];
	return {
		resolution: 9,
		count: 5,
		h3: lon.map((_, i) => `c${i}`),
		lon: Float64Array.from(lon),
		lat: Float64Array.from(lat),
		population: Float64Array.from([10, 30, 0, 60, 50]),
		areaIndex: Int32Array.from([0, 0, 0, 0, 1]),
		populationMethod: 'modelled-census'
	};
}

describe('grid-weighted population', () => {
	it('reads the pixel grid and refuses off-grid rows', () => {
		const g = readPixelCsv(CSV, 'p.csv');
		expect(g.values.get('0,0')).toBe(300);
		expect(g.interpolated).toBe(1);
		expect(g.west).toBeCloseTo(160, 9);
		expect(g.north).toBeCloseTo(31, 9);
		expect(() => readPixelCsv(CSV + '2,0,160.5,30.99,160.51,31,1,sampled\n', 'p.csv')).toThrow(/row 4: pixel \(2, 0\) is not on the grid/);
	});

	it('pixel values split by the first model, census totals kept, outside the grid unchanged', () => {
		const m = gridWeightedPopulation(cells(), 2, readPixelCsv(CSV, 'p.csv'));
		// area 0: total 100, outside the grid 60 -> 40 for the grid cells. raw: pixel 0 -> 75, 225 (10:30); pixel 1 -> 100
		// (cell 2 has no first-model people: the pixel goes to it evenly). scale 40 / 400.
		expect([...m.population].map((v) => +v.toFixed(9))).toEqual([7.5, 22.5, 10, 60, 50]);
		expect([...m.inGrid]).toEqual([1, 1, 1, 0, 0]);
		expect(m.population[0] + m.population[1] + m.population[2] + m.population[3]).toBeCloseTo(100, 9);
	});
});
