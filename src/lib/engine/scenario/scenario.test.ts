import { describe, expect, it } from 'vitest';
import { KejimapError } from '../errors';
import { createRng } from '../routing/testing/random-graphs';
import { CoverageSession, type CoverageSettings } from '../session';
import type { CellResult, Facility, FacilityLevel } from '../types';
import { applyEdit, createFacilitySet, nextAddedId, orderedFacilities, type Edit, type FacilitySet } from './edits';
import { planEdit, planResultProposal } from './plan-edit';
import { canRedo, canUndo, commit, editsOf, EMPTY_HISTORY, redo, replay, undo, type History } from './history';
import { compareResults } from './compare';
import { LiveScenario } from './live-scenario';
import { fixture, fullRecompute, type Fixture } from './testing';

/** First cell where the live result differs from the reference (minutes bits, method, facility by id), or -1. */
function firstDifference(live: LiveScenario, ref: { ids: string[]; run: { result: CellResult } }): number {
	const a = live.result,
		b = ref.run.result;
	const am = new Uint32Array(a.minutes.buffer, a.minutes.byteOffset, a.minutes.length);
	const bm = new Uint32Array(b.minutes.buffer, b.minutes.byteOffset, b.minutes.length);
	for (let c = 0; c < am.length; c++) {
		const idA = live.slotId(a.facility[c]);
		const idB = b.facility[c] >= 0 ? ref.ids[b.facility[c]] : null;
		if (am[c] !== bm[c] || a.method[c] !== b.method[c] || idA !== idB) return c;
	}
	return -1;
}

function copyResult(r: CellResult): CellResult {
	return { minutes: r.minutes.slice(), facility: r.facility.slice(), method: r.method.slice() };
}

const SETTINGS: CoverageSettings[] = [
	{ mode: 'walk', maxMinutes: 15, levels: ['chc', 'chs', 'village_clinic'], targetShare: 0.9, method: 'auto' },
	{ mode: 'drive', maxMinutes: 5, levels: ['chc', 'chs'], targetShare: 0.8, method: 'network' },
	{ mode: 'walk', maxMinutes: 10, levels: ['chc', 'village_clinic'], targetShare: 0.9, method: 'radius' },
	{ mode: 'walk', maxMinutes: 15, levels: ['chc', 'chs', 'village_clinic'], targetShare: 0.9, method: 'auto', areaModeRules: [{ areaIds: ['east'], mode: 'drive' }] }
];

// ---- tests ----

