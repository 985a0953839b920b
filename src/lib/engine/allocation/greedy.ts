/**
 * Lazy greedy (CELF, Minoux 1978 / Leskovec et al. 2007) over a SavingsModel. Each step opens the candidate with
 * the largest marginal saving, ties to the lower index, exactly as a plain greedy would: the heap holds stale
 * gains, which can only be too high (submodularity); the top is re-evaluated until a fresh gain stays on top.
 */
import { Ticker } from './control';
import { gainOf, openSite, type SavingsModel } from './savings';
import type { PlanControl } from './types';

export interface GreedyStep {
	candidate: number;
	gain: number;
}

/** Max-heap of candidates by (gain desc, index asc). */
export class GainHeap {
	readonly idx: Int32Array;
	readonly key: Float64Array;
	size = 0;
	constructor(cap: number) {
		this.idx = new Int32Array(cap);
		this.key = new Float64Array(cap);
	}
	private above(a: number, b: number): boolean {
		const ka = this.key[a],
			kb = this.key[b];
		return ka > kb || (ka === kb && this.idx[a] < this.idx[b]);
	}
	private swap(a: number, b: number): void {
		const i = this.idx[a],
			k = this.key[a];
		this.idx[a] = this.idx[b];
		this.key[a] = this.key[b];
		this.idx[b] = i;
		this.key[b] = k;
	}
	push(j: number, g: number): void {
		let p = this.size++;
		this.idx[p] = j;
		this.key[p] = g;
		while (p > 0) {
			const q = (p - 1) >> 1;
			if (!this.above(p, q)) break;
			this.swap(p, q);
			p = q;
		}
	}
	/** replace the top's key and sift it down */
	updateTop(g: number): void {
		this.key[0] = g;
		this.down(0);
	}
	pop(): void {
		this.size--;
		if (this.size > 0) {
			this.idx[0] = this.idx[this.size];
			this.key[0] = this.key[this.size];
			this.down(0);
		}
	}
	private down(p: number): void {
		for (;;) {
			const l = 2 * p + 1,
				r = l + 1;
			let m = p;
			if (l < this.size && this.above(l, m)) m = l;
			if (r < this.size && this.above(r, m)) m = r;
			if (m === p) return;
			this.swap(p, m);
			p = m;
		}
	}
}

/**
 * Opens up to k candidates, starting from `cur` (costs per demand point, updated in place). Stops early when no
 * candidate saves anything. `open` lists candidates already open (not offered again).
 */
export async function lazyGreedy(m: SavingsModel, cur: Float64Array, k: number, control?: PlanControl, open: ArrayLike<number> = []): Promise<GreedyStep[]> {
	const n = m.reach.candidateCount;
	const heap = new GainHeap(n);
	const skip = new Uint8Array(n);
	for (let i = 0; i < open.length; i++) skip[open[i]] = 1;
	const ticker = new Ticker(control);
	for (let j = 0; j < n; j++) {
		if (skip[j] || m.excluded?.[j]) continue;
		const g = gainOf(m, cur, j);
		if (g > 0) heap.push(j, g);
		if (ticker.due()) await ticker.tick({ stage: 'greedy', done: 0, total: k });
	}
	// freshness: the step at which the top's key was computed
	const fresh = new Int32Array(n).fill(0);
	const steps: GreedyStep[] = [];
	let evals = 0;
	while (steps.length < k && heap.size > 0) {
		const j = heap.idx[0];
		if (fresh[j] === steps.length) {
			const gain = heap.key[0];
			heap.pop();
			steps.push({ candidate: j, gain });
			openSite(m, cur, j);
			continue;
		}
		const g = gainOf(m, cur, j);
		evals++;
		fresh[j] = steps.length;
		if (g > 0) heap.updateTop(g);
		else heap.pop();
		if ((evals & 255) === 0 && ticker.due()) await ticker.tick({ stage: 'greedy', done: steps.length, total: k });
	}
	return steps;
}
