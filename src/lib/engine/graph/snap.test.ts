import { describe, expect, it } from 'vitest';
import { haversineM, metresPerDegree } from '../geo/measure';
import { createRng, randomGraph } from '../routing/testing/random-graphs';
import type { CsrGraph } from '../types';
import { buildCsr } from './csr';
import { createSnapper } from './snap';

const LAT0 = 31;
const { mPerDegLon, mPerDegLat } = metresPerDegree(LAT0);
/** lon/lat of a point x metres east, y metres north of (120, 31) */
const at = (x: number, y: number): [number, number] => [120 + x / mPerDegLon, LAT0 + y / mPerDegLat];

function graphOf(points: [number, number][], arcs: [number, number, number][], symmetric: boolean): CsrGraph {
	const ll = points.map(([x, y]) => at(x, y));
	return buildCsr({
		mode: symmetric ? 'walk' : 'drive',
		lon: Float64Array.from(ll, (p) => p[0]),
		lat: Float64Array.from(ll, (p) => p[1]),
		symmetric,
		arcs: {
			from: Uint32Array.from(arcs, (a) => a[0]),
			to: Uint32Array.from(arcs, (a) => a[1]),
			weightS: Float32Array.from(arcs, (a) => a[2]),
			lengthM: Float32Array.from(arcs, (a) => a[2] * 1.25),
			count: arcs.length
		}
	});
}

describe('createSnapper on hand-drawn streets', () => {
	it('projects onto a two-way street: t = 0.3 of 100 m, 10 m off the road', () => {
		const g = graphOf([[0, 0], [100, 0]], [[0, 1, 80], [1, 0, 80]], true);
		const s = createSnapper(g, 1.25);
		expect(s.segmentCount).toBe(1);
		const [x, y] = at(30, 10);
		const snap = s.snap(x, y, 50)!;
		expect(snap.u).toBe(0);
		expect(snap.v).toBe(1);
		expect(snap.costFromUS).toBeCloseTo(24, 6);
		expect(snap.costFromVS).toBeCloseTo(56, 6);
		expect(snap.accessM).toBeCloseTo(10, 6);
		expect(snap.accessS).toBeCloseTo(8, 6);
		// a second method for the access leg: haversine to the foot of the perpendicular
		const [fx, fy] = at(30, 0);
		expect(Math.abs(haversineM(x, y, fx, fy) - snap.accessM)).toBeLessThan(0.01);
		expect(s.snap(x, y, 9)).toBeNull(); // 10 m > 9 m allowed
		// beyond an end: clamps to the node
		const [ex, ey] = at(-40, 30);
		const end = s.snap(ex, ey, 100)!;
		expect(end.costFromUS).toBe(0);
		expect(end.accessM).toBeCloseTo(50, 3); // frame at the query latitude: 1e-4 m off the LAT0 frame
	});

	it('directed streets: one-way and two-way with different times each way', () => {
		// 0 -> 1 one-way (80 s); 2 <-> 3 two-way, 80 s east, 100 s west; far apart
		const g = graphOf(
			[[0, 0], [100, 0], [0, 1000], [100, 1000]],
			[[0, 1, 80], [2, 3, 80], [3, 2, 100]],
			false
		);
		const s = createSnapper(g, 1.25);
		expect(s.segmentCount).toBe(2);
		const oneWay = s.snapMany(...cols([at(30, 5)]), 50);
		expect([oneWay.u[0], oneWay.v[0]]).toEqual([0, 1]);
		expect(oneWay.costFromUS[0]).toBeCloseTo(24, 6);
		expect(oneWay.costFromVS[0]).toBe(Infinity); // no arc 1 -> 0
		expect(oneWay.costToUS[0]).toBe(Infinity); // cannot walk... drive back against the one-way
		expect(oneWay.costToVS[0]).toBeCloseTo(56, 6);
		const two = s.snapMany(...cols([at(30, 1005)]), 50);
		expect([two.u[0], two.v[0]]).toEqual([2, 3]);
		expect(two.costFromUS[0]).toBeCloseTo(24, 6); // 0.3 * w(2->3)
		expect(two.costFromVS[0]).toBeCloseTo(70, 6); // 0.7 * w(3->2)
		expect(two.costToUS[0]).toBeCloseTo(30, 6); // 0.3 * w(3->2)
		expect(two.costToVS[0]).toBeCloseTo(56, 6); // 0.7 * w(2->3)
	});

	it('isolated nodes are snappable as points; nothing near gives u = -1; bad coordinates give null', () => {
		const g = graphOf([[0, 0], [100, 0], [500, 500]], [[0, 1, 80], [1, 0, 80]], true);
		const s = createSnapper(g, 1.25);
		expect(s.segmentCount).toBe(2);
		const [x, y] = at(503, 504);
		const p = s.snap(x, y, 20)!;
		expect([p.u, p.v, p.costFromUS, p.costFromVS]).toEqual([2, 2, 0, 0]);
		expect(p.accessM).toBeCloseTo(5, 3);
		const far = s.snapMany(...cols([at(2000, 2000), at(50, 1)]), 100);
		expect(Array.from(far.u)).toEqual([-1, 0]);
		expect(far.accessM[0]).toBe(Infinity);
		expect(s.snap(NaN, 31, 100)).toBeNull();
		expect(() => createSnapper(g, 0)).toThrow(/accessSpeedMps/);
	});
});

