import { describe, expect, it } from 'vitest';
import { buildCsr, renumberHilbert, weakComponents } from './csr';
import { deserializeGraph, serializeGraph } from './serialize';

function arcs(list: [number, number, number][]) {
	return {
		from: Uint32Array.from(list.map((a) => a[0])),
		to: Uint32Array.from(list.map((a) => a[1])),
		weightS: Float32Array.from(list.map((a) => a[2])),
		lengthM: Float32Array.from(list.map((a) => a[2] * 1.25)),
		count: list.length
	};
}

describe('csr', () => {
	const lon = Float64Array.from([0, 1, 2, 10, 11]);
	const lat = Float64Array.from([0, 0, 0, 5, 5]);
	const g = buildCsr({ mode: 'walk', lon, lat, symmetric: false, arcs: arcs([[1, 2, 5], [0, 1, 3], [3, 4, 1], [0, 2, 9]]) });

	it('groups arcs by source', () => {
		expect(Array.from(g.offsets)).toEqual([0, 2, 3, 3, 4, 4]);
		expect(Array.from(g.targets.subarray(0, 2)).sort()).toEqual([1, 2]);
		expect(g.targets[2]).toBe(2);
	});
	it('numbers components by size, largest = 0', () => {
		expect(Array.from(g.component)).toEqual([0, 0, 0, 1, 1]);
		expect(weakComponents(g).sizes).toEqual([3, 2]);
	});
	it('renumbering preserves every arc (as a multiset of coordinate pairs)', () => {
		const { graph: h, newIdOf } = renumberHilbert(g);
		const key = (G: typeof g) => {
			const out: string[] = [];
			for (let u = 0; u < G.nodeCount; u++)
				for (let e = G.offsets[u]; e < G.offsets[u + 1]; e++) out.push(`${G.lon[u]},${G.lat[u]}->${G.lon[G.targets[e]]},${G.lat[G.targets[e]]}:${G.weightS[e]}`);
			return out.sort();
		};
		expect(key(h)).toEqual(key(g));
		for (let old = 0; old < 5; old++) expect(h.lon[newIdOf[old]]).toBe(g.lon[old]);
	});
	it('serializes and restores', () => {
		const r = deserializeGraph(serializeGraph(g));
		expect(Array.from(r.targets)).toEqual(Array.from(g.targets));
		expect(Array.from(r.weightS)).toEqual(Array.from(g.weightS));
		expect(r.nodeCount).toBe(5);
	});
});
