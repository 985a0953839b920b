/**
 * 1-swap local search (vertex substitution; Teitz & Bart 1968) over a SavingsModel: close one open site, open
 * one closed candidate, keep the swap when it lowers the total cost. Each pass evaluates every (out, in) pair
 * at once, Whitaker's (1983) fast-interchange way: per demand point the best and second-best cost, per open
 * site its removal loss, per candidate its gain and a per-site correction from its own reach entries. A pass
 * costs one sweep over the reach matrix plus candidates x K. Best improvement per pass, ties to the lower
 * candidate then the lower open position, so the result is deterministic.
 */
import { createSeededRng } from '../synthetic';
import { Ticker } from './control';
import type { SavingsModel } from './savings';
import type { PlanControl } from './types';

export interface SwapResult {
	open: number[];
	swaps: number;
	/** total weighted cost after the search */
	cost: number;
	/** sweeps over the reach matrix (passes run, the last one finding nothing) */
	passes: number;
}

/** Per-point best and second-best cost over base and the open sites; owner = position in `open`, -1 = base. */
function assign(m: SavingsModel, open: number[], c1: Float64Array, c2: Float64Array, who: Int32Array): void {
	c1.set(m.base);
	c2.set(m.base);
	who.fill(-1);
	const { offsets, demand } = m.reach;
	for (let p = 0; p < open.length; p++) {
		const j = open[p];
		for (let e = offsets[j]; e < offsets[j + 1]; e++) {
			const c = demand[e];
			const d = m.cost[e];
			if (d < c1[c]) {
				c2[c] = c1[c];
				c1[c] = d;
				who[c] = p;
			} else if (d < c2[c]) c2[c] = d;
		}
	}
}

export async function swapSearch(m: SavingsModel, start: number[], control?: PlanControl, maxPasses = 100): Promise<SwapResult> {
	const open = start.slice();
	const k = open.length;
	const n = m.weight.length;
	const nc = m.reach.candidateCount;
	const { offsets, demand } = m.reach;
	const w = m.weight;
	const c1 = new Float64Array(n),
		c2 = new Float64Array(n);
	const who = new Int32Array(n);
	const loss = new Float64Array(k);
	const corr = new Float64Array(k);
	const touched = new Int32Array(k);
	const touchedBy = new Int32Array(k).fill(-1); // candidate that last touched corr[p]
	const isOpen = new Uint8Array(nc);
	const ticker = new Ticker(control);
	let swaps = 0;
	const total = () => {
		let s = 0;
		for (let c = 0; c < n; c++) s += w[c] * c1[c];
		return s;
	};
	assign(m, open, c1, c2, who);
	let cost = total();
	if (k === 0) return { open, swaps, cost, passes: 0 };
	let passes = 0;
	for (let pass = 0; pass < maxPasses; pass++) {
		passes++;
		isOpen.fill(0);
		touchedBy.fill(-1);
		for (const j of open) isOpen[j] = 1;
		loss.fill(0);
		for (let c = 0; c < n; c++) if (who[c] >= 0) loss[who[c]] += w[c] * (c2[c] - c1[c]);
		let bestDelta = -1e-9 * Math.max(1, Math.abs(cost)),
			bestIn = -1,
			bestOut = -1;
		for (let j = 0; j < nc; j++) {
			if (isOpen[j] || m.excluded?.[j]) continue;
			let gain = 0,
				nt = 0;
			for (let e = offsets[j]; e < offsets[j + 1]; e++) {
				const c = demand[e];
				const t = m.cost[e];
				if (t >= c2[c]) continue; // no gain (c2 >= c1) and no correction
				const a = c1[c];
				if (t < a) gain += w[c] * (a - t);
				const p = who[c];
				if (p >= 0 && t < c2[c]) {
					// closing p and opening j: the point goes to min(t, c2) instead of c1 - counted apart as
					// -max(0, c1 - t) (gain) and +(c2 - c1) (loss); this corrects the sum
					const real = Math.min(t, c2[c]) - a;
					const apart = -(a > t ? a - t : 0) + (c2[c] - a);
					if (touchedBy[p] !== j) {
						touchedBy[p] = j;
						touched[nt++] = p;
					}
					corr[p] += w[c] * (real - apart);
				}
			}
			if (gain <= 0) {
				for (let i = 0; i < nt; i++) corr[touched[i]] = 0;
				continue;
			}
			for (let p = 0; p < k; p++) {
				const delta = -gain + loss[p] + corr[p];
				if (delta < bestDelta) {
					bestDelta = delta;
					bestIn = j;
					bestOut = p;
				}
			}
			for (let i = 0; i < nt; i++) corr[touched[i]] = 0;
			if ((j & 1023) === 0 && ticker.due()) await ticker.tick({ stage: 'swap', done: pass, total: maxPasses });
		}
		if (bestIn < 0) break;
		const out = open[bestOut];
		open[bestOut] = bestIn;
		assign(m, open, c1, c2, who);
		const next = total();
		if (!(next < cost)) {
			// rounding made a zero-gain swap look improving: undo it and stop
			open[bestOut] = out;
			assign(m, open, c1, c2, who);
			break;
		}
		swaps++;
		cost = next;
	}
	return { open, swaps, cost, passes };
}

