/**
 * Consolidation against brute force: every figure is recomputed with computeCoverage on the facility list
 * without the clinic(s) in question, independently of the reach sets and of the greedy's bookkeeping.
 */
import { describe, expect, it } from 'vitest';
import { computeCoverage, prepareNetwork, type NetworkContext } from '../coverage/coverage';
import { metresPerDegree } from '../geo/measure';
import { DRIVE, WALK, type ModeProfile } from '../modes';
import { createRng, randomGraph } from '../routing/testing/random-graphs';
import type { CellResult, CellTable, MethodChoice } from '../types';
import { consolidate, townshipSeatRows, type ReachRows } from './consolidate';

interface Instance {
	cells: CellTable;
	facilities: { lon: number; lat: number }[];
	active: number[];
	village: Set<number>;
	profile: ModeProfile;
	method: MethodChoice;
	network: NetworkContext | null;
	maxMinutes: number;
}

function cellTable(lon: number[], lat: number[], pop: number[]): CellTable {
	return {
		resolution: 9,
		count: lon.length,
		h3: lon.map((_, i) => `c${i}`),
		lon: Float64Array.from(lon),
		lat: Float64Array.from(lat),
		population: Float64Array.from(pop),
		areaIndex: new Int32Array(lon.length),
		populationMethod: 'uniform'
	};
}

function run(inst: Instance, active: number[]): CellResult {
	return computeCoverage({ cells: inst.cells, facilities: inst.facilities, active, profile: inst.profile, method: inst.method, cutoffMinutes: inst.maxMinutes, network: inst.network }).result;
}

/** Reach sets from one coverage run per facility (the facility alone): the time from every cell to it. */
function bruteReach(inst: Instance): ReachRows {
	const offsets = new Uint32Array(inst.active.length + 1);
	const demand: number[] = [],
		minutes: number[] = [];
	inst.active.forEach((f, r) => {
		const res = run(inst, [f]);
		for (let c = 0; c < inst.cells.count; c++)
			if (res.minutes[c] <= inst.maxMinutes) {
				demand.push(c);
				minutes.push(res.minutes[c]);
			}
		offsets[r + 1] = demand.length;
	});
	return { offsets, demand: Uint32Array.from(demand), minutes: Float32Array.from(minutes) };
}

const coveredPop = (inst: Instance, res: CellResult) => {
	let s = 0;
	for (let c = 0; c < inst.cells.count; c++) if (res.minutes[c] <= inst.maxMinutes) s += inst.cells.population[c];
	return s;
};
const servedBy = (inst: Instance, res: CellResult, f: number) => {
	let s = 0;
	for (let c = 0; c < inst.cells.count; c++) if (res.facility[c] === f && res.minutes[c] <= inst.maxMinutes) s += inst.cells.population[c];
	return s;
};

function radiusInstance(seed: number): Instance {
	const rng = createRng(seed);
	const lat0 = 31 + rng() * 5;
	const { mPerDegLon, mPerDegLat } = metresPerDegree(lat0);
	const boxM = 3000 + rng() * 4000;
	const pt = () => [120 + (rng() * boxM) / mPerDegLon, lat0 + (rng() * boxM) / mPerDegLat];
	const n = 150 + Math.floor(rng() * 150);
	const lon: number[] = [],
		lat: number[] = [],
		pop: number[] = [];
	for (let i = 0; i < n; i++) {
		const [x, y] = pt();
		lon.push(x);
		lat.push(y);
		pop.push(rng() < 0.2 ? 0 : Math.round(rng() * 300)); // integers: sums compare exactly
	}
	const k = 8 + Math.floor(rng() * 14);
	const facilities = Array.from({ length: k }, () => {
		const [x, y] = pt();
		return { lon: x, lat: y };
	});
	const active = facilities.flatMap((_, i) => (rng() < 0.85 ? [i] : []));
	const village = new Set(active.filter(() => rng() < 0.7));
	return { cells: cellTable(lon, lat, pop), facilities, active, village, profile: WALK, method: 'radius', network: null, maxMinutes: 10 + Math.floor(rng() * 10) };
}

function networkInstance(seed: number): Instance {
	const rng = createRng(seed);
	const g = randomGraph(rng, { nodes: 120, symmetric: true, weights: 'float', parts: 1 });
	const near = () => {
		const v = Math.floor(rng() * g.nodeCount);
		return [g.lon[v] + (rng() - 0.5) * 0.0005, g.lat[v] + (rng() - 0.5) * 0.0005];
	};
	const lon: number[] = [],
		lat: number[] = [],
		pop: number[] = [];
	for (let i = 0; i < 200; i++) {
		const [x, y] = near();
		lon.push(x);
		lat.push(y);
		pop.push(Math.round(rng() * 200));
	}
	const facilities = Array.from({ length: 12 }, () => {
		const [x, y] = near();
		return { lon: x, lat: y };
	});
	const cells = cellTable(lon, lat, pop);
	const network = prepareNetwork(g, cells, facilities, DRIVE);
	const active = facilities.map((_, i) => i);
	const village = new Set(active.filter(() => rng() < 0.75));
	return { cells, facilities, active, village, profile: DRIVE, method: 'network', network, maxMinutes: 2 + rng() * 4 };
}

