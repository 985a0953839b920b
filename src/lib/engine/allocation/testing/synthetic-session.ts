/**
 * Test support (not used by the app): a SYNTHETIC region as a CoverageSession — random street pieces (walk,
 * symmetric; drive, partly one-way) at walking / driving time scales, cells near the streets and off them, two
 * areas (west, east), counted ('chc') and uncounted ('chs') facilities. Not a real place.
 */
import type { BuiltRegion } from '../../built-region';
import { metresPerDegree } from '../../geo/measure';
import { createRng, randomGraph } from '../../routing/testing/random-graphs';
import { CoverageSession } from '../../session';
import type { CellTable, CsrGraph, Facility } from '../../types';

function scaled(g: CsrGraph, k: number): CsrGraph {
	return { ...g, weightS: Float32Array.from(g.weightS, (w) => w * k) };
}

export function syntheticSession(seed: number, o: { parts?: number; cells?: number; facilities?: number } = {}): CoverageSession {
	const rng = createRng(seed);
	const parts = o.parts ?? 3;
	// randomGraph weights are about metres / 25 s: x20 gives walking (1.25 m/s), x4 a slow drive
	const walk = scaled(randomGraph(rng, { nodes: 300, symmetric: true, parts, weights: 'int', zeroShare: 0.02 }), 20);
	const drive = scaled(randomGraph(rng, { nodes: 300, symmetric: false, parts, weights: 'int', zeroShare: 0.02 }), 4);
	const { mPerDegLon, mPerDegLat } = metresPerDegree(31);
	const near = (g: CsrGraph, jitterM: number): [number, number] => {
		const v = Math.floor(rng() * g.nodeCount);
		return [g.lon[v] + ((rng() * 2 - 1) * jitterM) / mPerDegLon, g.lat[v] + ((rng() * 2 - 1) * jitterM) / mPerDegLat];
	};
	const west = 119.99,
		eastEdge = 120 + parts * 0.05,
		mid = (west + eastEdge) / 2;
	const n = o.cells ?? 250;
	const lon = new Float64Array(n),
		lat = new Float64Array(n),
		population = new Float64Array(n),
		areaIndex = new Int32Array(n);
	for (let c = 0; c < n; c++) {
		const r = rng();
		const [x, y] = r < 0.75 ? near(walk, 250) : [west + rng() * (eastEdge - west), 30.99 + rng() * 0.05];
		lon[c] = x;
		lat[c] = y;
		population[c] = rng() < 0.1 ? 0 : 1 + Math.floor(rng() * 300);
		areaIndex[c] = x < mid ? 0 : 1;
	}
	const cells: CellTable = { resolution: 9, count: n, h3: Array.from({ length: n }, (_, i) => `c${i}`), lon, lat, population, areaIndex, populationMethod: 'uniform' };
	const facilities: Facility[] = [];
	for (let i = 0; i < (o.facilities ?? 8); i++) {
		const [x, y] = near(walk, 150);
		facilities.push({ id: `f${i}`, name: `SYNTHETIC ${i}`, level: i % 3 === 2 ? 'chs' : 'chc', lon: x, lat: y, source: 'synthetic', areaId: x < mid ? 'west' : 'east' });
	}
	const region = {
		id: 'synthetic-plan',
		areas: [
			{ id: 'west', name: 'West', bbox: [west, 30.99, mid, 31.04] },
			{ id: 'east', name: 'East', bbox: [mid, 30.99, eastEdge, 31.04] }
		],
		files: { graphs: { walk: 'walk.bin', drive: 'drive.bin' } }
	} as unknown as BuiltRegion;
	return new CoverageSession(region, facilities, cells, { walk, drive });
}
