/**
 * The uncapacitated facility-location form that Cover and Median share.
 *
 * Each demand point c has a weight w_c and a cost with the existing facilities only, base_c; opening candidate j
 * offers cost d_e on each of its reach entries e = (j, c). With the set S open, cost_c(S) = min(base_c,
 * min over open entries d_e), and the objective is the saving f(S) = sum_c w_c (base_c - cost_c(S)), which is
 * monotone and submodular (so lazy greedy is exact per step and the online bound below is valid).
 *  - Cover (MCLP): base_c = 1 for people beyond the threshold, 0 within it; d_e = 0 when the entry is within
 *    the threshold, else 1. f(S) = people newly within the threshold.
 *  - Median: base_c = min(existing minutes, penalty); d_e = min(minutes, penalty). f(S) = minutes saved.
 */
import type { ReachMatrix } from './types';

export interface SavingsModel {
	reach: ReachMatrix;
	weight: Float64Array; // per demand point
	base: Float64Array; // per demand point
	/** per reach entry; Float32 like the reach minutes (half the memory of Float64 on big regions) */
	cost: Float32Array;
	/** 1 = may not be chosen */
	excluded?: Uint8Array;
}

/** Total weighted base cost: f(S) is measured from it. */
export function baseTotal(m: SavingsModel): number {
	let s = 0;
	for (let c = 0; c < m.weight.length; c++) s += m.weight[c] * m.base[c];
	return s;
}

/** Current cost per demand point for a set of open candidates, and the saving of that set. */
export function evaluateSet(m: SavingsModel, open: ArrayLike<number>): { cost: Float64Array; saving: number } {
	const cur = Float64Array.from(m.base);
	const { offsets, demand } = m.reach;
	for (let i = 0; i < open.length; i++) {
		const j = open[i];
		for (let e = offsets[j]; e < offsets[j + 1]; e++) {
			const c = demand[e];
			if (m.cost[e] < cur[c]) cur[c] = m.cost[e];
		}
	}
	let saving = 0;
	for (let c = 0; c < cur.length; c++) saving += m.weight[c] * (m.base[c] - cur[c]);
	return { cost: cur, saving };
}

/** Marginal saving of candidate j given the current costs. */
export function gainOf(m: SavingsModel, cur: Float64Array, j: number): number {
	const { offsets, demand } = m.reach;
	let g = 0;
	for (let e = offsets[j]; e < offsets[j + 1]; e++) {
		const c = demand[e];
		const d = cur[c] - m.cost[e];
		if (d > 0) g += m.weight[c] * d;
	}
	return g;
}

/** Applies candidate j to the current costs. */
export function openSite(m: SavingsModel, cur: Float64Array, j: number): void {
	const { offsets, demand } = m.reach;
	for (let e = offsets[j]; e < offsets[j + 1]; e++) {
		const c = demand[e];
		if (m.cost[e] < cur[c]) cur[c] = m.cost[e];
	}
}

/**
 * Online bound (Minoux; Leskovec et al. 2007): for monotone submodular f and any S, the best K-set has
 * f* <= f(S) + the sum of the K largest marginal gains at S. Cheap (one pass over the reach matrix), and valid
 * without an LP. Returns that upper bound on the best saving.
 */
export function onlineUpperBound(m: SavingsModel, cur: Float64Array, saving: number, k: number, open: ArrayLike<number>): number {
	const n = m.reach.candidateCount;
	const isOpen = new Uint8Array(n);
	for (let i = 0; i < open.length; i++) isOpen[open[i]] = 1;
	const gains: number[] = [];
	for (let j = 0; j < n; j++) {
		if (isOpen[j] || m.excluded?.[j]) continue;
		const g = gainOf(m, cur, j);
		if (g > 0) gains.push(g);
	}
	gains.sort((a, b) => b - a);
	let s = saving;
	for (let i = 0; i < Math.min(k, gains.length); i++) s += gains[i];
	return s;
}