function check(inst: Instance, params: { maxLossPeople: number; minServicePopulation: number }) {
	const reach = bruteReach(inst);
	const rowFacility = Int32Array.from(inst.active);
	const res = consolidate({
		population: inst.cells.population,
		rowFacility,
		reach,
		maxMinutes: inst.maxMinutes,
		candidate: (r) => inst.village.has(rowFacility[r]),
		params
	});
	const base = run(inst, inst.active);
	const baseCovered = coveredPop(inst, base);
	// per clinic, before any closure: served = nearest within the threshold; loss = covered before - after closing it
	expect(res.clinics.map((c) => c.facility)).toEqual(inst.active.filter((f) => inst.village.has(f)));
	for (const c of res.clinics) {
		expect(c.servedPopulation, `served ${c.facility}`).toBe(servedBy(inst, base, c.facility));
		const without = run(inst, inst.active.filter((f) => f !== c.facility));
		expect(c.lossPopulation, `loss ${c.facility}`).toBe(baseCovered - coveredPop(inst, without));
	}
	// the sequence: each closure's figures equal a recompute without the clinics closed before it
	const closed: number[] = [];
	const kept = new Set<number>();
	let nobodysNearest = 0;
	let lost = 0;
	for (const cl of res.closures) {
		expect(inst.village.has(cl.facility) && !closed.includes(cl.facility) && !kept.has(cl.facility)).toBe(true);
		const before = run(inst, inst.active.filter((f) => !closed.includes(f)));
		closed.push(cl.facility);
		const after = run(inst, inst.active.filter((f) => !closed.includes(f)));
		expect(cl.servedPopulation).toBe(servedBy(inst, before, cl.facility));
		expect(cl.lossPopulation).toBe(coveredPop(inst, before) - coveredPop(inst, after));
		expect(cl.servedPopulation < params.minServicePopulation).toBe(true);
		lost += cl.lossPopulation;
		// the takeover: the open facility that now serves most of the closed clinic's catchment
		const gain = new Map<number, number>();
		for (let c = 0; c < inst.cells.count; c++)
			if (before.facility[c] === cl.facility && before.minutes[c] <= inst.maxMinutes && after.minutes[c] <= inst.maxMinutes && inst.cells.population[c] > 0)
				gain.set(after.facility[c], (gain.get(after.facility[c]) ?? 0) + inst.cells.population[c]);
		if (gain.size === 0) {
			// nobody's nearest: the facility nearest for most of the people it reaches (its reach = its own run)
			const alone = run(inst, [cl.facility]);
			for (let c = 0; c < inst.cells.count; c++)
				if (alone.minutes[c] <= inst.maxMinutes && after.minutes[c] <= inst.maxMinutes && inst.cells.population[c] > 0)
					gain.set(after.facility[c], (gain.get(after.facility[c]) ?? 0) + inst.cells.population[c]);
			nobodysNearest++;
		}
		const best = [...gain.entries()].filter(([, p]) => p > 0).sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
		expect(cl.takeoverFacility, `takeover of ${cl.facility}`).toBe(best ? best[0] : -1);
		if (best) kept.add(best[0]);
	}
	expect(lost).toBeLessThanOrEqual(params.maxLossPeople);
	// the bound: every clinic that closed was eligible before any closure (served < min, alone loss within the limit)
	for (const cl of res.closures) {
		const c0 = res.clinics.find((c) => c.facility === cl.facility)!;
		expect(c0.servedPopulation < params.minServicePopulation && c0.lossPopulation <= params.maxLossPeople).toBe(true);
	}
	expect(res.initiallyEligible).toBe(res.clinics.filter((c) => c.servedPopulation < params.minServicePopulation && c.lossPopulation <= params.maxLossPeople).length);
	expect(res.lostPopulation).toBe(lost);
	expect(baseCovered - coveredPop(inst, run(inst, inst.active.filter((f) => !closed.includes(f))))).toBe(lost);
	// nothing more could close: every open, unkept small clinic would lose more than the budget left
	const final = run(inst, inst.active.filter((f) => !closed.includes(f)));
	const finalCovered = coveredPop(inst, final);
	for (const f of inst.active) {
		if (!inst.village.has(f) || closed.includes(f) || kept.has(f)) continue;
		if (!(servedBy(inst, final, f) < params.minServicePopulation)) continue;
		const without = run(inst, inst.active.filter((x) => x !== f && !closed.includes(x)));
		expect(lost + finalCovered - coveredPop(inst, without), `clinic ${f} could still close`).toBeGreaterThan(params.maxLossPeople);
	}
	return { ...res, nobodysNearest };
}

