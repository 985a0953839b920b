/**
 * Test support (not used by the app): small random graphs that stress the routing kernels —
 * random geometric graphs, directed or symmetric, with duplicate arcs, zero-weight arcs,
 * disconnected parts and many exact ties (integer weights) — plus an independent brute force.
 */
import { buildCsr, renumberHilbert, type CsrInput } from '../../graph/csr';
import type { CsrGraph } from '../../types';
import type { FacilitySeed, Labels } from '../shortest-paths';

/** mulberry32: small deterministic PRNG, [0, 1) (one implementation, shared with the synthetic city). */
export { createSeededRng as createRng } from '../../synthetic';

export interface RandomGraphOptions {
	nodes: number;
	symmetric: boolean;
	/** 'int' = integer seconds (many ties), 'float' = Float32 fractions, 'mixed' */
	weights?: 'int' | 'float' | 'mixed';
	/** number of separate clusters (disconnected parts) */
	parts?: number;
	/** share of arcs that get a duplicate with another weight */
	duplicateShare?: number;
	/** share of arcs with weight 0 */
	zeroShare?: number;
	/** renumber along a Hilbert curve (like the pipeline does) */
	hilbert?: boolean;
}

/** Random geometric graph: nodes in `parts` clusters, each joined to its nearest neighbours. */
export function randomGraph(rng: () => number, o: RandomGraphOptions): CsrGraph {
	const n = o.nodes;
	const parts = o.parts ?? 1 + Math.floor(rng() * 3);
	const lon = new Float64Array(n),
		lat = new Float64Array(n);
	const part = new Int32Array(n);
	for (let i = 0; i < n; i++) {
		part[i] = Math.floor(rng() * parts);
		lon[i] = 120 + part[i] * 0.05 + rng() * 0.03;
		lat[i] = 31 + rng() * 0.03;
	}
	const from: number[] = [],
		to: number[] = [],
		w: number[] = [];
	const kind = o.weights ?? 'mixed';
	const weight = (i: number, j: number): number => {
		if (rng() < (o.zeroShare ?? 0.05)) return 0;
		const metres = Math.hypot((lon[i] - lon[j]) * 95000, (lat[i] - lat[j]) * 111000);
		const s = metres / 1.25;
		const k = kind === 'mixed' ? (rng() < 0.5 ? 'int' : 'float') : kind;
		return k === 'int' ? Math.max(1, Math.round(s / 20)) : Math.fround(0.5 + s / 20 + rng());
	};
	const addArc = (i: number, j: number, wt: number) => {
		from.push(i);
		to.push(j);
		w.push(wt);
	};
	// each node: 1-3 nearest neighbours in its part (O(n^2), fine for test sizes)
	for (let i = 0; i < n; i++) {
		const k = 1 + Math.floor(rng() * 3);
		const best: [number, number][] = []; // the k nearest, kept sorted (insertion)
		for (let j = 0; j < n; j++) {
			if (j === i || part[j] !== part[i]) continue;
			const d = (lon[i] - lon[j]) ** 2 + (lat[i] - lat[j]) ** 2;
			if (best.length === k && d >= best[k - 1][0]) continue;
			let p = best.length < k ? best.length : k - 1;
			while (p > 0 && best[p - 1][0] > d) {
				best[p] = best[p - 1];
				p--;
			}
			best[p] = [d, j];
		}
		for (const [, j] of best.slice(0, k)) {
			const wt = weight(i, j);
			if (o.symmetric) {
				addArc(i, j, wt);
				addArc(j, i, wt);
			} else {
				const r = rng();
				if (r < 0.5) {
					addArc(i, j, wt); // two-way, different weights each way
					addArc(j, i, weight(j, i));
				} else if (r < 0.75) addArc(i, j, wt);
				else addArc(j, i, wt);
			}
		}
	}
	// duplicates (parallel arcs with another weight) and a few self-loops
	const m0 = from.length;
	for (let a = 0; a < m0; a++) {
		if (rng() < (o.duplicateShare ?? 0.05)) {
			const wt = weight(from[a], to[a]);
			addArc(from[a], to[a], wt);
			if (o.symmetric) addArc(to[a], from[a], wt);
		}
	}
	for (let i = 0; i < n; i++) if (rng() < 0.02) addArc(i, i, weight(i, i));
	const count = from.length;
	const g = buildCsr({
		mode: o.symmetric ? 'walk' : 'drive',
		lon,
		lat,
		symmetric: o.symmetric,
		arcs: {
			from: Uint32Array.from(from),
			to: Uint32Array.from(to),
			weightS: Float32Array.from(w),
			lengthM: Float32Array.from(w, (x) => x * 1.25),
			count
		}
	});
	return o.hilbert === false ? g : renumberHilbert(g).graph;
}

