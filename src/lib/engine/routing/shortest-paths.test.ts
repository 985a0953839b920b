import { describe, expect, it } from 'vitest';
import { buildCsr } from '../graph/csr';
import type { CsrGraph } from '../types';
import {
	checkExactArithmetic,
	createRoutingWorkspace,
	facilitySeedFromSnap,
	nearestFacilityLabels,
	quantizeCostS,
	reachWithin,
	reverseGraph,
	routingGraphFor,
	type FacilitySeed,
	type Labels,
	type LabelRunStats,
	type LabelStrategy
} from './shortest-paths';
import { bruteForceLabels, createRng, forwardTimes, randomGraph, randomSeeds } from './testing/random-graphs';

function graph(n: number, arcs: [number, number, number][], symmetric: boolean): CsrGraph {
	const all = symmetric ? arcs.flatMap(([a, b, w]) => [[a, b, w] as const, [b, a, w] as const]) : arcs;
	return buildCsr({
		mode: symmetric ? 'walk' : 'drive',
		lon: Float64Array.from({ length: n }, (_, i) => 120 + i * 0.001),
		lat: Float64Array.from({ length: n }, () => 31),
		symmetric,
		arcs: {
			from: Uint32Array.from(all, (a) => a[0]),
			to: Uint32Array.from(all, (a) => a[1]),
			weightS: Float32Array.from(all, (a) => a[2]),
			lengthM: Float32Array.from(all, (a) => a[2] * 1.25),
			count: all.length
		}
	});
}

/** First differing node, or -1; distances compared bit for bit (Object.is). */
function firstDifference(a: Labels, b: Labels): number {
	for (let v = 0; v < a.distS.length; v++) if (!Object.is(a.distS[v], b.distS[v]) || a.owner[v] !== b.owner[v]) return v;
	return -1;
}

describe('nearestFacilityLabels on hand-drawn graphs', () => {
	// 0 -2- 1 -2- 2 -2- 3 -2- 4 (walk, symmetric)
	const line = graph(5, [[0, 1, 2], [1, 2, 2], [2, 3, 2], [3, 4, 2]], true);

	it('splits a line between two facilities; the exact tie goes to the lower index', () => {
		// facility 0 sits on node 4, facility 1 on node 0: node 2 is 4 s from both
		const seeds: FacilitySeed[] = [
			{ facility: 1, entries: [{ node: 0, costS: 0 }] },
			{ facility: 0, entries: [{ node: 4, costS: 0 }] }
		];
		const { distS, owner } = nearestFacilityLabels(line, seeds, 100);
		expect(Array.from(distS)).toEqual([0, 2, 4, 2, 0]);
		expect(Array.from(owner)).toEqual([1, 1, 0, 0, 0]);
	});

	it('cuts at maxS (a label equal to maxS is kept)', () => {
		const seeds: FacilitySeed[] = [{ facility: 0, entries: [{ node: 0, costS: 1 }] }];
		const { distS, owner } = nearestFacilityLabels(line, seeds, 5);
		expect(Array.from(distS)).toEqual([1, 3, 5, Infinity, Infinity]);
		expect(Array.from(owner)).toEqual([0, 0, 0, -1, -1]);
	});

	it('a facility on an arc enters at both ends with its along-arc costs', () => {
		// facility snapped 25% along arc 1->2 (2 s), 10 m off the road at 1.25 m/s = 8 s access
		const snap = { u: 1, v: 2, costFromUS: 0.5, costFromVS: 1.5, accessS: 8, accessM: 10 };
		const seed = facilitySeedFromSnap(7, snap);
		expect(seed).toEqual({ facility: 7, entries: [{ node: 1, costS: 8.5 }, { node: 2, costS: 9.5 }] });
		const { distS, owner } = nearestFacilityLabels(line, [seed], 100);
		expect(Array.from(distS)).toEqual([10.5, 8.5, 9.5, 11.5, 13.5]);
		expect(Array.from(owner)).toEqual([7, 7, 7, 7, 7]);
		// one-way arc: no entry at v
		expect(facilitySeedFromSnap(3, { ...snap, costFromVS: Infinity }).entries).toHaveLength(1);
		expect(facilitySeedFromSnap(3, null).entries).toHaveLength(0);
	});

	it('directed graph: searching the reverse graph gives the time FROM each node TO the facility', () => {
		// one-way ring 0 -> 1 (5 s) -> 2 (5 s) -> 0 (1 s); the clinic is at node 0
		const ring = graph(3, [[0, 1, 5], [1, 2, 5], [2, 0, 1]], false);
		const seeds: FacilitySeed[] = [{ facility: 0, entries: [{ node: 0, costS: 0 }] }];
		const rev = nearestFacilityLabels(reverseGraph(ring), seeds, 100);
		expect(Array.from(rev.distS)).toEqual([0, 6, 1]); // 1 -> 2 -> 0 = 6, 2 -> 0 = 1
		// the forward graph answers the other question (time from the clinic to the node)
		expect(Array.from(nearestFacilityLabels(ring, seeds, 100).distS)).toEqual([0, 5, 10]);
		expect(routingGraphFor(ring).targets).toEqual(reverseGraph(ring).targets);
		const walk = graph(2, [[0, 1, 3]], true);
		expect(routingGraphFor(walk)).toBe(walk);
	});

	it('zero-weight arcs, duplicates and unreachable parts', () => {
		// 0 -0- 1, 1 -> 2 twice (4 and 3 s), node 3 isolated
		const g = graph(4, [[0, 1, 0], [1, 0, 0], [1, 2, 4], [1, 2, 3], [2, 1, 3]], false);
		const { distS, owner } = nearestFacilityLabels(g, [{ facility: 2, entries: [{ node: 0, costS: 0.25 }] }], 100);
		expect(Array.from(distS)).toEqual([0.25, 0.25, 3.25, Infinity]);
		expect(Array.from(owner)).toEqual([2, 2, 2, -1]);
	});

	it('rejects bad seeds with a message naming the problem', () => {
		expect(() => nearestFacilityLabels(line, [{ facility: 0, entries: [{ node: 9, costS: 0 }] }], 10)).toThrow(/entry node 9/);
		expect(() => nearestFacilityLabels(line, [{ facility: 0, entries: [{ node: 1, costS: -1 }] }], 10)).toThrow(/finite and >= 0/);
		expect(() => nearestFacilityLabels(line, [{ facility: -1, entries: [] }], 10)).toThrow(/integer >= 0/);
		expect(() =>
			nearestFacilityLabels(
				line,
				[
					{ facility: 1, entries: [] },
					{ facility: 1, entries: [] }
				],
				10
			)
		).toThrow(/appears twice/);
		expect(() => nearestFacilityLabels(line, [], NaN)).toThrow(/maxS/);
	});

	it('entry costs are on a 1/1024 s grid', () => {
		expect(quantizeCostS(1.2345)).toBe(Math.round(1.2345 * 1024) / 1024);
		expect(quantizeCostS(3)).toBe(3);
	});
});

