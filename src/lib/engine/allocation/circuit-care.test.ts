/** Circuit-care places against a brute force: union-find over cell pairs whose centres are one H3 step apart. */
import { describe, expect, it } from 'vitest';
import { cellCenter, edgeLengthM, polygonRingsToCells } from '../geo/h3';
import { haversineM } from '../geo/measure';
import { createRng } from '../routing/testing/random-graphs';
import type { CellTable } from '../types';
import { circuitCarePlaces } from './circuit-care';

function grid(seed: number) {
	const rng = createRng(seed);
	const w = 121 + rng(),
		s = 31 + rng();
	const h3 = polygonRingsToCells(
		[
			[
				[w, s],
				[w + 0.03, s],
				[w + 0.03, s + 0.025],
				[w, s + 0.025],
				[w, s]
			]
		],
		9
	);
	const n = h3.length;
	const centres = h3.map(cellCenter);
	const cells: CellTable = {
		resolution: 9,
		count: n,
		h3,
		lon: Float64Array.from(centres, (c) => c[0]),
		lat: Float64Array.from(centres, (c) => c[1]),
		population: Float64Array.from(h3, () => (rng() < 0.3 ? 0 : rng() < 0.2 ? 0.5 : Math.round(rng() * 120))),
		areaIndex: new Int32Array(n),
		populationMethod: 'uniform'
	};
	const minutes = Float32Array.from(h3, () => (rng() < 0.55 ? rng() * 15 : rng() < 0.8 ? 15 + rng() * 45 : Infinity));
	const facility = Int32Array.from(minutes, (m) => (Number.isFinite(m) ? Math.floor(rng() * 20) : -1));
	return { cells, result: { minutes, facility } };
}

describe('circuitCarePlaces', () => {
	it('groups uncovered populated cells as a union-find over neighbouring centres does', () => {
		let candidates = 0,
			larger = 0;
		for (let seed = 1; seed <= 6; seed++) {
			const { cells, result } = grid(seed);
			const T = 15,
				params = { maxPlacePopulation: 400, minCellPopulation: 1 };
			const got = circuitCarePlaces(cells, result, T, params);
			// brute force
			const n = cells.count;
			const member = [...Array(n).keys()].filter((c) => cells.population[c] >= 1 && !(result.minutes[c] <= T));
			const parent = new Map(member.map((c) => [c, c]));
			const find = (x: number): number => (parent.get(x) === x ? x : find(parent.get(x)!));
			const stepM = Math.sqrt(3) * edgeLengthM(9);
			for (const a of member)
				for (const b of member)
					if (a < b && haversineM(cells.lon[a], cells.lat[a], cells.lon[b], cells.lat[b]) < 1.3 * stepM) parent.set(find(a), find(b));
			const groups = new Map<number, number[]>();
			for (const c of member) groups.set(find(c), [...(groups.get(find(c)) ?? []), c]);
			const want = [...groups.values()]
				.map((g) => {
					const pop = g.reduce((s, c) => s + cells.population[c], 0);
					const top = g.reduce((t, c) => (cells.population[c] > cells.population[t] ? c : t), g[0]);
					const near = g.reduce((t, c) => (result.minutes[c] < result.minutes[t] ? c : t), g[0]);
					return { h3: cells.h3[top], population: pop, cellCount: g.length, minutesToNearest: Number.isFinite(result.minutes[near]) ? result.minutes[near] : null };
				})
				.filter((p) => p.population < params.maxPlacePopulation)
				.sort((a, b) => b.population - a.population || cells.h3.indexOf(a.h3) - cells.h3.indexOf(b.h3));
			expect(got.places.map((p) => ({ h3: p.h3, population: p.population, cellCount: p.cellCount, minutesToNearest: p.minutesToNearest }))).toEqual(want);
			const scattered = [...Array(n).keys()].filter((c) => cells.population[c] > 0 && cells.population[c] < 1 && !(result.minutes[c] <= T));
			expect(got.scatteredPopulation).toBe(scattered.reduce((s, c) => s + cells.population[c], 0));
			expect(got.largerPlaces).toBe(groups.size - want.length);
			candidates += want.length;
			larger += got.largerPlaces;
			for (const p of got.places) if (p.minutesToNearest !== null) expect(p.minutesToNearest).toBeGreaterThan(T);
		}
		expect(candidates).toBeGreaterThan(10);
		expect(larger).toBeGreaterThan(0);
	});
});
