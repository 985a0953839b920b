/**
 * Consolidation on the real regions against brute force: for village clinics of Shanghai's suburbs and of the
 * counties, the served and the sole-coverage population equal a fresh CoverageSession on the facility list
 * without that clinic; the plan's coverage after equals a fresh session without every closed clinic.
 * Auto method on a traced network: the reach-set loss is an upper bound (a piece that loses its last clinic
 * falls back to the service radius); the radius regions must agree exactly.
 */
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { consolidate } from '../src/lib/engine/allocation/consolidate';
import { consolidateRegion, consolidationInstance } from '../src/lib/engine/allocation/consolidate-region';
import { elderlyInstance } from '../src/lib/engine/allocation/elderly';
import { plan } from '../src/lib/engine/allocation/plan';
import { haversineM } from '../src/lib/engine/geo/measure';
import { PROFILES } from '../src/lib/engine/modes';
import { regionInstance } from '../src/lib/engine/allocation/instance';
import { CoverageSession, type CoverageSettings } from '../src/lib/engine/session';
import type { Facility } from '../src/lib/engine/types';
import { buildRegion } from '../scripts/build-region';
import { loadSession, readBuiltElderly } from '../scripts/lib/load-built';
import { dataRoot } from '../scripts/lib/paths';

const REGIONS = ['shanghai', 'lingqiu', 'anlong'];

function settingsOf(s: CoverageSession): CoverageSettings {
	const p = s.region.manifest.policy;
	return { mode: p.mode, maxMinutes: p.maxMinutes, levels: p.levels, targetShare: p.targetShare, method: 'auto', areaModeRules: p.areaModeRules };
}

/** Covered population (unrounded) of a fresh session on a facility list. */
function coveredWith(s: CoverageSession, facilities: Facility[], st: CoverageSettings): number {
	const fresh = new CoverageSession(s.region, facilities, s.cells, s.graphs);
	const { result } = fresh.compute(st);
	let sum = 0;
	for (let c = 0; c < s.cells.count; c++) if (result.minutes[c] <= st.maxMinutes) sum += s.cells.population[c];
	return sum;
}