/** Random facility seeds: 1-3 entries each, costs with fractions (some exactly 0, some integers). */
export function randomSeeds(rng: () => number, g: CsrGraph, count: number, firstIndex = 0): FacilitySeed[] {
	const seeds: FacilitySeed[] = [];
	for (let i = 0; i < count; i++) seeds.push(randomSeed(rng, g, firstIndex + i));
	return seeds;
}

export function randomSeed(rng: () => number, g: CsrGraph, facility: number): FacilitySeed {
	const k = 1 + Math.floor(rng() * 3);
	const entries: FacilitySeed['entries'] = [];
	for (let j = 0; j < k; j++) {
		const r = rng();
		const costS = r < 0.2 ? 0 : r < 0.5 ? Math.floor(rng() * 30) : rng() * 30;
		entries.push({ node: Math.floor(rng() * g.nodeCount), costS });
	}
	return { facility, entries };
}

/**
 * Independent brute force: for each facility a plain Dijkstra (array-based lazy heap), then the
 * lexicographic minimum (time, facility index) per node, cut at maxS. Entry costs use the documented
 * 1/1024 s grid.
 */
export function bruteForceLabels(g: CsrGraph, seeds: FacilitySeed[], maxS: number): Labels {
	const n = g.nodeCount;
	const distS = new Float64Array(n).fill(Infinity);
	const owner = new Int32Array(n).fill(-1);
	for (const s of seeds) {
		const d = singleSource(g, s.entries);
		for (let v = 0; v < n; v++) {
			if (!(d[v] <= maxS)) continue;
			if (d[v] < distS[v] || (d[v] === distS[v] && s.facility < owner[v])) {
				distS[v] = d[v];
				owner[v] = s.facility;
			}
		}
	}
	return { distS, owner };
}

function singleSource(g: CsrGraph, entries: FacilitySeed['entries']): Float64Array {
	const d = new Float64Array(g.nodeCount).fill(Infinity);
	const heap: [number, number][] = [];
	const push = (k: number, v: number) => {
		heap.push([k, v]);
		let i = heap.length - 1;
		while (i > 0) {
			const p = (i - 1) >> 1;
			if (heap[p][0] <= heap[i][0]) break;
			[heap[p], heap[i]] = [heap[i], heap[p]];
			i = p;
		}
	};
	const pop = (): [number, number] => {
		const top = heap[0];
		const last = heap.pop()!;
		if (heap.length > 0) {
			heap[0] = last;
			let i = 0;
			for (;;) {
				const l = 2 * i + 1,
					r = l + 1;
				let s = i;
				if (l < heap.length && heap[l][0] < heap[s][0]) s = l;
				if (r < heap.length && heap[r][0] < heap[s][0]) s = r;
				if (s === i) break;
				[heap[s], heap[i]] = [heap[i], heap[s]];
				i = s;
			}
		}
		return top;
	};
	for (const e of entries) {
		const c = Math.round(e.costS * 1024) / 1024;
		if (c < d[e.node]) {
			d[e.node] = c;
			push(c, e.node);
		}
	}
	while (heap.length > 0) {
		const [k, u] = pop();
		if (k > d[u]) continue;
		for (let e = g.offsets[u]; e < g.offsets[u + 1]; e++) {
			const v = g.targets[e];
			const nd = k + g.weightS[e];
			if (nd < d[v]) {
				d[v] = nd;
				push(nd, v);
			}
		}
	}
	return d;
}

/** Time from node `from` to every node along the graph's own arcs (for direction checks). */
export function forwardTimes(g: CsrGraph, from: number): Float64Array {
	return singleSource(g, [{ node: from, costS: 0 }]);
}

/**
 * A drive network on the same streets as a symmetric walk input, some of them one-way: per street (arc pair), a draw
 * below `twoWayBelow` keeps both directions, below `forwardBelow` only the first, else only the second. Drive arcs
 * take a quarter of the walk time (at least 1 s). Hilbert-renumbered like the pipeline's graphs.
 */
export function partlyOneWayDrive(input: CsrInput, rng: () => number, twoWayBelow: number, forwardBelow: number): CsrGraph {
	const a = input.arcs;
	const keep: number[] = [];
	for (let e = 0; e < a.count; e += 2) {
		const r = rng();
		if (r < twoWayBelow) keep.push(e, e + 1);
		else keep.push(r < forwardBelow ? e : e + 1);
	}
	return renumberHilbert(
		buildCsr({
			mode: 'drive',
			lon: input.lon,
			lat: input.lat,
			symmetric: false,
			arcs: {
				from: Uint32Array.from(keep, (e) => a.from[e]),
				to: Uint32Array.from(keep, (e) => a.to[e]),
				weightS: Float32Array.from(keep, (e) => Math.max(1, Math.round(a.weightS[e] / 4))),
				lengthM: Float32Array.from(keep, (e) => a.lengthM[e]),
				count: keep.length
			}
		})
	).graph;
}
