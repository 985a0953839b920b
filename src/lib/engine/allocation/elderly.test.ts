/** Elderly care homes and elderly demand weights against independent calculations. */
import { describe, expect, it } from 'vitest';
import { cellCenter, lonLatToCell, neighbours, polygonRingsToCells } from '../geo/h3';
import { haversineM } from '../geo/measure';
import { WALK } from '../modes';
import { createRng } from '../routing/testing/random-graphs';
import type { CellTable } from '../types';
import { plan } from './plan';
import { bruteCost, createSeededRng, randomInstance, subsets } from './testing/random-instance';
import { careHomeAccess, demandWeights, homesWithoutCare, weightedInstance, type CareHome } from './elderly';

function gridCells(seed: number): CellTable {
	const rng = createRng(seed);
	const w = 121.3,
		s = 31.1;
	const h3 = polygonRingsToCells(
		[
			[
				[w, s],
				[w + 0.04, s],
				[w + 0.04, s + 0.03],
				[w, s + 0.03],
				[w, s]
			]
		],
		9
	).filter(() => rng() < 0.8); // holes: some homes fall on cells the grid lacks
	const c = h3.map(cellCenter);
	return {
		resolution: 9,
		count: h3.length,
		h3,
		lon: Float64Array.from(c, (x) => x[0]),
		lat: Float64Array.from(c, (x) => x[1]),
		population: Float64Array.from(h3, () => Math.round(rng() * 500)),
		areaIndex: Int32Array.from(h3, () => (rng() < 0.1 ? -1 : Math.floor(rng() * 3))),
		populationMethod: 'uniform'
	};
}

function randomHomes(seed: number, count: number): CareHome[] {
	const rng = createRng(seed);
	return Array.from({ length: count }, (_, i) => ({ id: `h${i}`, name: `home ${i}`, beds: 10 + Math.floor(rng() * 300), lon: 121.29 + rng() * 0.06, lat: 31.09 + rng() * 0.05, row: i + 2 }));
}

describe('careHomeAccess / homesWithoutCare (radius)', () => {
	it('equal the straight-line brute force: haversine x detour / speed to the nearest counted facility', () => {
		const rng = createRng(7);
		const homes = randomHomes(8, 80);
		const facilities = Array.from({ length: 15 }, () => ({ lon: 121.29 + rng() * 0.06, lat: 31.09 + rng() * 0.05 }));
		const active = [0, 2, 3, 5, 7, 8, 9, 11, 12, 14];
		const access = careHomeAccess(homes, { facilities, active, profile: WALK, method: 'radius', cutoffMinutes: 60, graph: null });
		const T = 12;
		const want: string[] = [];
		homes.forEach((h, i) => {
			const best = Math.min(...active.map((f) => haversineM(h.lon, h.lat, facilities[f].lon, facilities[f].lat)));
			const minutes = (best * WALK.detourFactor) / WALK.defaultSpeedMps / 60;
			if (minutes <= 60) expect(access.minutes[i]).toBeCloseTo(minutes, 4);
			else expect(access.minutes[i]).toBe(Infinity);
			if (minutes > T) want.push(h.id);
		});
		const got = homesWithoutCare(homes, access, T);
		expect(new Set(got.map((g) => g.home.id))).toEqual(new Set(want));
		expect(want.length).toBeGreaterThan(5);
		for (let i = 1; i < got.length; i++) expect(got[i - 1].home.beds).toBeGreaterThanOrEqual(got[i].home.beds);
	});
});

describe('demandWeights', () => {
	const cells = gridCells(3);
	it('elderly-beds: every home on the grid cell nearest to it (brute force over all cells), beds conserved', () => {
		const homes = randomHomes(4, 60);
		const { weight, beds } = demandWeights('elderly-beds', cells, { homes });
		const want = new Float64Array(cells.count);
		let far = 0;
		for (const h of homes) {
			let best = -1,
				bestM = Infinity;
			for (let c = 0; c < cells.count; c++) {
				const d = haversineM(h.lon, h.lat, cells.lon[c], cells.lat[c]);
				if (d < bestM) [best, bestM] = [c, d];
			}
			const own = lonLatToCell(h.lon, h.lat, 9);
			const ownIndex = cells.h3.indexOf(own);
			// the home's own cell when the grid has it, else the nearest centre if it lies within 3 rings
			if (ownIndex >= 0) want[ownIndex] += h.beds;
			else if (neighbours(own, 3).includes(cells.h3[best])) want[best] += h.beds;
			else far += h.beds;
		}
		expect(beds!.attached + beds!.bedsLeftOut).toBe(homes.reduce((s, h) => s + h.beds, 0));
		expect(beds!.bedsLeftOut).toBe(far);
		expect(far).toBeGreaterThan(0); // the homes reach beyond the grid: the left-out rule is exercised
		expect([...weight]).toEqual([...want]);
	});
	it('age60: population x the area share; outside every area the population-weighted mean', () => {
		const share = [0.2, 0.3, 0.15];
		const { weight } = demandWeights('age60', cells, { ageShareByArea: share });
		let pop = 0,
			old = 0;
		for (let c = 0; c < cells.count; c++)
			if (cells.areaIndex[c] >= 0) {
				pop += cells.population[c];
				old += cells.population[c] * share[cells.areaIndex[c]];
			}
		for (let c = 0; c < cells.count; c++) expect(weight[c]).toBeCloseTo(cells.population[c] * (cells.areaIndex[c] >= 0 ? share[cells.areaIndex[c]] : old / pop), 9);
	});
	it('population is the cell population; the elderly kinds without their inputs say which manifest field is missing', () => {
		expect([...demandWeights('population', cells).weight]).toEqual([...cells.population]);
		expect(() => demandWeights('elderly-beds', cells)).toThrow(/elderly.careHomes/);
		expect(() => demandWeights('age60', cells)).toThrow(/elderly.ages/);
	});
});

describe('weightedInstance: Cover on elderly weights', () => {
	it('plan() cover K = 2 on the reweighted instance equals brute force over every pair, with the weights as demand', async () => {
		const rng = createSeededRng(11);
		const inst = randomInstance(rng, { demand: 40, candidates: 9, density: 0.25, coveredShare: 0.2 });
		const beds = Float64Array.from({ length: 40 }, () => (rng() < 0.6 ? 0 : Math.round(rng() * 200)));
		const w = weightedInstance(inst, { kind: 'elderly-beds', weight: beds, beds: { attached: 0, homesLeftOut: 0, bedsLeftOut: 0 } });
		expect(w.reach).toBe(inst.reach);
		expect(w.demand.weight).toBe(beds);
		const r = await plan(w, { objective: 'cover', sites: 2, exact: 'never', lpBound: false });
		const T = inst.maxMinutes;
		const uncovered = (m: number) => (m <= T ? 0 : 1);
		let best = 0;
		const base = bruteCost(w, [], uncovered, uncovered);
		for (const s of subsets(9, 2)) best = Math.max(best, base - bruteCost(w, s, uncovered, uncovered));
		expect(r.objectiveValue).toBeCloseTo(best, 6);
		expect(r.diagnostics.notes.map((n) => n.code)).toContain('demandWeight.elderly-beds');
		// the population-weighted answer differs: the weights steer the choice
		const rp = await plan(inst, { objective: 'cover', sites: 2, exact: 'never', lpBound: false });
		expect(rp.objectiveValue).not.toBeCloseTo(r.objectiveValue, 3);
	});
});
