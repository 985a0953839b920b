import { describe, expect, it } from 'vitest';
import { buildCsr } from '../graph/csr';
import type { CsrGraph } from '../types';
import { IncrementalNearest } from './incremental';
import { nearestFacilityLabels, reverseGraph, type FacilitySeed, type Labels } from './shortest-paths';
import { bruteForceLabels, createRng, randomGraph, randomSeed, randomSeeds } from './testing/random-graphs';

function firstDifference(a: Labels, b: Labels): number {
	for (let v = 0; v < a.distS.length; v++) if (!Object.is(a.distS[v], b.distS[v]) || a.owner[v] !== b.owner[v]) return v;
	return -1;
}

function line(n: number, w: number): CsrGraph {
	const from: number[] = [],
		to: number[] = [];
	for (let i = 0; i + 1 < n; i++) {
		from.push(i, i + 1);
		to.push(i + 1, i);
	}
	return buildCsr({
		mode: 'walk',
		lon: Float64Array.from({ length: n }, (_, i) => 120 + i * 0.001),
		lat: new Float64Array(n).fill(31),
		symmetric: true,
		arcs: {
			from: Uint32Array.from(from),
			to: Uint32Array.from(to),
			weightS: new Float32Array(from.length).fill(w),
			lengthM: new Float32Array(from.length).fill(w * 1.25),
			count: from.length
		}
	});
}

const at = (facility: number, node: number, costS = 0): FacilitySeed => ({ facility, entries: [{ node, costS }] });

describe('IncrementalNearest on a hand-drawn line (0..8, 10 s per arc)', () => {
	it('add, remove, move give the hand-computed labels', () => {
		const g = line(9, 10);
		const inc = new IncrementalNearest(g, 1000, [at(0, 0), at(1, 8)]);
		expect(Array.from(inc.labels.owner)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1]); // node 4: tie 40 s, lower index
		inc.removeFacility(0);
		expect(Array.from(inc.labels.distS)).toEqual([80, 70, 60, 50, 40, 30, 20, 10, 0]);
		expect(Array.from(inc.labels.owner)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
		expect(inc.seedsActive).toEqual([false, true]);
		inc.addFacility(at(2, 4, 5)); // index 2, at the middle, 5 s access
		expect(Array.from(inc.labels.distS)).toEqual([45, 35, 25, 15, 5, 15, 20, 10, 0]);
		expect(Array.from(inc.labels.owner)).toEqual([2, 2, 2, 2, 2, 2, 1, 1, 1]);
		inc.moveFacility(1, at(1, 0));
		expect(Array.from(inc.labels.distS)).toEqual([0, 10, 20, 15, 5, 15, 25, 35, 45]);
		expect(Array.from(inc.labels.owner)).toEqual([1, 1, 1, 2, 2, 2, 2, 2, 2]);
		inc.addFacility(at(0, 4, 5)); // same site as facility 2, lower index: takes its whole region
		expect(Array.from(inc.labels.owner)).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0]);
		inc.removeFacility(0); // and gives it back
		expect(Array.from(inc.labels.owner)).toEqual([1, 1, 1, 2, 2, 2, 2, 2, 2]);
	});

	it('rejects impossible edits with a clear message', () => {
		const inc = new IncrementalNearest(line(3, 1), 100, [at(0, 0)]);
		expect(() => inc.removeFacility(1)).toThrow(/not present/);
		expect(() => inc.addFacility(at(0, 1))).toThrow(/already present/);
		expect(() => inc.moveFacility(0, at(1, 1))).toThrow(/not 0/);
		expect(() => inc.addFacility(at(3, 7))).toThrow(/entry node 7/);
	});
});

describe('IncrementalNearest equals a full recompute exactly after random edits', () => {
	for (const symmetric of [true, false]) {
		it(symmetric ? 'symmetric graphs' : 'directed graphs (search on the reverse graph)', () => {
			let ops = 0,
				changedLabels = 0;
			for (let s = 1; s <= 40; s++) {
				const rng = createRng(s * 104729 + (symmetric ? 3 : 4));
				const n = s % 10 === 0 ? 2000 : 50 + Math.floor(rng() * 400);
				const g = randomGraph(rng, { nodes: n, symmetric, weights: s % 3 === 0 ? 'float' : 'int', zeroShare: 0.08, duplicateShare: 0.1 });
				const search = symmetric ? g : reverseGraph(g);
				const maxS = [25, 80, 300, Infinity][s % 4];
				const k = 1 + Math.floor(rng() * 12);
				const inc = new IncrementalNearest(search, maxS, randomSeeds(rng, g, k), {
					inGraph: symmetric ? undefined : g,
					logLimit: s % 2 === 0 ? 64 : undefined // exercise the list rebuild too
				});
				const steps = s % 10 === 0 ? 30 : 60;
				for (let step = 0; step < steps; step++) {
					const before: Labels = { distS: inc.labels.distS.slice(), owner: inc.labels.owner.slice() };
					const active = inc.seedsActive.flatMap((a, f) => (a ? [f] : []));
					const r = rng();
					if (active.length === 0 || r < 0.3) {
						// new facility: next slot or a hole
						const holes = inc.seedsActive.flatMap((a, f) => (a ? [] : [f]));
						const f = holes.length > 0 && rng() < 0.5 ? holes[Math.floor(rng() * holes.length)] : inc.facilitySlots;
						inc.addFacility(randomSeed(rng, g, f));
					} else if (r < 0.55) {
						inc.removeFacility(active[Math.floor(rng() * active.length)]);
					} else {
						const f = active[Math.floor(rng() * active.length)];
						// nearby move (one entry kept) or anywhere
						const next = randomSeed(rng, g, f);
						if (rng() < 0.5) next.entries.push(inc.seedOf(f)!.entries[0]);
						inc.moveFacility(f, next);
					}
					ops++;
					const full = nearestFacilityLabels(search, inc.activeSeeds(), maxS);
					expect(firstDifference(inc.labels, full), `seed ${s} step ${step}`).toBe(-1);
					// every node whose label changed is reported by changedNodes()
					const changed = new Set(inc.changedNodes());
					for (let v = 0; v < n; v++)
						if (!Object.is(before.distS[v], full.distS[v]) || before.owner[v] !== full.owner[v]) {
							changedLabels++;
							expect(changed.has(v), `seed ${s} step ${step} node ${v}`).toBe(true);
						}
				}
				// and the independent brute force agrees at the end
				expect(firstDifference(inc.labels, bruteForceLabels(search, inc.activeSeeds(), maxS)), `seed ${s} brute force`).toBe(-1);
			}
			expect(ops).toBeGreaterThan(1500);
			expect(changedLabels).toBeGreaterThan(10000); // edits really move labels
		});
	}
});
