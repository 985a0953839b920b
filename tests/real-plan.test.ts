/**
 * Planning on the real built regions (skipped without data/build): the plan's figures recomputed independently
 * by CoverageSession with the suggested sites added as facilities.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { regionInstance } from '../src/lib/engine/allocation/instance';
import { plan } from '../src/lib/engine/allocation/plan';
import type { CoverageSettings } from '../src/lib/engine/session';
import { settingsFromPolicy } from '../src/lib/engine/settings';
import { loadSession } from '../scripts/lib/load-built';
import { buildRoot } from '../scripts/lib/paths';

const built = (id: string) => existsSync(path.join(buildRoot, id, 'region.json'));

/** Population newly within the threshold after adding the sites to a coverage scenario (the independent path). */
function recount(session: ReturnType<typeof loadSession>, settings: CoverageSettings, sites: { lon: number; lat: number }[]) {
	const before = session.compute(settings).result.minutes;
	const sc = session.startScenario(settings);
	for (const s of sites) sc.addFacility(s.lon, s.lat);
	let gained = 0;
	for (let c = 0; c < session.cells.count; c++) if (sc.result.minutes[c] <= settings.maxMinutes && !(before[c] <= settings.maxMinutes)) gained += session.cells.population[c];
	return { gained, summary: session.summarizeScenario(sc, settings) };
}

describe.skipIf(!built('shanghai'))('Shanghai, walk, 15 min: Cover K = 10', () => {
	it('objectiveValue equals the gain CoverageSession computes with the sites added; the after table equals the scenario summary', async () => {
		const session = loadSession('shanghai');
		const settings = settingsFromPolicy(session.region.manifest.policy, { mode: 'walk', maxMinutes: 15 });
		const inst = regionInstance(session, settings, { kind: 'cells' });
		const r = await plan(inst, { objective: 'cover', sites: 10, targetShare: settings.targetShare });
		expect(r.sites).toHaveLength(10);
		const { gained, summary } = recount(session, settings, r.sites);
		expect(r.objectiveValue).toBeGreaterThan(100_000);
		expect(Math.abs(r.objectiveValue - gained)).toBeLessThan(1e-6 * gained);
		expect(r.after.rows).toEqual(summary.rows);
		expect(r.after.total).toEqual(summary.total);
		expect(r.bound).toBeGreaterThanOrEqual(r.objectiveValue);
	}, 120_000);
});

for (const id of ['xixiang', 'shanghai-yangpu-tongji'])
	describe.skipIf(!built(id))(`${id}: network planning recomputed by coverage`, () => {
		it('cover and target on the network (auto): gains and pass/fail equal the scenario', async () => {
			const session = loadSession(id);
			const settings = settingsFromPolicy(session.region.manifest.policy, { method: 'auto' });
			const inst = regionInstance(session, settings, { kind: 'cells' });
			const cover = await plan(inst, { objective: 'cover', sites: 3, targetShare: settings.targetShare });
			const c = recount(session, settings, cover.sites);
			expect(Math.abs(cover.objectiveValue - c.gained)).toBeLessThan(1e-6 * Math.max(1, c.gained));
			const target = await plan(inst, { objective: 'target', targetShare: settings.targetShare });
			const t = recount(session, settings, target.sites);
			expect(target.after.rows).toEqual(t.summary.rows);
			for (const need of target.areaNeeds!) if (need.reachable) expect(t.summary.rows[need.areaIndex].pass).toBe(true);
		}, 120_000);
	});