describe.skipIf(!existsSync(dataRoot))('consolidation on the real regions', () => {
	beforeAll(async () => {
		for (const id of REGIONS) await buildRegion(id, { log: () => {} });
	}, 600_000);

	for (const id of REGIONS) {
		it(`${id}: per clinic, served and loss equal a recompute without it`, () => {
			const s = loadSession(id);
			const st = settingsOf(s);
			const active = s.activeIndices(st.levels);
			const inst = regionInstance(s, st, { kind: 'file', sites: [...active].map((f) => ({ id: s.facilities[f].id, lon: s.facilities[f].lon, lat: s.facilities[f].lat })) });
			const rowFacility = Int32Array.from(active);
			const res = consolidate({
				population: s.cells.population,
				rowFacility,
				reach: inst.reach,
				maxMinutes: st.maxMinutes,
				candidate: (r) => s.facilities[rowFacility[r]].level === 'village_clinic',
				params: { maxLossPeople: 0, minServicePopulation: 1000 }
			});
			const { result } = s.compute(st);
			let base = 0;
			for (let c = 0; c < s.cells.count; c++) if (result.minutes[c] <= st.maxMinutes) base += s.cells.population[c];
			// Shanghai: the suburban districts' clinics, a spread sample (a fresh session each); the counties: all of them (up to 25)
			const step = Math.max(1, Math.floor(res.clinics.length / 25));
			const sample = res.clinics.filter((_, i) => i % step === 0);
			let exact = 0;
			for (const c of sample) {
				let served = 0;
				for (let k = 0; k < s.cells.count; k++) if (result.facility[k] === c.facility && result.minutes[k] <= st.maxMinutes) served += s.cells.population[k];
				expect(c.servedPopulation, `${id} ${s.facilities[c.facility].name} served`).toBeCloseTo(served, 6);
				const actual = base - coveredWith(s, s.facilities.filter((_, i) => i !== c.facility), st);
				if (s.region.hasNetwork) expect(c.lossPopulation, `${id} ${s.facilities[c.facility].name} loss`).toBeGreaterThanOrEqual(actual - 1e-6);
				else expect(c.lossPopulation, `${id} ${s.facilities[c.facility].name} loss`).toBeCloseTo(actual, 6);
				if (Math.abs(c.lossPopulation - actual) < 1e-6) exact++;
			}
			expect(sample.length).toBeGreaterThan(10);
			expect(exact / sample.length).toBeGreaterThan(0.8);
		}, 120_000);
	}

	it('the plan after the closures equals a fresh session without the closed clinics; assumed clinics are said so', () => {
		for (const id of ['shanghai', 'anlong']) {
			const s = loadSession(id);
			const st = settingsOf(s);
			const plan = consolidateRegion(s, st);
			const closed = new Set(plan.closures.map((c) => c.clinic.index));
			const fresh = new CoverageSession(s.region, s.facilities.filter((_, i) => !closed.has(i)), s.cells, s.graphs);
			expect(plan.after).toEqual(fresh.compute(st).summary);
			expect(plan.after.total.covered).toBe(plan.before.total.covered); // no loss allowed by default
			expect(plan.closures.length).toBeGreaterThan(0);
			for (const c of plan.closures) {
				expect(c.servedPopulation < plan.params.minServicePopulation || c.reason === 'township-seat').toBe(true);
				expect(closed.has(c.takeover?.index ?? -1)).toBe(false);
			}
			expect(plan.clinicsAssumed).toBe(id === 'anlong');
			expect(plan.assumptions.length).toBe(id === 'anlong' ? 2 : 0);
		}
	}, 120_000);

	it('plan() with objective consolidate: the same closures, the after table of a fresh session, the bound holds', async () => {
		const s = loadSession('anlong');
		const st = settingsOf(s);
		const direct = consolidateRegion(s, st, { minServicePopulation: 1500 });
		const r = (await plan(consolidationInstance(s, st), { objective: 'consolidate', minServicePopulation: 1500 })) as unknown as Record<string, unknown> & Awaited<ReturnType<typeof plan>>;
		const ext = r.extensions as { closures: { id: string; servedPopulation: number; takeover: { id: string } | null }[]; circuitCare: unknown[] };
		expect(ext.closures.map((c) => c.id)).toEqual(direct.closures.map((c) => c.clinic.id));
		expect(ext.closures.map((c) => c.takeover?.id ?? null)).toEqual(direct.closures.map((c) => c.takeover?.id ?? null));
		expect(r.objectiveValue).toBe(direct.closures.length);
		expect(r.objectiveValue).toBeLessThanOrEqual(r.bound);
		expect(r.sites).toEqual([]);
		const closed = new Set(direct.closures.map((c) => c.clinic.index));
		const fresh = new CoverageSession(s.region, s.facilities.filter((_, i) => !closed.has(i)), s.cells, s.graphs).compute(st).summary;
		expect(r.after.rows).toEqual(fresh.rows);
		expect(r.after.total).toEqual(fresh.total);
		expect(r.diagnostics.notes.map((n) => n.code)).toContain('assumedClinics');
		expect(r.params.minServicePopulation).toBe(1500);
	}, 120_000);

	it('shanghai, objective elderly: the homes with no counted facility within 15 minutes equal a straight-line brute force', async () => {
		const s = loadSession('shanghai');
		const st = settingsOf(s);
		const elderly = readBuiltElderly('shanghai')!;
		expect(elderly.careHomes).toHaveLength(626);
		const r = await plan(elderlyInstance(s, st, elderly), { objective: 'elderly' });
		const got = (r.extensions!.homesWithoutCare as { id: string }[]).map((h) => h.id).sort();
		// Shanghai is radius-only: the nearest counted facility by haversine x detour / speed
		const prof = PROFILES[st.mode];
		const active = [...s.activeIndices(st.levels)];
		const want = elderly
			.careHomes!.filter((h) => {
				let best = Infinity;
				for (const f of active) best = Math.min(best, haversineM(h.lon, h.lat, s.facilities[f].lon, s.facilities[f].lat));
				return (best * prof.detourFactor) / prof.defaultSpeedMps / 60 > st.maxMinutes;
			})
			.map((h) => h.id)
			.sort();
		expect(got).toEqual(want);
		expect(want.length).toBeGreaterThan(50);
		expect(r.objectiveValue).toBe(want.length);
	}, 120_000);
});
