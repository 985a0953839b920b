import { describe, expect, it } from 'vitest';
import type { CellResult, CellTable } from '../types';
import { bandOf, combineByAreaMode, shortfallOf, summarizeCoverage } from './coverage';

function table(pop: number[], area: number[]): CellTable {
	return {
		resolution: 9,
		count: pop.length,
		h3: pop.map((_, i) => `c${i}`),
		lon: new Float64Array(pop.length),
		lat: new Float64Array(pop.length),
		population: Float64Array.from(pop),
		areaIndex: Int32Array.from(area),
		populationMethod: 'modelled-census'
	};
}

describe('per-area summary', () => {
	// area A: 1000 people, 950 within 15 min -> passes 90%; area B: 1000 people, 500 covered -> short by 400
	const cells = table([600, 350, 50, 500, 500, 77], [0, 0, 0, 1, 1, -1]);
	const result: CellResult = {
		minutes: Float32Array.from([3, 15, 16, 14.9, Infinity, 2]),
		facility: Int32Array.from([0, 0, 1, 1, -1, 0]),
		method: Uint8Array.from([0, 0, 1, 1, 1, 0])
	};
	const s = summarizeCoverage(cells, result, [{ id: 'A', name: 'A区' }, { id: 'B', name: 'B区' }], { mode: 'walk', maxMinutes: 15, targetShare: 0.9, method: 'auto' });

	it('counts covered population by hand-computed figures', () => {
		expect(s.rows[0]).toMatchObject({ population: 1000, covered: 950, pass: true, shortfall: 0 });
		expect(s.rows[0].share).toBeCloseTo(0.95);
		expect(s.rows[0].networkShare).toBeCloseTo(0.95);
		expect(s.rows[1]).toMatchObject({ population: 1000, covered: 500, pass: false, shortfall: 400 });
		expect(s.rows[1].networkShare).toBe(0);
	});
	it('totals include cells outside every area', () => {
		expect(s.total).toMatchObject({ population: 2077, covered: 1527, areasPassing: 1, areaCount: 2 });
	});
	it('threshold is inclusive and a lower one covers fewer', () => {
		const s10 = summarizeCoverage(cells, result, [{ id: 'A', name: 'A' }, { id: 'B', name: 'B' }], { mode: 'walk', maxMinutes: 10, targetShare: 0.9, method: 'auto' });
		expect(s10.rows[0].covered).toBe(600);
		expect(s10.rows[1].covered).toBe(0);
	});
	it('shortfall rounds up to whole people', () => {
		expect(shortfallOf(1001, 900, 0.9)).toBe(1); // 900.9 needed -> 901
		expect(shortfallOf(100, 95, 0.9)).toBe(0);
	});
	it('bands', () => {
		expect([0, 5, 5.01, 10, 15, 20, 30, 31, Infinity].map(bandOf)).toEqual([0, 0, 1, 1, 2, 3, 4, 5, 5]);
	});
	it('per-area modes take each cell from its area mode run', () => {
		const walk = { ...result };
		const cycle: CellResult = { minutes: new Float32Array(6).fill(1), facility: new Int32Array(6).fill(9), method: new Uint8Array(6) };
		const c = combineByAreaMode(cells, { walk, cycle }, (a) => (a === 1 ? 'cycle' : 'walk'));
		expect(Array.from(c.facility)).toEqual([0, 0, 1, 9, 9, 0]);
	});
});
