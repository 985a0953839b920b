import { describe, expect, it } from 'vitest';
import type { LpModel } from '../../engine/allocation/types';
import { createHighsSolver } from './highs';

/** max x + y, x + y <= 1.5, x, y in {0, 1} (MIP optimum 1, LP optimum 1.5). */
function tiny(): LpModel {
	return {
		sense: 'max',
		offset: 0,
		colCost: Float64Array.of(1, 1),
		colLower: Float64Array.of(0, 0),
		colUpper: Float64Array.of(1, 1),
		integer: Uint8Array.of(1, 1),
		rowLower: Float64Array.of(-Infinity),
		rowUpper: Float64Array.of(1.5),
		rowStarts: Int32Array.of(0, 2),
		rowIndex: Int32Array.of(0, 1),
		rowValue: Float64Array.of(1, 1)
	};
}

describe('HiGHS solver (Node: wasm from the package)', () => {
	it('MIP and its LP relaxation', async () => {
		const s = createHighsSolver();
		const mip = await s.solve(tiny(), { relax: false, timeLimitS: 10 });
		expect(mip.status).toBe('optimal');
		expect(mip.objective).toBe(1);
		expect(mip.bound).toBe(1);
		const lp = await s.solve(tiny(), { relax: true, timeLimitS: 10 });
		expect(lp.objective).toBeCloseTo(1.5, 9);
		expect(lp.x![0] + lp.x![1]).toBeCloseTo(1.5, 9);
	});
	it('reports infeasible', async () => {
		const m = tiny();
		m.rowLower[0] = 3;
		m.rowUpper[0] = Infinity;
		const r = await createHighsSolver().solve(m, { relax: false, timeLimitS: 10 });
		expect(r.status).toBe('infeasible');
		expect(r.x).toBeNull();
	});
});
