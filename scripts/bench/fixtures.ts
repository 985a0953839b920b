/**
 * Inputs the suites share, made once per run: the SYNTHETIC city (generated, not real data), H3 cells over a
 * box, and the built regions under data/build (skipped, with the reason, when absent).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildCsr, renumberHilbert } from '../../src/lib/engine/graph/csr';
import { bboxOf, metresPerDegree } from '../../src/lib/engine/geo/measure';
import { cellCenter, polygonRingsToCells } from '../../src/lib/engine/geo/h3';
import { generateSyntheticArcs, syntheticFacilities, type SyntheticFacility } from '../../src/lib/engine/synthetic';
import type { CoverageSession } from '../../src/lib/engine/session';
import type { CellTable, CsrGraph } from '../../src/lib/engine/types';
import { loadSession } from '../lib/load-built';
import { buildRoot } from '../lib/paths';
import { bench, log, time, type Stats } from './harness';

export const SYNTHETIC_NODES = Number(process.env.BENCH_NODES ?? 1_500_000);
export const SYNTHETIC_FACILITIES = 3000;
export const skipReal = !!process.env.BENCH_SKIP_REAL;

export interface SyntheticCity {
	graph: CsrGraph;
	facilities: SyntheticFacility[];
	arcs: number;
	generateMs: number;
	build: Stats;
}

let city: SyntheticCity | null = null;

/** The synthetic city (timed the first time: arc generation once, CSR build + Hilbert renumbering 3 times). */
export function syntheticCity(): SyntheticCity {
	if (city) return city;
	const gen = time(() => generateSyntheticArcs({ nodes: SYNTHETIC_NODES, seed: 1 }));
	let g: CsrGraph | null = null;
	const build = bench(
		() => {
			g = renumberHilbert(buildCsr(gen.value)).graph;
			return g.arcCount;
		},
		3,
		1
	);
	const graph = g as unknown as CsrGraph;
	city = { graph, facilities: syntheticFacilities(graph, SYNTHETIC_FACILITIES, 2), arcs: gen.value.arcs.count, generateMs: gen.ms, build };
	return city;
}

/** H3 cells of `resolution` over a graph's box widened by padM metres, with a uniform SYNTHETIC population. */
export function cellsOverBox(g: Pick<CsrGraph, 'lon' | 'lat'>, padM: number, resolution = 9): CellTable {
	const [w, s, e, n] = bboxOf(g.lon, g.lat);
	const { mPerDegLon, mPerDegLat } = metresPerDegree((s + n) / 2);
	const dLon = padM / mPerDegLon,
		dLat = padM / mPerDegLat;
	const ring: [number, number][] = [
		[w - dLon, s - dLat],
		[e + dLon, s - dLat],
		[e + dLon, n + dLat],
		[w - dLon, n + dLat],
		[w - dLon, s - dLat]
	];
	const h3 = polygonRingsToCells([ring], resolution);
	const cells: CellTable = {
		resolution,
		count: h3.length,
		h3,
		lon: new Float64Array(h3.length),
		lat: new Float64Array(h3.length),
		population: new Float64Array(h3.length).fill(100),
		areaIndex: new Int32Array(h3.length),
		populationMethod: 'uniform'
	};
	h3.forEach((c, i) => ([cells.lon[i], cells.lat[i]] = cellCenter(c)));
	return cells;
}

const sessions = new Map<string, CoverageSession>();

/** A built region (all its graphs), or the reason it is skipped. */
export function builtRegion(id: string): CoverageSession | { skipped: string } {
	if (skipReal) return { skipped: 'BENCH_SKIP_REAL' };
	if (!existsSync(path.join(buildRoot, id, 'region.json'))) return { skipped: `data/build/${id} not built (npm run data)` };
	let s = sessions.get(id);
	if (!s) {
		s = loadSession(id);
		sessions.set(id, s);
	}
	return s;
}

export function skipped(what: string, r: { skipped: string }): { skipped: string } {
	log(`  ${what}: skipped (${r.skipped})`);
	return r;
}