describe('nearestFacilityLabels equals brute force (per-facility Dijkstra + lexicographic min)', () => {
	const cases: { name: string; symmetric: boolean; weights: 'int' | 'float' | 'mixed' }[] = [
		{ name: 'symmetric, integer weights (many ties)', symmetric: true, weights: 'int' },
		{ name: 'symmetric, float weights', symmetric: true, weights: 'float' },
		{ name: 'directed, mixed weights', symmetric: false, weights: 'mixed' },
		{ name: 'directed, integer weights', symmetric: false, weights: 'int' }
	];
	for (const c of cases) {
		it(c.name, () => {
			let compared = 0;
			for (let s = 1; s <= 60; s++) {
				const rng = createRng(s * 7919 + (c.symmetric ? 1 : 2));
				const n = s % 20 === 0 ? 2000 : 50 + Math.floor(rng() * 350);
				const g = randomGraph(rng, { nodes: n, symmetric: c.symmetric, weights: c.weights, zeroShare: 0.08, duplicateShare: 0.1 });
				const search = routingGraphFor(g);
				const k = 1 + Math.floor(rng() * (s % 20 === 0 ? 60 : 25));
				// facility indices not in order and with gaps
				const seeds = randomSeeds(rng, g, k).map((x, i) => ({ ...x, facility: (i * 37) % 101 + i * 101 }));
				const maxS = [20, 60, 200, Infinity][s % 4];
				const ws = createRoutingWorkspace(g.nodeCount);
				const got = nearestFacilityLabels(search, seeds, maxS, { workspace: ws });
				const want = bruteForceLabels(search, seeds, maxS);
				expect(firstDifference(got, want), `seed ${s}`).toBe(-1);
				for (const strategy of ['perFacility', 'global'] as const) {
					const other = nearestFacilityLabels(search, seeds, maxS, { workspace: ws, strategy });
					expect(firstDifference(other, want), `seed ${s} (${strategy})`).toBe(-1);
					expect(ws.heap.size).toBe(0);
				}
				// the same workspace and output buffer again: identical, nothing left over
				const again = nearestFacilityLabels(search, seeds, maxS, { workspace: ws, out: got });
				expect(firstDifference(again, want), `seed ${s} (reused workspace)`).toBe(-1);
				expect(ws.heap.size).toBe(0);
				expect(checkExactArithmetic(search, Number.isFinite(maxS) ? maxS : 1e6).exact).toBe(true);
				for (let v = 0; v < n; v++) if (want.owner[v] >= 0) compared++;
			}
			expect(compared).toBeGreaterThan(1000); // the cases are not vacuous
		});
	}

	it('directed: labels on the reverse graph = min over facilities of forward time node -> entry + cost', () => {
		for (let s = 1; s <= 15; s++) {
			const rng = createRng(1000 + s);
			const g = randomGraph(rng, { nodes: 60 + s * 5, symmetric: false, weights: 'int' });
			const seeds = randomSeeds(rng, g, 1 + (s % 5));
			const got = nearestFacilityLabels(reverseGraph(g), seeds, Infinity);
			for (let v = 0; v < g.nodeCount; v++) {
				const t = forwardTimes(g, v);
				let best = Infinity,
					bestF = -1;
				for (const seed of seeds)
					for (const e of seed.entries) {
						const d = t[e.node] + quantizeCostS(e.costS);
						if (d < best || (d === best && d < Infinity && seed.facility < bestF)) {
							best = d;
							bestF = seed.facility;
						}
					}
				expect([got.distS[v], got.owner[v]], `seed ${s} node ${v}`).toEqual([best, bestF]);
			}
		}
	});
});