export interface ShakeOptions {
	/** shake rounds at most (PLAN_DEFAULTS.shakeRounds) */
	rounds: number;
	/** stop once the shakes' swap passes have swept this many reach entries in all (PLAN_DEFAULTS.shakeMaxEntries) */
	maxEntries: number;
	/** mulberry32 seed (PLAN_DEFAULTS.shakeSeed): the same instance gives the same result */
	seed: number;
}

/**
 * Basic VNS (Mladenovic & Hansen 1997) around swapSearch: from the best set so far, replace kShake = 1..3 random
 * open sites by random closed candidates, run 1-swap from there, and keep the result only when it is strictly
 * cheaper (then kShake goes back to 1, else up by one, cycling). Leaves a 1-swap local optimum that a single
 * swap cannot. Never worse than `start` (a 1-swap result); seeded, so deterministic; bounded by rounds and by the
 * reach entries swept, so its work scales with the instance and not with the clock.
 */
export async function shakeSearch(m: SavingsModel, start: SwapResult, o: ShakeOptions, control?: PlanControl): Promise<SwapResult & { rounds: number; improvements: number; sweptEntries: number }> {
	let best = start;
	const k = start.open.length;
	const nc = m.reach.candidateCount;
	const free: number[] = [];
	for (let j = 0; j < nc; j++) if (!m.excluded?.[j]) free.push(j);
	if (k === 0 || free.length <= k || o.rounds <= 0) return { ...best, rounds: 0, improvements: 0, sweptEntries: 0 };
	const rng = createSeededRng(o.seed);
	const entries = Math.max(1, m.reach.offsets[nc]);
	const ticker = new Ticker(control);
	const isOpen = new Uint8Array(nc);
	let swept = 0,
		kShake = 1,
		round = 0,
		improvements = 0;
	const kMax = Math.min(3, k);
	for (; round < o.rounds && swept < o.maxEntries; round++) {
		if (ticker.due()) await ticker.tick({ stage: 'shake', done: round, total: o.rounds });
		const open = best.open.slice();
		isOpen.fill(0);
		for (const j of open) isOpen[j] = 1;
		for (let s = 0; s < kShake; s++) {
			const pos = Math.floor(rng() * k);
			let j = free[Math.floor(rng() * free.length)];
			while (isOpen[j]) j = free[Math.floor(rng() * free.length)]; // free.length > k: some candidate is closed
			isOpen[open[pos]] = 0;
			isOpen[j] = 1;
			open[pos] = j;
		}
		const r = await swapSearch(m, open, control);
		swept += r.passes * entries;
		if (r.cost < best.cost - 1e-9 * Math.max(1, Math.abs(best.cost))) {
			best = { open: r.open, swaps: best.swaps + r.swaps, cost: r.cost, passes: best.passes + r.passes };
			improvements++;
			kShake = 1;
		} else kShake = (kShake % kMax) + 1;
	}
	return { ...best, rounds: round, improvements, sweptEntries: swept };
}
