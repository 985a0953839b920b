/**
 * Test support (not used by the app): small random planning instances, seeded (the repo's one mulberry32), and
 * brute force over every K-subset as the independent reference.
 */
import { createSeededRng } from '../../synthetic';
import type { PlanInstance, ReachMatrix } from '../types';

export { createSeededRng };

export interface RandomInstanceOptions {
	demand: number;
	candidates: number;
	/** chance that a candidate reaches a demand point */
	density: number;
	/** share of demand points already within the threshold of an existing facility */
	coveredShare?: number;
	areas?: number;
	maxMinutes?: number;
	/** integer weights make exact ties likely (tie-break tests) */
	integerWeights?: boolean;
}

export function randomInstance(rng: () => number, o: RandomInstanceOptions): PlanInstance {
	const T = o.maxMinutes ?? 15;
	const n = o.demand,
		m = o.candidates;
	const weight = new Float64Array(n);
	const areaIndex = new Int32Array(n);
	const baseMinutes = new Float32Array(n);
	const areas = Array.from({ length: o.areas ?? 1 }, (_, i) => ({ id: `a${i}`, name: `Area ${i}` }));
	for (let c = 0; c < n; c++) {
		weight[c] = o.integerWeights ? 1 + Math.floor(rng() * 5) : 1 + rng() * 100;
		areaIndex[c] = Math.floor(rng() * areas.length);
		baseMinutes[c] = rng() < (o.coveredShare ?? 0) ? Math.fround(rng() * T) : rng() < 0.5 ? Infinity : Math.fround(T + 1 + rng() * T);
	}
	const offsets = new Uint32Array(m + 1);
	const dem: number[] = [];
	const min: number[] = [];
	for (let j = 0; j < m; j++) {
		for (let c = 0; c < n; c++)
			if (rng() < o.density) {
				dem.push(c);
				min.push(Math.fround(o.integerWeights ? Math.floor(rng() * 2 * T) : rng() * 2 * T));
			}
		offsets[j + 1] = dem.length;
	}
	const reach: ReachMatrix = { candidateCount: m, demandCount: n, cutoffMinutes: 2 * T, offsets, demand: Uint32Array.from(dem), minutes: Float32Array.from(min) };
	const candidates = Array.from({ length: m }, (_, j) => ({ id: `s${j}`, lon: 121 + j * 1e-3, lat: 31, kind: 'file' as const, source: j, areaIndex: Math.floor(rng() * areas.length) }));
	return { demand: { count: n, weight, areaIndex, baseMinutes }, candidates, reach, areas, maxMinutes: T };
}

/** Every k-subset of 0..n-1 in lexicographic order. */
export function* subsets(n: number, k: number): Generator<number[]> {
	const s = Array.from({ length: k }, (_, i) => i);
	if (k > n) return;
	for (;;) {
		yield s.slice();
		let i = k - 1;
		while (i >= 0 && s[i] === n - k + i) i--;
		if (i < 0) return;
		s[i]++;
		for (let t = i + 1; t < k; t++) s[t] = s[t - 1] + 1;
	}
}

/** Reference cost of an open set, straight from the definition (no shared code with the solvers). */
export function bruteCost(inst: PlanInstance, open: number[], perEntry: (minutes: number) => number, perBase: (minutes: number) => number): number {
	let total = 0;
	for (let c = 0; c < inst.demand.count; c++) {
		let best = perBase(inst.demand.baseMinutes[c]);
		for (const j of open)
			for (let e = inst.reach.offsets[j]; e < inst.reach.offsets[j + 1]; e++)
				if (inst.reach.demand[e] === c) best = Math.min(best, perEntry(inst.reach.minutes[e]));
		total += inst.demand.weight[c] * best;
	}
	return total;
}
