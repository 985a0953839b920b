import { describe, expect, it } from 'vitest';
import { regionInstance } from '../allocation/instance';
import { syntheticSession } from '../allocation/testing/synthetic-session';
import type { CoverageSettings } from '../session';
import type { MethodChoice } from '../types';

/** Reach of candidate j as a map cell -> minutes. */
function reachOf(inst: ReturnType<typeof regionInstance>, j: number): Map<number, number> {
	const m = new Map<number, number>();
	for (let e = inst.reach.offsets[j]; e < inst.reach.offsets[j + 1]; e++) m.set(inst.reach.demand[e], inst.reach.minutes[e]);
	return m;
}

describe('reach sets equal what coverage computes with the site added (CoverageSession.startScenario + addFacility)', () => {
	const cases: { label: string; method: MethodChoice; minutes: number; perArea?: boolean }[] = [
		{ label: 'walk network', method: 'network', minutes: 10 },
		{ label: 'walk radius', method: 'radius', minutes: 15 },
		{ label: 'walk auto', method: 'auto', minutes: 12 },
		{ label: 'walk west + drive east, auto', method: 'auto', minutes: 6, perArea: true },
		{ label: 'walk west + drive east, network', method: 'network', minutes: 8, perArea: true }
	];
	for (const cs of cases)
		it(cs.label, () => {
			let checked = 0,
				excludedSeen = 0,
				reachedCells = 0;
			for (let seed = 1; seed <= 4; seed++) {
				const session = syntheticSession(seed * 101);
				const settings: CoverageSettings = {
					mode: 'walk',
					maxMinutes: cs.minutes,
					levels: ['chc'],
					targetShare: 0.9,
					method: cs.method,
					areaModeRules: cs.perArea ? [{ areaIds: ['east'], mode: 'drive' }] : undefined
				};
				const inst = regionInstance(session, settings, { kind: 'cells' });
				const T = cs.minutes;
				expect(inst.candidates.length).toBeGreaterThan(100);
				for (let j = 0; j < inst.candidates.length; j += 5) {
					const cand = inst.candidates[j];
					const sc = session.startScenario(settings);
					const methodBefore = sc.result.method.slice();
					sc.addFacility(cand.lon, cand.lat);
					if (inst.excluded?.[j]) {
						// left out because it would switch its piece to the network method: check that it really does
						let switched = 0;
						for (let c = 0; c < session.cells.count; c++) if (sc.result.method[c] !== methodBefore[c]) switched++;
						expect(switched, `seed ${seed} candidate ${j}`).toBeGreaterThan(0);
						excludedSeen++;
						continue;
					}
					const r = reachOf(inst, j);
					reachedCells += r.size;
					for (let c = 0; c < session.cells.count; c++) {
						const before = inst.demand.baseMinutes[c];
						const after = sc.result.minutes[c];
						const viaSite = r.get(c) ?? Infinity;
						// within the threshold the scenario's minutes are exactly min(before, site); beyond it, neither reaches
						if (after <= T) expect(after, `seed ${seed} cand ${j} cell ${c}`).toBe(Math.min(before, viaSite));
						else {
							expect(viaSite, `seed ${seed} cand ${j} cell ${c}`).toBe(Infinity);
							expect(before > T).toBe(true);
						}
						if (r.has(c)) expect(viaSite).toBeLessThanOrEqual(T);
					}
					checked++;
				}
			}
			expect(checked).toBeGreaterThan(60);
			expect(reachedCells).toBeGreaterThan(checked); // the sites really reach cells
			if (cs.method === 'auto') expect(excludedSeen).toBeGreaterThan(0); // the piece-switch rule was exercised
		});
});
