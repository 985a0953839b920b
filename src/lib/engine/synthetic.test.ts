import { describe, expect, it } from 'vitest';
import { haversineM } from './geo/measure';
import { nearestFacilityLabels } from './routing/shortest-paths';
import { createSeededRng, generateSyntheticArcs, generateSyntheticCity, syntheticFacilities, syntheticNearbySite } from './synthetic';

describe('synthetic city (generated test data)', () => {
	const g = generateSyntheticCity({ nodes: 20_000, seed: 7 });

	it('is deterministic for a seed and differs across seeds', () => {
		const h = generateSyntheticCity({ nodes: 20_000, seed: 7 });
		expect(h.targets).toEqual(g.targets);
		expect(h.weightS).toEqual(g.weightS);
		expect(h.lon).toEqual(g.lon);
		const other = generateSyntheticCity({ nodes: 20_000, seed: 8 });
		expect(other.arcCount === g.arcCount && other.lon[0] === g.lon[0]).toBe(false);
	});

	it('looks like the performance-notes graph: ~3.4 arcs per node, integer seconds at walking speed', () => {
		expect(g.nodeCount).toBe(20_000);
		const perNode = g.arcCount / g.nodeCount;
		expect(perNode).toBeGreaterThan(3.2);
		expect(perNode).toBeLessThan(3.6);
		for (let e = 0; e < g.arcCount; e += 97) {
			expect(Number.isInteger(g.weightS[e]) && g.weightS[e] >= 1).toBe(true);
			expect(Math.abs(g.weightS[e] - g.lengthM[e] / 1.25)).toBeLessThanOrEqual(0.5 + 1e-6);
		}
		// arc lengths agree with the node coordinates (second method: haversine)
		for (let u = 0; u < g.nodeCount; u += 113)
			for (let e = g.offsets[u]; e < g.offsets[u + 1]; e++) {
				const v = g.targets[e];
				expect(Math.abs(haversineM(g.lon[u], g.lat[u], g.lon[v], g.lat[v]) - g.lengthM[e])).toBeLessThan(0.001);
			}
	});

	it('is symmetric: every arc has its reverse with the same weight', () => {
		expect(g.symmetric).toBe(true);
		const key = new Map<string, number>();
		for (let u = 0; u < g.nodeCount; u++) for (let e = g.offsets[u]; e < g.offsets[u + 1]; e++) key.set(`${u}>${g.targets[e]}`, g.weightS[e]);
		for (const [k, w] of key) {
			const [a, b] = k.split('>');
			expect(key.get(`${b}>${a}`)).toBe(w);
		}
	});

	it('sits at the fake origin (Pacific Ocean), never on a Chinese city', () => {
		const a = generateSyntheticArcs({ nodes: 100, seed: 1 });
		expect(a.lon[0]).toBeGreaterThan(159.9);
		expect(a.lat[0]).toBeGreaterThan(30.9);
	});

	it('facilities are deterministic, valid seeds with both ends of their arc', () => {
		const f = syntheticFacilities(g, 50, 3);
		expect(syntheticFacilities(g, 50, 3)).toEqual(f);
		expect(f.map((x) => x.facility)).toEqual(Array.from({ length: 50 }, (_, i) => i));
		for (const x of f) {
			expect(x.entries.length).toBeGreaterThanOrEqual(1);
			for (const e of x.entries) expect(e.costS).toBeGreaterThanOrEqual(0);
		}
		const labels = nearestFacilityLabels(g, f, 900);
		let reached = 0;
		for (let v = 0; v < g.nodeCount; v++) if (labels.owner[v] >= 0) reached++;
		expect(reached).toBeGreaterThan(g.nodeCount / 4);
		const near = syntheticNearbySite(g, 0, f[0].entries[0].node, createSeededRng(1), 5)!;
		expect(haversineM(near.lon, near.lat, f[0].lon, f[0].lat)).toBeLessThan(6 * 62 * 1.5 + 100);
	});
});
