import { describe, expect, it } from 'vitest';
import { fetchFromFiles, makeSyntheticRegion, SYNTHETIC_ID } from '../../../../tests/e2e/fixtures/synthetic-region';
import type { CoverageSettings } from '../../engine/session';
import type { FacilityLevel } from '../../engine/types';
import { CancelledInWorker, type HandlerContext } from '../router';
import { createHighsSolver } from '../solvers/highs';
import { createHandlers } from './index';
import type { PlanResponse } from './planning';

const BASE = 'http://test.local/data/';
const ctx: HandlerContext = { progress: () => {}, checkpoint: async () => {}, cancelled: false };
// the hospital and the village clinic are not counted: two sparse levels leave people to cover
const LEVELS: FacilityLevel[] = ['chc', 'chs'];
const SETTINGS: CoverageSettings = { mode: 'walk', maxMinutes: 10, levels: LEVELS, targetShare: 0.9, method: 'radius' };

async function setup() {
	const fx = makeSyntheticRegion();
	const h = createHandlers({ fetch: fetchFromFiles(fx.files, BASE), solver: () => createHighsSolver() });
	await h.loadRegion({ dataUrl: BASE, regionId: SYNTHETIC_ID }, ctx);
	return { fx, h };
}

describe('plan handler on the synthetic region', () => {
	it('cover: the after table equals coverage with the suggested sites added (a scenario, not the reach sets)', async () => {
		const { h } = await setup();
		const res = (await h.plan({ settings: SETTINGS, params: { objective: 'cover', sites: 3 }, candidates: 'cells' }, ctx)).payload as PlanResponse;
		const r = res.result;
		expect(r.sites.length).toBe(3);
		expect(res.reusedReach).toBe(false);
		const session = h.session!;
		expect(r.before.total.covered).toBe(session.compute(SETTINGS).summary.total.covered);
		const sc = session.startScenario(SETTINGS);
		for (const s of r.sites) sc.addFacility(s.lon, s.lat);
		const after = session.summarizeScenario(sc, SETTINGS);
		expect(r.after.total.covered).toBe(after.total.covered);
		expect(r.after.rows.map((x) => x.covered)).toEqual(after.rows.map((x) => x.covered));
		// gains add up to the people newly covered, and the value is within the proven bound
		const gained = r.sites.reduce((a, s) => a + s.gain, 0);
		expect(gained).toBeCloseTo(r.after.total.covered - r.before.total.covered, -1);
		expect(r.objectiveValue).toBeLessThanOrEqual(r.bound + 1e-6);
		expect(r.boundShare).toBeGreaterThan(0);
		expect(r.boundShare).toBeLessThanOrEqual(1);
	});

	it('a second run at the same setting reuses the reach sets; K = 1 picks the best single site (brute force over candidates)', async () => {
		const { h } = await setup();
		await h.plan({ settings: SETTINGS, params: { objective: 'cover', sites: 3 }, candidates: 'cells' }, ctx);
		const one = (await h.plan({ settings: SETTINGS, params: { objective: 'cover', sites: 1 }, candidates: 'cells' }, ctx)).payload as PlanResponse;
		expect(one.reusedReach).toBe(true);
		const session = h.session!;
		const base = session.compute(SETTINGS).summary.total.covered;
		let best = 0;
		for (let c = 0; c < session.cells.count; c++) {
			if (!(session.cells.population[c] > 0)) continue;
			const sc = session.startScenario(SETTINGS);
			sc.addFacility(session.cells.lon[c], session.cells.lat[c]);
			best = Math.max(best, session.summarizeScenario(sc, SETTINGS).total.covered - base);
		}
		expect(one.result.after.total.covered - base).toBe(best);
	});

	it('consolidate returns the closures and circuit-care lists', async () => {
		const { h } = await setup();
		const settings: CoverageSettings = { ...SETTINGS, levels: ['chc', 'chs', 'village_clinic'] };
		const res = (await h.plan({ settings, params: { objective: 'consolidate', minServicePopulation: 1e6, maxLossPeople: 1e9 }, candidates: 'cells' }, ctx)).payload as PlanResponse;
		expect(res.consolidation).not.toBeNull();
		expect(res.consolidation!.consolidation.clinicCount).toBe(1);
		// with no limits the one village clinic may close
		expect(res.consolidation!.closures.length).toBe(1);
		expect(Array.isArray(res.consolidation!.circuitCare)).toBe(true);
	});

	it('cancel: a checkpoint that throws stops the run; bad input names the field', async () => {
		const { h } = await setup();
		const cancelling: HandlerContext = {
			progress: () => {},
			checkpoint: async () => {
				throw new CancelledInWorker();
			},
			cancelled: true
		};
		await expect(h.plan({ settings: SETTINGS, params: { objective: 'cover', sites: 2 }, candidates: 'cells' }, cancelling)).rejects.toBeInstanceOf(CancelledInWorker);
		await expect(h.plan({ settings: SETTINGS, params: { objective: 'nope' }, candidates: 'cells' }, ctx)).rejects.toMatchObject({ code: 'BAD_ARGUMENT', detail: { field: 'objective' } });
		await expect(h.plan({ settings: SETTINGS, params: { objective: 'cover' }, candidates: 'plots' as 'cells' }, ctx)).rejects.toMatchObject({ detail: { field: 'candidates' } });
	});
});