function cols(points: [number, number][]): [Float64Array, Float64Array] {
	return [Float64Array.from(points, (p) => p[0]), Float64Array.from(points, (p) => p[1])];
}

/** Brute force: distance from a point to every arc's straight segment, local frame at the point. */
function bruteNearest(g: CsrGraph, x: number, y: number): number {
	const m = metresPerDegree(y);
	let best = Infinity;
	const consider = (a: number, b: number) => {
		const px = (x - g.lon[a]) * m.mPerDegLon,
			py = (y - g.lat[a]) * m.mPerDegLat;
		const sx = (g.lon[b] - g.lon[a]) * m.mPerDegLon,
			sy = (g.lat[b] - g.lat[a]) * m.mPerDegLat;
		const l2 = sx * sx + sy * sy;
		const t = l2 === 0 ? 0 : Math.max(0, Math.min(1, (px * sx + py * sy) / l2));
		best = Math.min(best, Math.hypot(px - t * sx, py - t * sy));
	};
	for (let u = 0; u < g.nodeCount; u++) {
		let any = false;
		for (let e = g.offsets[u]; e < g.offsets[u + 1]; e++) {
			consider(u, g.targets[e]);
			any = true;
		}
		if (!any) consider(u, u); // nodes without out-arcs are at least points (in-arcs cover them anyway)
	}
	return best;
}

describe('createSnapper equals a brute force over every arc', () => {
	for (const symmetric of [true, false]) {
		it(symmetric ? 'symmetric graphs' : 'directed graphs', () => {
			for (let s = 1; s <= 12; s++) {
				const rng = createRng(s * 31 + (symmetric ? 0 : 1));
				const g = randomGraph(rng, { nodes: 80 + s * 20, symmetric });
				const snapper = createSnapper(g, 1.25);
				const lons: number[] = [],
					lats: number[] = [];
				for (let i = 0; i < 150; i++) {
					lons.push(119.99 + rng() * 0.2);
					lats.push(30.99 + rng() * 0.05);
				}
				const maxAccessM = [100, 500, 3000][s % 3];
				const many = snapper.snapMany(lons, lats, maxAccessM);
				for (let i = 0; i < lons.length; i++) {
					const want = bruteNearest(g, lons[i], lats[i]);
					if (want > maxAccessM * (1 + 1e-9)) {
						expect(many.u[i], `seed ${s} point ${i}`).toBe(-1);
						continue;
					}
					if (want > maxAccessM * (1 - 1e-9)) continue; // on the boundary: either answer is fine
					expect(many.u[i]).toBeGreaterThanOrEqual(0);
					expect(Math.abs(many.accessM[i] - want)).toBeLessThan(1e-6 * Math.max(1, want));
					const one = snapper.snap(lons[i], lats[i], maxAccessM)!;
					expect([one.u, one.v, one.costFromUS, one.costFromVS, one.accessM]).toEqual([
						many.u[i],
						many.v[i],
						many.costFromUS[i],
						many.costFromVS[i],
						many.accessM[i]
					]);
					// the along-arc costs split the arc: costFromUS + costToVS = w(u->v)
					let w = Infinity;
					for (let e = g.offsets[one.u]; e < g.offsets[one.u + 1]; e++) if (g.targets[e] === one.v) w = Math.min(w, g.weightS[e]);
					if (one.u !== one.v) expect(many.costFromUS[i] + many.costToVS[i]).toBeCloseTo(w, 6);
					if (symmetric) {
						expect(many.costToUS[i]).toBe(many.costFromUS[i]);
						expect(many.costToVS[i]).toBeCloseTo(many.costFromVS[i], 9);
					}
				}
			}
		});
	}
});