describe('consolidate: figures and the greedy sequence equal a brute-force recompute', () => {
	it('radius method, random instances, no loss allowed and some loss allowed', () => {
		let closures = 0,
			withLoss = 0,
			nobodys = 0;
		for (let seed = 1; seed <= 40; seed++) {
			const inst = radiusInstance(seed);
			const r0 = check(inst, { maxLossPeople: 0, minServicePopulation: 2000 });
			closures += r0.closures.length;
			nobodys += r0.nobodysNearest;
			const r = check(inst, { maxLossPeople: 300, minServicePopulation: 1500 });
			withLoss += r.closures.filter((c) => c.lossPopulation > 0).length;
		}
		// the instances must exercise the rule (not pass vacuously)
		expect(closures).toBeGreaterThan(20);
		expect(withLoss).toBeGreaterThan(3);
		expect(nobodys).toBeGreaterThan(0);
	});

	it('network method (drive, symmetric random graphs)', () => {
		let closures = 0;
		for (let seed = 100; seed < 120; seed++) closures += check(networkInstance(seed), { maxLossPeople: 100, minServicePopulation: 3000 }).closures.length;
		expect(closures).toBeGreaterThan(10);
	});

	it('two clinics covering each other: only one closes, and the other is named central', () => {
		// three cells in a row, clinics at cells 0 and 1 reach both; cell 2 is reached by clinic 1 only
		const reach: ReachRows = { offsets: Uint32Array.from([0, 2, 5]), demand: Uint32Array.from([0, 1, 0, 1, 2]), minutes: Float32Array.from([1, 2, 2, 1, 3]) };
		const res = consolidate({
			population: [100, 100, 50],
			rowFacility: Int32Array.from([4, 7]),
			reach,
			maxMinutes: 15,
			candidate: () => true,
			params: { maxLossPeople: 0, minServicePopulation: 1000 }
		});
		expect(res.clinics.map((c) => [c.facility, c.servedPopulation, c.lossPopulation])).toEqual([
			[4, 100, 0],
			[7, 150, 50]
		]);
		expect(res.closures).toHaveLength(1);
		expect(res.closures[0]).toMatchObject({ facility: 4, servedPopulation: 100, lossPopulation: 0, takeoverFacility: 7, takeoverPopulation: 100 });
	});

	it('is deterministic: equal served populations close the lower facility index first', () => {
		const reach: ReachRows = { offsets: Uint32Array.from([0, 1, 2, 4]), demand: Uint32Array.from([0, 1, 0, 1]), minutes: Float32Array.from([1, 1, 5, 5]) };
		const args = { population: [10, 10], rowFacility: Int32Array.from([9, 3, 5]), reach, maxMinutes: 15, candidate: (r: number) => r < 2, params: { maxLossPeople: 0, minServicePopulation: 100 } };
		const a = consolidate(args);
		expect(a.closures.map((c) => c.facility)).toEqual([3, 9]);
		expect(consolidate(args)).toEqual(a);
	});

	it('a clinic at a township seat may close however many it serves; the loss limit still holds', () => {
		const reach: ReachRows = { offsets: Uint32Array.from([0, 2, 4]), demand: Uint32Array.from([0, 1, 0, 1]), minutes: Float32Array.from([1, 1, 2, 2]) };
		const res = consolidate({
			population: [5000, 5000],
			rowFacility: Int32Array.from([0, 1]),
			reach,
			maxMinutes: 15,
			candidate: (r) => r === 0,
			atTownshipSeat: (r) => r === 0,
			params: { maxLossPeople: 0, minServicePopulation: 1000 }
		});
		expect(res.closures).toMatchObject([{ facility: 0, reason: 'township-seat', takeoverFacility: 1, takeoverPopulation: 10000 }]);
	});

	it('townshipSeatRows: village clinics within the distance of a township-level facility', () => {
		const { mPerDegLon } = metresPerDegree(31);
		const fac = [
			{ lon: 121, lat: 31, level: 'township' as const },
			{ lon: 121 + 900 / mPerDegLon, lat: 31, level: 'village_clinic' as const },
			{ lon: 121 + 1100 / mPerDegLon, lat: 31, level: 'village_clinic' as const },
			{ lon: 121 + 10 / mPerDegLon, lat: 31, level: 'chs' as const }
		];
		expect([...townshipSeatRows(fac, Int32Array.from([0, 1, 2, 3]), ['township', 'chc'], 1000)]).toEqual([0, 1, 0, 0]);
	});

	it('rejects bad parameters with the field named', () => {
		const reach: ReachRows = { offsets: Uint32Array.from([0]), demand: new Uint32Array(0), minutes: new Float32Array(0) };
		expect(() => consolidate({ population: [], rowFacility: new Int32Array(0), reach, maxMinutes: 15, candidate: () => true, params: { maxLossPeople: -1, minServicePopulation: 10 } })).toThrow(
			/maxLossPeople/
		);
	});
});
