import { describe, expect, it } from 'vitest';
import { KejimapError } from '../../engine/errors';
import { applyEdit, createFacilitySet, orderedFacilities, type Edit } from '../../engine/scenario/edits';
import { fixture, fullRecompute } from '../../engine/scenario/testing';
import { CoverageSession, type CoverageSettings } from '../../engine/session';
import type { HandlerContext } from '../router';
import { createScenarioHandlers } from './scenario';

const ctx: HandlerContext = { progress: () => {}, checkpoint: async () => {}, cancelled: false };

describe('scenario handlers (the worker holds the live scenario)', () => {
	const fx = fixture(21);
	let session = new CoverageSession(fx.region, fx.facilities, fx.cells, fx.graphs);
	const h = createScenarioHandlers({ session: () => session, ensureGraphs: async () => 0 });
	const settings: CoverageSettings = { mode: 'walk', maxMinutes: 15, levels: ['chc', 'chs', 'village_clinic'], targetShare: 0.9, method: 'auto' };

	it('open, edits with changed cells only, undo by the inverse, a re-count, a comparison; all equal full recomputes', async () => {
		const [x, y] = fx.point();
		const first: Edit[] = [{ op: 'remove', facilityId: 'f000' }];
		const open = await h.scenarioOpen({ settings, edits: first }, ctx);
		const set = createFacilitySet(fx.facilities);
		first.forEach((e) => applyEdit(set, e));
		const ref0 = fullRecompute(fx, set, settings);
		expect(open.payload.summary).toEqual(ref0.run.summary);
		expect(Array.from(open.payload.minutes!)).toEqual(Array.from(ref0.run.result.minutes));
		expect(open.payload.facilities.find((f) => f.id === 'f000')).toMatchObject({ open: false });
		expect(open.transfer).toHaveLength(1);

		// the page's copy of the times, updated only from changed cells
		const minutes = open.payload.minutes!.slice();
		const add: Edit = { op: 'add', facilityId: 'new-1', name: '规划站点', level: 'chc', lon: x, lat: y };
		const r = await h.scenarioEdit({ edit: add });
		r.payload.changedCells.forEach((c, i) => (minutes[c] = r.payload.changedMinutes[i]));
		applyEdit(set, add);
		const ref1 = fullRecompute(fx, set, settings);
		expect(r.payload.summary).toEqual(ref1.run.summary);
		expect(Array.from(minutes)).toEqual(Array.from(ref1.run.result.minutes));
		expect(r.payload.changedCells.length).toBeLessThan(fx.cells.count);
		expect(r.payload.facilities).toEqual([expect.objectContaining({ id: 'new-1', added: true, open: true })]);
		expect(r.payload.inverse).toEqual({ op: 'unadd', facilityId: 'new-1' });

		// undo = the inverse edit; the added facility is reported as removed
		const u = await h.scenarioEdit({ edit: r.payload.inverse });
		u.payload.changedCells.forEach((c, i) => (minutes[c] = u.payload.changedMinutes[i]));
		applyEdit(set, r.payload.inverse);
		expect(u.payload.removedIds).toEqual(['new-1']);
		expect(u.payload.summary).toEqual(ref0.run.summary);
		expect(Array.from(minutes)).toEqual(Array.from(ref0.run.result.minutes));

		// a threshold change re-counts the same times
		const rc = await h.scenarioOpen({ settings: { ...settings, maxMinutes: 10, targetShare: 0.5 }, edits: first, recount: true }, ctx);
		expect(rc.payload.minutes).toBeNull();
		expect(rc.payload.summary).toEqual(fullRecompute(fx, set, { ...settings, maxMinutes: 10, targetShare: 0.5 }).run.summary);

		// compare the region's facilities with the scenario
		const cmp = await h.scenarioCompare({ settings, before: [], after: [...first, add] }, ctx);
		const base = new CoverageSession(fx.region, fx.facilities, fx.cells, fx.graphs).compute(settings);
		cmp.payload.rows.forEach((row, i) => {
			expect(row.coveredBefore).toBe(base.summary.rows[i].covered);
			expect(row.coveredAfter).toBe(ref1.run.summary.rows[i].covered);
		});
		expect(cmp.payload.cellChange.length).toBe(fx.cells.count);
	});

	it('a bad edit changes nothing; another region drops the live scenario', async () => {
		await h.scenarioOpen({ settings, edits: [] }, ctx);
		await expect(h.scenarioEdit({ edit: { op: 'move', facilityId: 'nope', lon: 1, lat: 1 } })).rejects.toMatchObject({ code: 'SCENARIO_EDIT' });
		const ok = await h.scenarioEdit({ edit: { op: 'remove', facilityId: 'f001' } });
		const set = createFacilitySet(fx.facilities);
		applyEdit(set, { op: 'remove', facilityId: 'f001' });
		expect(ok.payload.summary).toEqual(fullRecompute(fx, set, settings).run.summary);
		expect(orderedFacilities(set).filter((f) => !f.open).map((f) => f.id)).toEqual(['f001']);
		session = new CoverageSession(fx.region, fx.facilities, fx.cells, fx.graphs); // a region load replaces the session
		await expect(h.scenarioEdit({ edit: { op: 'remove', facilityId: 'f002' } })).rejects.toBeInstanceOf(KejimapError);
	});
});