describe('edits: apply returns the inverse', () => {
	const base: Facility[] = [
		{ id: 'a', name: 'A', level: 'chc', lon: 121.4, lat: 31.2, source: 't' },
		{ id: 'b', name: 'B', level: 'village_clinic', lon: 121.41, lat: 31.21, source: 't' }
	];
	const snapshot = (s: FacilitySet) => JSON.stringify(orderedFacilities(s));

	it('every op, then its inverse, gives back the same facilities', () => {
		const edits: Edit[] = [
			{ op: 'add', facilityId: 'new-1', name: 'Planned 1', level: 'chs', lon: 121.42, lat: 31.22 },
			{ op: 'move', facilityId: 'a', lon: 121.401, lat: 31.201 },
			{ op: 'remove', facilityId: 'a' },
			{ op: 'merge', facilityId: 'b', intoId: 'a' },
			{ op: 'level', facilityId: 'b', level: 'chs' },
			{ op: 'batch', label: 'plan', edits: [{ op: 'add', facilityId: 'new-2', name: 'P2', level: 'chc', lon: 121.43, lat: 31.23 }, { op: 'remove', facilityId: 'b' }] }
		];
		for (const e of edits) {
			const s = createFacilitySet(base);
			if (e.op === 'merge') applyEdit(s, { op: 'level', facilityId: 'a', level: 'chc' }); // a stays open
			const before = snapshot(s);
			const inv = applyEdit(s, e);
			expect(snapshot(s), e.op).not.toBe(before);
			const again = applyEdit(s, inv);
			expect(snapshot(s), `${e.op} undone`).toBe(before);
			applyEdit(s, again);
			const redone = createFacilitySet(base);
			if (e.op === 'merge') applyEdit(redone, { op: 'level', facilityId: 'a', level: 'chc' });
			applyEdit(redone, e);
			expect(snapshot(s), `${e.op} redone`).toBe(snapshot(redone));
		}
	});

	it('merge names the clinic that takes over; restore reopens it and a second undo merges again', () => {
		const s = createFacilitySet(base);
		const inv = applyEdit(s, { op: 'merge', facilityId: 'b', intoId: 'a' });
		expect(s.byId.get('b')).toMatchObject({ open: false, mergedInto: 'a' });
		expect(inv).toEqual({ op: 'restore', facilityId: 'b' });
		expect(applyEdit(s, inv)).toEqual({ op: 'merge', facilityId: 'b', intoId: 'a' });
		expect(s.byId.get('b')).toMatchObject({ open: true, mergedInto: null });
	});

	it('refuses impossible edits with SCENARIO_EDIT naming the facility, and leaves the set unchanged', () => {
		const s = createFacilitySet(base);
		applyEdit(s, { op: 'remove', facilityId: 'b' });
		const before = snapshot(s);
		const bad: [Edit, RegExp][] = [
			[{ op: 'move', facilityId: 'zz', lon: 1, lat: 1 }, /no facility "zz"/],
			[{ op: 'move', facilityId: 'b', lon: 121, lat: 31 }, /"b" is closed/],
			[{ op: 'move', facilityId: 'a', lon: 31.2, lat: 121.4 }, /not a WGS84/],
			[{ op: 'remove', facilityId: 'b' }, /already closed/],
			[{ op: 'merge', facilityId: 'a', intoId: 'b' }, /"b" .* is closed/],
			[{ op: 'merge', facilityId: 'a', intoId: 'a' }, /itself/],
			[{ op: 'add', facilityId: 'a', name: 'x', level: 'chc', lon: 121, lat: 31 }, /already exists/],
			[{ op: 'level', facilityId: 'a', level: 'spa' as FacilityLevel }, /unknown level "spa"/],
			[{ op: 'unadd', facilityId: 'a' }, /region's data/],
			[{ op: 'restore', facilityId: 'a' }, /is open/],
			// a batch is all or nothing: its first edit is rolled back when the second fails
			[{ op: 'batch', label: 'p', edits: [{ op: 'move', facilityId: 'a', lon: 121.5, lat: 31.5 }, { op: 'remove', facilityId: 'b' }] }, /already closed/]
		];
		for (const [e, msg] of bad) {
			let err: unknown;
			try {
				applyEdit(s, e);
			} catch (x) {
				err = x;
			}
			expect(err, JSON.stringify(e)).toBeInstanceOf(KejimapError);
			expect((err as KejimapError).code).toBe('SCENARIO_EDIT');
			expect((err as KejimapError).message).toMatch(msg);
			expect(snapshot(s), JSON.stringify(e)).toBe(before);
		}
	});

	it('new ids avoid the region and the scenario; a plan becomes one batch', () => {
		const s = createFacilitySet([...base, { id: 'new-1', name: 'taken', level: 'chs', lon: 121, lat: 31, source: 't' }]);
		expect(nextAddedId(s)).toBe('new-2');
		const plan = planEdit(s, { label: 'MCLP 2', sites: [{ lon: 121.123456789, lat: 31.1 }, { lon: 121.2, lat: 31.2, name: 'X' }], closures: [{ facilityId: 'b', intoId: 'a' }] }, 'chs', (i) => `site ${i + 1}`);
		expect(plan).toEqual({
			op: 'batch',
			label: 'MCLP 2',
			edits: [
				{ op: 'add', facilityId: 'new-2', name: 'site 1', level: 'chs', lon: 121.1234568, lat: 31.1 },
				{ op: 'add', facilityId: 'new-3', name: 'X', level: 'chs', lon: 121.2, lat: 31.2 },
				{ op: 'merge', facilityId: 'b', intoId: 'a' }
			]
		});
	});
});

describe('history: undo / redo as pure data', () => {
	it('commit clears redo; undo then redo returns the same edits; the old history objects are untouched', () => {
		const s = createFacilitySet([{ id: 'a', name: 'A', level: 'chc', lon: 121.4, lat: 31.2 }]);
		const apply = (e: Edit) => applyEdit(s, e);
		let h: History = EMPTY_HISTORY;
		h = commit(h, { op: 'move', facilityId: 'a', lon: 121.5, lat: 31.3 }, apply);
		h = commit(h, { op: 'remove', facilityId: 'a' }, apply);
		const h2 = h;
		h = undo(h, apply);
		expect(h2.done).toHaveLength(2);
		expect(s.byId.get('a')).toMatchObject({ open: true, lon: 121.5 });
		h = undo(h, apply);
		expect(s.byId.get('a')).toMatchObject({ open: true, lon: 121.4 });
		expect(canUndo(h)).toBe(false);
		expect(undo(h, apply)).toBe(h);
		h = redo(h, apply);
		h = redo(h, apply);
		expect(canRedo(h)).toBe(false);
		expect(editsOf(h)).toEqual(editsOf(h2));
		expect(s.byId.get('a')).toMatchObject({ open: false, lon: 121.5 });
		h = undo(h, apply);
		h = commit(h, { op: 'level', facilityId: 'a', level: 'chs' }, apply);
		expect(canRedo(h)).toBe(false);
		expect(editsOf(h).map((e) => e.op)).toEqual(['move', 'level']);
		// replaying the edits on a fresh set gives the same facilities
		const t = createFacilitySet([{ id: 'a', name: 'A', level: 'chc', lon: 121.4, lat: 31.2 }]);
		replay(editsOf(h), (e) => applyEdit(t, e));
		expect(orderedFacilities(t)).toEqual(orderedFacilities(s));
	});

	it('a failing edit leaves the history as it was', () => {
		const s = createFacilitySet([{ id: 'a', name: 'A', level: 'chc', lon: 121.4, lat: 31.2 }]);
		const apply = (e: Edit) => applyEdit(s, e);
		const h = commit(EMPTY_HISTORY, { op: 'remove', facilityId: 'a' }, apply);
		let after = h;
		expect(() => (after = commit(h, { op: 'remove', facilityId: 'a' }, apply))).toThrow(KejimapError);
		expect(after).toBe(h);
	});
});

describe('LiveScenario equals a full recompute after random edit sequences with undo and redo (property test)', () => {
	for (const [si, settings] of SETTINGS.entries()) {
		it(`settings ${si}: ${settings.mode} ${settings.method}${settings.areaModeRules ? ' + per-area drive' : ''}`, () => {
			let steps = 0,
				changedTotal = 0,
				undos = 0,
				redos = 0,
				partial = 0;
			for (let seed = 1; seed <= 4; seed++) {
				const fx = fixture(seed + si * 10);
				const session = new CoverageSession(fx.region, fx.facilities, fx.cells, fx.graphs);
				const live = new LiveScenario(session, settings);
				const rng = createRng(seed * 101 + si);
				let h: History = EMPTY_HISTORY;
				const check = (what: string, before: CellResult) => {
					const ref = fullRecompute(fx, live.facilities, settings);
					const c = firstDifference(live, ref);
					expect(c, `seed ${seed} ${what}: cell ${c}`).toBe(-1);
					expect(live.summary(), `seed ${seed} ${what}: summary`).toEqual(ref.run.summary);
					expect(live.diagnostics(), `seed ${seed} ${what}: diagnostics`).toEqual(ref.run.diagnostics);
					// every cell whose result changed was reported (so the map repaints only those, and all of them)
					const reported = new Set(lastChanged);
					let changed = 0;
					for (let k = 0; k < fx.cells.count; k++)
						if (!Object.is(before.minutes[k], live.result.minutes[k]) || before.facility[k] !== live.result.facility[k] || before.method[k] !== live.result.method[k]) {
							changed++;
							expect(reported.has(k), `seed ${seed} ${what}: cell ${k} changed but not reported`).toBe(true);
						}
					changedTotal += changed;
					if (reported.size < fx.cells.count / 2) partial++;
				};
				let lastChanged: Int32Array = new Int32Array(0);
				const tracked = (e: Edit) => {
					const r = live.apply(e);
					lastChanged = r.changedCells;
					return r.inverse;
				};
				for (let step = 0; step < 40; step++) {
					const before = copyResult(live.result);
					const open = orderedFacilities(live.facilities).filter((f) => f.open);
					const r = rng();
					let what: string;
					if (r < 0.2 && canUndo(h)) {
						h = undo(h, tracked);
						what = `undo`;
						undos++;
					} else if (r < 0.45 && canRedo(h)) {
						h = redo(h, tracked);
						what = `redo`;
						redos++;
					} else {
						const pick = () => open[Math.floor(rng() * open.length)];
						const q = rng();
						let e: Edit;
						if (open.length < 2 || q < 0.25) {
							const [lon, lat] = rng() < 0.2 && open.length ? [pick().lon, pick().lat] : fx.point();
							e = { op: 'add', facilityId: nextAddedId(live.facilities), name: 'planned', level: (['chc', 'chs', 'hospital'] as const)[Math.floor(rng() * 3)], lon, lat };
						} else if (q < 0.45) {
							const [lon, lat] = fx.point();
							e = { op: 'move', facilityId: pick().id, lon, lat };
						} else if (q < 0.6) e = { op: 'remove', facilityId: pick().id };
						else if (q < 0.7) {
							const [x, y] = [pick(), pick()];
							e = x.id === y.id ? { op: 'remove', facilityId: x.id } : { op: 'merge', facilityId: x.id, intoId: y.id };
						} else if (q < 0.85) e = { op: 'level', facilityId: pick().id, level: (['chc', 'chs', 'village_clinic', 'hospital'] as const)[Math.floor(rng() * 4)] };
						else {
							const closed = orderedFacilities(live.facilities).filter((f) => !f.open);
							e = planEdit(live.facilities, { label: 'plan', sites: [{ lon: fx.point()[0], lat: fx.point()[1] }, { lon: fx.point()[0], lat: fx.point()[1] }] }, 'chs', (i) => `site ${i}`);
							if (closed.length && e.op === 'batch') e.edits.push({ op: 'restore', facilityId: closed[0].id });
						}
						h = commit(h, e, tracked);
						what = `${e.op} ${'facilityId' in e ? e.facilityId : ''}`;
					}
					steps++;
					check(`step ${step} ${what}`, before);
				}
				// replaying the edit list from scratch (a file, a link, a reload) gives the same figures
				const fresh = new LiveScenario(session, settings, editsOf(h));
				expect(fresh.summary()).toEqual(live.summary());
				// and so does a new session (what another machine does with the file)
				replayCheck(fx, settings, editsOf(h), live);
			}
			expect(steps).toBe(4 * 40);
			expect(undos).toBeGreaterThan(10);
			expect(redos).toBeGreaterThan(5);
			expect(changedTotal).toBeGreaterThan(steps); // edits really changed cells
			expect(partial).toBeGreaterThan(steps / 2); // most edits repaint a minority of cells
		});
	}
});

/** Replays edits on a new session and checks the figures and the facility set equal `live`'s. */
function replayCheck(fx: Fixture, settings: CoverageSettings, edits: Edit[], live: LiveScenario): void {
	const other = new LiveScenario(new CoverageSession(fx.region, fx.facilities, fx.cells, fx.graphs), settings, edits);
	expect(other.summary()).toEqual(live.summary());
	expect(orderedFacilities(other.facilities)).toEqual(orderedFacilities(live.facilities));
}

describe('compareResults: base against a scenario', () => {
	it('before/after equal the two tables; gained and lost equal a per-cell count; pass changes match', () => {
		const fx = fixture(7);
		const settings = SETTINGS[0];
		const session = new CoverageSession(fx.region, fx.facilities, fx.cells, fx.graphs);
		const base = session.compute(settings);
		const live = new LiveScenario(session, settings);
		live.apply({ op: 'remove', facilityId: 'f000' });
		live.apply({ op: 'remove', facilityId: 'f001' });
		for (let i = 0; i < 4; i++) {
			const [lon, lat] = fx.point();
			live.apply({ op: 'add', facilityId: `new-${i}`, name: 'p', level: 'chc', lon, lat });
		}
		const after = live.summary();
		const cmp = compareResults(fx.cells, fx.region.areas, base.result, live.result, settings.maxMinutes, settings.targetShare);
		cmp.rows.forEach((r, i) => {
			expect(r.coveredBefore).toBe(base.summary.rows[i].covered);
			expect(r.coveredAfter).toBe(after.rows[i].covered);
			expect(r.passBefore).toBe(base.summary.rows[i].pass);
			expect(r.passAfter).toBe(after.rows[i].pass);
			expect(r.shortfallAfter).toBe(after.rows[i].shortfall);
			let g = 0,
				l = 0;
			for (let c = 0; c < fx.cells.count; c++) {
				if (fx.cells.areaIndex[c] !== i) continue;
				const was = base.result.minutes[c] <= settings.maxMinutes,
					now = live.result.minutes[c] <= settings.maxMinutes;
				if (now && !was) g += fx.cells.population[c];
				if (was && !now) l += fx.cells.population[c];
			}
			expect([r.gained, r.lost]).toEqual([g, l]); // integer populations: exact
			expect(r.coveredAfter - r.coveredBefore).toBe(r.gained - r.lost);
		});
		expect(cmp.total.coveredAfter).toBe(after.total.covered);
		expect(cmp.total.gained + cmp.total.lost).toBeGreaterThan(0);
		let changedCells = 0;
		for (let c = 0; c < fx.cells.count; c++) {
			const d = (live.result.minutes[c] <= settings.maxMinutes ? 1 : 0) - (base.result.minutes[c] <= settings.maxMinutes ? 1 : 0);
			expect(cmp.cellChange[c]).toBe(d);
			changedCells += d !== 0 ? 1 : 0;
		}
		expect(changedCells).toBeGreaterThan(0);
		expect(cmp.passChanges).toEqual(cmp.rows.filter((r) => r.passBefore !== r.passAfter).map((r) => ({ areaId: r.areaId, name: r.name, passAfter: r.passAfter })));
	});
});

describe('a plan result as one undoable step', () => {
	it('sites become adds (upgrades level changes), closures merges or removes; one undo gives back the base figures', () => {
		const fx = fixture(3);
		const settings = SETTINGS[0];
		const session = new CoverageSession(fx.region, fx.facilities, fx.cells, fx.graphs);
		const live = new LiveScenario(session, settings);
		const base = live.summary();
		const [x1, y1] = fx.point();
		const sites = [
			{ kind: 'cell' as const, lon: x1, lat: y1 },
			{ kind: 'upgrade' as const, id: 'f003', lon: fx.facilities[3].lon, lat: fx.facilities[3].lat } // a hospital: not counted
		].map((s, i) => ({ candidate: i, id: `c${i}`, areaIndex: 0, areaId: 'west', gain: 1, rank: i + 1, runningTotal: 1, ...s }));
		const proposal = planResultProposal('plan: 2 sites, 2 closures', { sites }, fx.facilities, [
			{ facility: 2, takeoverFacility: 1 },
			{ facility: 6, takeoverFacility: -1 }
		]);
		const edit = planEdit(live.facilities, proposal, 'chs', (i) => `规划站点 ${i + 1}`);
		expect(edit).toEqual({
			op: 'batch',
			label: 'plan: 2 sites, 2 closures',
			edits: [
				{ op: 'add', facilityId: 'new-1', name: '规划站点 1', level: 'chs', lon: x1, lat: y1 },
				{ op: 'level', facilityId: 'f003', level: 'chs' },
				{ op: 'merge', facilityId: 'f002', intoId: 'f001' },
				{ op: 'remove', facilityId: 'f006' }
			]
		});
		let h = commit(EMPTY_HISTORY, edit, (e) => live.apply(e).inverse);
		expect(h.done).toHaveLength(1);
		expect(live.summary()).toEqual(fullRecompute(fx, live.facilities, settings).run.summary);
		expect(live.summary()).not.toEqual(base);
		h = undo(h, (e) => live.apply(e).inverse);
		expect(live.summary()).toEqual(base);
		expect(orderedFacilities(live.facilities)).toEqual(orderedFacilities(createFacilitySet(fx.facilities)));
	});
});
