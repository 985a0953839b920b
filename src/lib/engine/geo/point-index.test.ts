import { describe, expect, it } from 'vitest';
import { createSeededRng } from '../synthetic';
import { haversineM } from './measure';
import { metricFrame, PointGrid, PointIndex } from './point-index';

/** Brute force: nearest by haversine within maxDistM, the lower id on equal distances. */
function bruteNearest(lon: number, lat: number, plon: ArrayLike<number>, plat: ArrayLike<number>, ids: ArrayLike<number>, maxDistM: number) {
	let best = Infinity,
		bestId = -1;
	for (let i = 0; i < plon.length; i++) {
		const d = haversineM(lon, lat, plon[i], plat[i]);
		if (d > maxDistM) continue;
		if (d < best || (d === best && ids[i] < bestId)) {
			best = d;
			bestId = ids[i];
		}
	}
	return { id: bestId, distM: best };
}

describe('PointIndex (metric frame, haversine decides, ties to the lower id)', () => {
	// a city-sized cloud near the equator, Shanghai's latitude and far north; radii from 100 m to 20 km
	for (const [name, lat0, spanDeg, radiusM] of [
		['Shanghai, walk', 31.2, 0.3, 900],
		['Shanghai, 60-minute cycle', 31.2, 1.2, 12_000],
		['Mohe (53 N), drive', 52.9, 2, 20_000],
		['equator, tiny radius', 0.01, 0.01, 100]
	] as const) {
		it(`nearest and within equal brute force: ${name}`, () => {
			const rng = createSeededRng(Math.round(lat0 * 1000) + radiusM);
			const n = 700,
				q = 1500;
			const plon = new Float64Array(n),
				plat = new Float64Array(n);
			for (let i = 0; i < n; i++) {
				plon[i] = 121 + rng() * spanDeg;
				plat[i] = lat0 + rng() * spanDeg;
			}
			// exact ties: duplicated positions, and points due north/south of one another
			for (let i = 0; i < 40; i++) {
				plon[n - 1 - i] = plon[i];
				plat[n - 1 - i] = i % 2 ? plat[i] : plat[i] + 0.001;
			}
			const ids = Int32Array.from({ length: n }, (_, i) => (i * 7919) % 1_000_003); // ids not in insertion order
			const qlon = Float64Array.from({ length: q }, (_, i) => (i < 100 ? plon[i] : 121 + (rng() * 1.2 - 0.1) * spanDeg));
			const qlat = Float64Array.from({ length: q }, (_, i) => (i < 100 ? plat[i] - 0.0005 * (i % 3) : lat0 + (rng() * 1.2 - 0.1) * spanDeg));
			const frame = metricFrame(qlat, radiusM);
			const index = new PointIndex(plon, plat, frame, ids);
			let found = 0;
			for (let t = 0; t < q; t++) {
				for (const r of [radiusM, radiusM / 3]) {
					const want = bruteNearest(qlon[t], qlat[t], plon, plat, ids, r);
					const got = index.nearest(qlon[t], qlat[t], r);
					expect(got, `query ${t} radius ${r}`).toBe(want.id);
					expect(index.nearestDistM).toBe(want.distM);
					if (got >= 0) found++;
				}
				const hits = new Set(index.within(qlon[t], qlat[t], radiusM));
				for (let i = 0; i < n; i++) if (haversineM(qlon[t], qlat[t], plon[i], plat[i]) <= radiusM) expect(hits.has(ids[i]), `within ${t}`).toBe(true);
			}
			expect(found).toBeGreaterThan(q / 4); // the cases exercise both hits and misses
			expect(found).toBeLessThan(2 * q);
		});
	}

	it('empty index, default ids and radius beyond the frame', () => {
		const frame = metricFrame([31], 1000);
		const empty = new PointIndex([], [], frame);
		expect(empty.nearest(121, 31, 1000)).toBe(-1);
		expect(empty.within(121, 31, 1000)).toEqual([]);
		const one = new PointIndex([121, 121], [31, 31], frame);
		expect(one.nearest(121, 31, 0)).toBe(0); // distance 0 is within a 0 m radius; the tie goes to id 0
		expect(one.nearestDistM).toBe(0);
		expect(() => one.nearest(121, 31, 1001)).toThrow(/exceeds the frame/);
	});

	it('PointGrid under random sets, moves and deletes equals brute force over the current points', () => {
		const rng = createSeededRng(42);
		const radiusM = 1500;
		const qlat = Float64Array.from({ length: 400 }, () => 31 + rng() * 0.2);
		const qlon = Float64Array.from({ length: 400 }, () => 121 + rng() * 0.2);
		const grid = new PointGrid(metricFrame(qlat, radiusM));
		const live = new Map<number, [number, number]>();
		for (let step = 0; step < 300; step++) {
			const id = Math.floor(rng() * 60);
			if (live.has(id) && rng() < 0.3) {
				grid.delete(id);
				live.delete(id);
			} else {
				// sometimes onto another live point's position: an exact tie
				const other = [...live.values()][Math.floor(rng() * live.size)];
				const p: [number, number] = other && rng() < 0.2 ? [other[0], other[1]] : [121 + rng() * 0.2, 31 + rng() * 0.2];
				grid.set(id, p[0], p[1]);
				live.set(id, p);
			}
			expect(grid.has(id)).toBe(live.has(id));
			if (step % 10 !== 9) continue;
			const ids = [...live.keys()];
			const plon = ids.map((i) => live.get(i)![0]),
				plat = ids.map((i) => live.get(i)![1]);
			for (let t = 0; t < qlat.length; t++) {
				const want = bruteNearest(qlon[t], qlat[t], plon, plat, ids, radiusM);
				expect(grid.nearest(qlon[t], qlat[t], radiusM), `step ${step} query ${t}`).toBe(want.id);
				expect(grid.nearestDistM).toBe(want.distM);
			}
		}
	});
});