describe('reverseGraph', () => {
	it('transposes every arc with its weight', () => {
		const rng = createRng(5);
		const g = randomGraph(rng, { nodes: 200, symmetric: false });
		const r = reverseGraph(g);
		const key = (G: CsrGraph, flip: boolean) => {
			const out: string[] = [];
			for (let u = 0; u < G.nodeCount; u++)
				for (let e = G.offsets[u]; e < G.offsets[u + 1]; e++) out.push(flip ? `${G.targets[e]}>${u}:${G.weightS[e]}` : `${u}>${G.targets[e]}:${G.weightS[e]}`);
			return out.sort();
		};
		expect(key(r, true)).toEqual(key(g, false));
		expect(r.arcCount).toBe(g.arcCount);
	});
});

describe('reachWithin (one facility, no competitors)', () => {
	it('equals a single-facility brute force and leaves the workspace clean', () => {
		const rng = createRng(77);
		const g = randomGraph(rng, { nodes: 500, symmetric: true, parts: 1 });
		const ws = createRoutingWorkspace(g.nodeCount);
		for (let s = 0; s < 10; s++) {
			const [seed] = randomSeeds(rng, g, 1);
			const maxS = 30 + s * 20;
			const got = reachWithin(g, seed.entries, maxS, ws);
			const want = bruteForceLabels(g, [seed], maxS);
			const map = new Map<number, number>();
			got.nodes.forEach((v, i) => map.set(v, got.distS[i]));
			for (let v = 0; v < g.nodeCount; v++) expect(map.get(v) ?? Infinity).toBe(want.distS[v]);
			expect(ws.scratchDistS.every((x) => x === Infinity)).toBe(true);
		}
	});
});

describe('checkExactArithmetic', () => {
	it('flags weights too small for exact sums', () => {
		const ok = graph(3, [[0, 1, 1.5], [1, 2, 0]], true);
		expect(checkExactArithmetic(ok, 3600).exact).toBe(true);
		const tiny = graph(3, [[0, 1, 1e-12], [1, 2, 5]], true);
		expect(checkExactArithmetic(tiny, 3600).exact).toBe(false);
	});
});

describe('label strategies: per-facility, global and auto give identical labels', () => {
	it('random graphs with heavy overlap (many facilities, long cutoffs) and light overlap; auto takes both ways', () => {
		const used = { perFacility: 0, global: 0 };
		for (let s = 1; s <= 40; s++) {
			const rng = createRng(50_000 + s);
			const symmetric = s % 2 === 0;
			const g = randomGraph(rng, { nodes: 200 + Math.floor(rng() * 600), symmetric, weights: s % 3 === 0 ? 'int' : 'mixed', zeroShare: 0.1 });
			const search = routingGraphFor(g);
			const k = s % 4 === 0 ? 3 : 20 + Math.floor(rng() * 80);
			const seeds = randomSeeds(rng, g, k).map((x, i) => ({ ...x, facility: (i * 53) % 97 + i * 97 }));
			// several facilities at one node with equal costs: the lower index must win in every strategy
			seeds.push({ facility: 1, entries: [{ ...seeds[0].entries[0] }] });
			const maxS = [30, 300, Infinity][s % 3];
			const want = bruteForceLabels(search, seeds, maxS);
			const ws = createRoutingWorkspace(g.nodeCount);
			for (const strategy of ['auto', 'perFacility', 'global'] as LabelStrategy[]) {
				const stats = {} as LabelRunStats;
				const got = nearestFacilityLabels(search, seeds, maxS, { workspace: ws, strategy, stats });
				expect(firstDifference(got, want), `seed ${s} ${strategy}`).toBe(-1);
				if (strategy === 'auto') used[stats.strategy]++;
				else expect(stats.strategy).toBe(strategy);
				let labelled = 0;
				for (let v = 0; v < g.nodeCount; v++) if (want.owner[v] >= 0) labelled++;
				expect(stats.labelled).toBe(labelled);
				expect(stats.labelWrites).toBeGreaterThanOrEqual(labelled);
			}
		}
		expect(used.global).toBeGreaterThan(3);
		expect(used.perFacility).toBeGreaterThan(3);
	});
});
