/**
 * Routing benchmark (`npm run bench`): the travel-time kernels on a SYNTHETIC 1.5 M-node city and on
 * every real network graph built under data/build/. Fixed seeds, warm-up runs, a result sink so no work
 * is optimised away, median / p95 / spread printed (flatbush bench.js habit). Figures also go to
 * data/build/bench.json. One core, Node; performance is only ever measured here, never asserted in tests.
 *
 * Section "incremental coverage (cells)": one-facility moves at the level users see (per-cell minutes /
 * facility / method, IncrementalCoverage) against a full computeCoverage, on the synthetic city with its
 * H3 r9 cells and on the built Shanghai region (radius method), each checked equal to a full run after.
 *
 * Options: BENCH_NODES=300000 (smaller synthetic city), BENCH_SKIP_REAL=1.
 */
import { bboxOf } from '../src/lib/engine/geo/measure';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCsr, renumberHilbert } from '../src/lib/engine/graph/csr';
import { deserializeGraph, serializeGraph } from '../src/lib/engine/graph/serialize';
import { createSnapper } from '../src/lib/engine/graph/snap';
import { computeCoverage, type NetworkContext } from '../src/lib/engine/coverage/coverage';
import { IncrementalCoverage } from '../src/lib/engine/coverage/incremental-coverage';
import { cellCenter, polygonRingsToCells } from '../src/lib/engine/geo/h3';
import { toArrayBuffer } from '../src/lib/engine/io/bundle';
import { PROFILES } from '../src/lib/engine/modes';
import { IncrementalNearest } from '../src/lib/engine/routing/incremental';
import {
	checkExactArithmetic,
	createRoutingWorkspace,
	facilitySeedFromSnap,
	nearestFacilityLabels,
	reachWithin,
	routingGraphFor,
	type FacilitySeed,
	type Labels
} from '../src/lib/engine/routing/shortest-paths';
import { createSeededRng, generateSyntheticArcs, SYNTHETIC_LABEL, syntheticFacilities, syntheticNearbySite, syntheticSite } from '../src/lib/engine/synthetic';
import { MIN_CUTOFF_MINUTES } from '../src/lib/engine/session';
import type { CellResult, CellTable, CsrGraph, Facility, MethodChoice } from '../src/lib/engine/types';
import { loadSession } from './lib/load-built';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const buildRoot = path.resolve(process.env.KEJIMAP_BUILD ?? path.join(repoRoot, 'data/build'));
const NODES = Number(process.env.BENCH_NODES ?? 1_500_000);
const FACILITIES = 3000;
const MAX_S = 900; // 15 minutes
const GOALS = { fullP50Ms: 300, moveP95Ms: 5, isochroneMs: 30 };

// ---- measurement helpers ----
let sink = 0; // every timed result feeds this, printed at the end, so nothing is dead code

interface Stats {
	runs: number;
	p50: number;
	p95: number;
	min: number;
	max: number;
	mean: number;
}

function stats(ms: number[]): Stats {
	const s = [...ms].sort((a, b) => a - b);
	const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
	const r = (x: number) => Math.round(x * 1000) / 1000;
	return { runs: s.length, p50: r(q(0.5)), p95: r(q(0.95)), min: r(s[0]), max: r(s[s.length - 1]), mean: r(s.reduce((a, b) => a + b, 0) / s.length) };
}

/** Time `fn` `runs` times after `warmup` untimed runs; fn returns a number for the sink. */
function bench(fn: (i: number) => number, runs: number, warmup: number): Stats {
	for (let i = 0; i < warmup; i++) sink += fn(i);
	const ms: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		sink += fn(warmup + i);
		ms.push(performance.now() - t);
	}
	return stats(ms);
}

function time<T>(fn: () => T): { value: T; ms: number } {
	const t = performance.now();
	const value = fn();
	return { value, ms: Math.round((performance.now() - t) * 1000) / 1000 };
}

const fmt = (s: Stats) => `p50 ${s.p50.toFixed(2)} ms, p95 ${s.p95.toFixed(2)} ms (min ${s.min.toFixed(2)}, max ${s.max.toFixed(2)}, n=${s.runs})`;
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
const log = (s: string) => console.log(s);

function countLabelled(l: Labels): number {
	let k = 0;
	for (let v = 0; v < l.owner.length; v++) if (l.owner[v] >= 0) k++;
	return k;
}

function sameLabels(a: Labels, b: Labels): boolean {
	for (let v = 0; v < a.distS.length; v++) if (!Object.is(a.distS[v], b.distS[v]) || a.owner[v] !== b.owner[v]) return false;
	return true;
}

/** Moves random facilities to random nearby sites (random walk of up to 10 arcs); times moveFacility only. */
function benchMoves(inc: IncrementalNearest, g: CsrGraph, moves: number, warmup: number, seed: number, accessSpeedMps: number): Stats {
	const rng = createSeededRng(seed);
	const active = inc.seedsActive.flatMap((a, f) => (a && inc.seedOf(f)!.entries.length > 0 ? [f] : []));
	const ms: number[] = [];
	for (let i = 0; i < warmup + moves; i++) {
		const f = active[Math.floor(rng() * active.length)];
		const from = inc.seedOf(f)!.entries[0].node;
		const site = syntheticNearbySite(g, f, from, rng, 10) ?? syntheticSite(g, f, from, rng, accessSpeedMps);
		const next: FacilitySeed = site ? { facility: f, entries: site.entries } : inc.seedOf(f)!;
		const t = performance.now();
		inc.moveFacility(f, next);
		const dt = performance.now() - t;
		sink += inc.changedNodes().length;
		if (i >= warmup) ms.push(dt);
	}
	return stats(ms);
}

// ---- (a) synthetic city ----
interface SyntheticReport {
	label: string;
	nodes: number;
	arcs: number;
	generateMs: number;
	build: Stats;
	bytes: number;
	exactArithmetic: boolean;
	full: Stats & { facilities: number; maxS: number; labelledNodes: number };
	incremental: { constructMs: number; move: Stats; equalsFullAfterMoves: boolean };
	isochroneSearch: Stats & { meanNodes: number };
	isochronePolygon?: (Stats & { cells: number; note: string }) | { skipped: string };
	snap: { buildMs: number; segments: number; cells: number; snapManyMs: number; snappedCells: number; facilitiesMs: number };
	incrementalCoverage: IncrementalCellsReport[];
	memory: NodeJS.MemoryUsage;
}

async function benchSynthetic(): Promise<SyntheticReport> {
	log(`\n(a) ${SYNTHETIC_LABEL}: ${NODES.toLocaleString('en')} nodes`);
	const gen = time(() => generateSyntheticArcs({ nodes: NODES, seed: 1 }));
	const input = gen.value;
	log(`  generate arcs: ${gen.ms.toFixed(0)} ms (${input.arcs.count.toLocaleString('en')} arcs)`);
	let g: CsrGraph | null = null;
	const build = bench(
		() => {
			g = renumberHilbert(buildCsr(input)).graph;
			return g.arcCount;
		},
		3,
		1
	);
	const graph = g as unknown as CsrGraph;
	log(`  build (buildCsr + renumberHilbert): ${fmt(build)}`);
	const bytes = serializeGraph(graph).byteLength;
	log(`  serialized: ${mib(bytes)}  (${(graph.arcCount / graph.nodeCount).toFixed(2)} arcs/node)`);
	const exact = checkExactArithmetic(graph, MAX_S).exact;

	const facilities = syntheticFacilities(graph, FACILITIES, 2);
	const ws = createRoutingWorkspace(graph.nodeCount);
	const out: Labels = { distS: new Float64Array(graph.nodeCount), owner: new Int32Array(graph.nodeCount) };
	const full = bench(() => nearestFacilityLabels(graph, facilities, MAX_S, { workspace: ws, out }).distS[0], 9, 2);
	const labelled = countLabelled(out);
	log(`  full coverage (${FACILITIES} facilities, ${MAX_S} s): ${fmt(full)}; ${labelled.toLocaleString('en')} nodes labelled`);

	const construct = time(() => new IncrementalNearest(graph, MAX_S, facilities));
	const inc = construct.value;
	const move = benchMoves(inc, graph, 400, 40, 3, 1.25);
	const after = nearestFacilityLabels(graph, inc.activeSeeds(), MAX_S, { workspace: ws, out });
	const equal = sameLabels(inc.labels, after);
	log(`  incremental: construct ${construct.ms.toFixed(0)} ms; one-facility move: ${fmt(move)}; equals full recompute after 440 moves: ${equal}`);

	let nodesSum = 0;
	const iso = bench(
		(i) => {
			const r = reachWithin(graph, facilities[i % FACILITIES].entries, MAX_S, ws);
			nodesSum += r.nodes.length;
			return r.nodes.length;
		},
		300,
		30
	);
	const meanNodes = Math.round(nodesSum / 330);
	log(`  one isochrone search (15 min, one facility): ${fmt(iso)}; ${meanNodes} nodes on average`);

	// Cells: H3 res 9 over the synthetic city (the ~60k-cell case) for snapMany and the polygon part.
	const [minLon, minLat, maxLon, maxLat] = bboxOf(graph.lon, graph.lat);
	const h3 = polygonRingsToCells(
		[
			[
				[minLon, minLat],
				[maxLon, minLat],
				[maxLon, maxLat],
				[minLon, maxLat],
				[minLon, minLat]
			]
		],
		9
	);
	const cells: CellTable = {
		resolution: 9,
		count: h3.length,
		h3,
		lon: new Float64Array(h3.length),
		lat: new Float64Array(h3.length),
		population: new Float64Array(h3.length).fill(100), // synthetic uniform population
		areaIndex: new Int32Array(h3.length),
		populationMethod: 'uniform'
	};
	h3.forEach((c, i) => ([cells.lon[i], cells.lat[i]] = cellCenter(c)));
	const snapBuild = time(() => createSnapper(graph, 1.25));
	const snapper = snapBuild.value;
	const snapMany = time(() => snapper.snapMany(cells.lon, cells.lat, 300));
	let snappedCells = 0;
	for (let i = 0; i < cells.count; i++) if (snapMany.value.u[i] >= 0) snappedCells++;
	const flon = Float64Array.from(facilities, (f) => f.lon),
		flat = Float64Array.from(facilities, (f) => f.lat);
	const snapFac = time(() => snapper.snapMany(flon, flat, 500));
	sink += snapFac.value.u[0];
	log(
		`  snap: index ${snapBuild.ms.toFixed(0)} ms (${snapper.segmentCount.toLocaleString('en')} segments); snapMany ${cells.count.toLocaleString('en')} H3 r9 cells ${snapMany.ms.toFixed(0)} ms (${snappedCells} within 300 m); ${FACILITIES} facilities ${snapFac.ms.toFixed(0)} ms`
	);

	const isochronePolygon = await benchIsochronePolygon(graph, cells, facilities);

	// ~60k cells: H3 r9 over the city's box widened by 5 km, so the edge cells lie off the network (auto: radius)
	const padLat = 5000 / 111_195,
		padLon = padLat / Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
	const wide = polygonRingsToCells(
		[
			[
				[minLon - padLon, minLat - padLat],
				[maxLon + padLon, minLat - padLat],
				[maxLon + padLon, maxLat + padLat],
				[minLon - padLon, maxLat + padLat],
				[minLon - padLon, minLat - padLat]
			]
		],
		9
	);
	const incCells: CellTable = { ...cells, count: wide.length, h3: wide, lon: new Float64Array(wide.length), lat: new Float64Array(wide.length) };
	incCells.population = new Float64Array(wide.length).fill(100);
	incCells.areaIndex = new Int32Array(wide.length);
	wide.forEach((c, i) => ([incCells.lon[i], incCells.lat[i]] = cellCenter(c)));
	const incCellSnap = snapper.snapMany(incCells.lon, incCells.lat, 300);
	let offNetwork = 0;
	for (let i = 0; i < incCells.count; i++) if (incCellSnap.u[i] < 0) offNetwork++;
	log(`\n  incremental coverage (cells), ${SYNTHETIC_LABEL}: ${incCells.count.toLocaleString('en')} H3 r9 cells (${offNetwork.toLocaleString('en')} off the network)`);
	const network: NetworkContext = {
		graph,
		searchGraph: graph, // symmetric
		cellSnap: incCellSnap,
		facilitySnap: snapFac.value,
		maxCellAccessM: 300,
		maxFacilityAccessM: 500,
		snapper
	};
	const nodeOf = Int32Array.from(facilities, (f) => f.entries[0].node);
	const nearbySite = (f: number, rng: () => number) => {
		const site = syntheticNearbySite(graph, f, nodeOf[f], rng, 10);
		if (!site) return null;
		nodeOf[f] = site.entries[0].node;
		return { lon: site.lon, lat: site.lat };
	};
	const incrementalCoverage: IncrementalCellsReport[] = [];
	for (const method of ['auto', 'radius'] as MethodChoice[])
		incrementalCoverage.push(
			benchIncrementalCells(`synthetic/walk/${method}`, SYNTHETIC_LABEL, {
				cells: incCells,
				facilities,
				active: Int32Array.from(facilities, (_, i) => i),
				profile: PROFILES.walk,
				method,
				network: method === 'radius' ? null : network,
				site: nearbySite,
				seed: 11
			})
		);

	const memory = process.memoryUsage();
	log(`  memory: rss ${mib(memory.rss)}, heapUsed ${mib(memory.heapUsed)}, arrayBuffers ${mib(memory.arrayBuffers)}`);
	return {
		label: SYNTHETIC_LABEL,
		nodes: graph.nodeCount,
		arcs: graph.arcCount,
		generateMs: gen.ms,
		build,
		bytes,
		exactArithmetic: exact,
		full: { ...full, facilities: FACILITIES, maxS: MAX_S, labelledNodes: labelled },
		incremental: { constructMs: construct.ms, move, equalsFullAfterMoves: equal },
		isochroneSearch: { ...iso, meanNodes },
		isochronePolygon,
		snap: { buildMs: snapBuild.ms, segments: snapper.segmentCount, cells: cells.count, snapManyMs: snapMany.ms, snappedCells, facilitiesMs: snapFac.ms },
		incrementalCoverage,
		memory
	};
}

/**
 * The lead's polygon step (engine/coverage/isochrone.ts), when present: one facility's 15-minute
 * isochrone as merged H3 cells. Loaded dynamically with a minimal local type, so the bench keeps
 * working (and says why it skipped) if that module is absent or its API changes.
 */
async function benchIsochronePolygon(graph: CsrGraph, cells: CellTable, facilities: Facility[] | { lon: number; lat: number }[]) {
	const isoPath = path.join(repoRoot, 'src/lib/engine/coverage/isochrone.ts');
	const covPath = path.join(repoRoot, 'src/lib/engine/coverage/coverage.ts');
	if (!existsSync(isoPath) || !existsSync(covPath)) return { skipped: 'engine/coverage/isochrone.ts not present' };
	try {
		type Fn = (...args: unknown[]) => unknown;
		const iso = (await import(isoPath)) as { facilityIsochrone?: Fn };
		const cov = (await import(covPath)) as { prepareNetwork?: Fn };
		if (typeof iso.facilityIsochrone !== 'function' || typeof cov.prepareNetwork !== 'function')
			return { skipped: 'isochrone.ts has no facilityIsochrone / coverage.ts no prepareNetwork' };
		const profile = PROFILES.walk;
		const network = cov.prepareNetwork(graph, cells, facilities, profile);
		const req = { cells, facilities, profile, method: 'network', cutoffMinutes: 15, network };
		let cellsSum = 0;
		const s = bench(
			(i) => {
				const f = (i * 7919) % facilities.length;
				const feature = iso.facilityIsochrone!(req, f, 15) as { properties: { cells: number } };
				cellsSum += feature.properties.cells;
				return feature.properties.cells;
			},
			15,
			3
		);
		const note = 'coverage/isochrone.ts facilityIsochrone: one-facility network run over all cells + H3 merge';
		log(`  one isochrone polygon (${note}): ${fmt(s)}; ${Math.round(cellsSum / 18)} cells on average`);
		return { ...s, cells: Math.round(cellsSum / 18), note };
	} catch (e) {
		const msg = e instanceof Error ? e.message : String(e);
		log(`  isochrone polygon: skipped (${msg})`);
		return { skipped: msg };
	}
}

// ---- incremental coverage at the cell level ----
interface IncrementalCellsReport {
	case: string;
	label: string;
	cells: number;
	activeFacilities: number;
	method: MethodChoice;
	cutoffMinutes: number;
	/** full computeCoverage (labels + every cell) */
	full: Stats;
	constructMs: number;
	/** IncrementalCoverage.moveFacility: new site snapped, labels updated, affected cells recomputed */
	move: Stats;
	meanChangedCells: number;
	/** full p50 / move p50 and full p50 / move p95 */
	speedupP50: number;
	speedupP95: number;
	equalsFullAfterMoves: boolean;
}

function sameCells(a: CellResult, b: CellResult): boolean {
	for (let c = 0; c < a.minutes.length; c++)
		if (!Object.is(a.minutes[c], b.minutes[c]) || a.facility[c] !== b.facility[c] || a.method[c] !== b.method[c]) return false;
	return true;
}

/**
 * Full computeCoverage vs IncrementalCoverage.moveFacility on the same settings (cutoff = the session's
 * MIN_CUTOFF_MINUTES, as the app computes). Moves: random active facility to `site(f, rng)`; only
 * moveFacility is timed. Afterwards the result is compared with a full run on the moved facilities.
 */
function benchIncrementalCells(
	name: string,
	label: string,
	o: {
		cells: CellTable;
		facilities: { lon: number; lat: number }[];
		active: Int32Array;
		profile: (typeof PROFILES)['walk'];
		method: MethodChoice;
		network: NetworkContext | null;
		site: (f: number, rng: () => number) => { lon: number; lat: number } | null;
		seed: number;
		moves?: number;
	}
): IncrementalCellsReport {
	const cutoffMinutes = MIN_CUTOFF_MINUTES;
	const req = { cells: o.cells, facilities: o.facilities, active: o.active, profile: o.profile, method: o.method, cutoffMinutes, network: o.network };
	const full = bench(() => computeCoverage(req).result.minutes[0], 5, 1);
	const construct = time(() => new IncrementalCoverage(req));
	const inc = construct.value;
	const rng = createSeededRng(o.seed);
	const moves = o.moves ?? 300,
		warmup = 30;
	const ms: number[] = [];
	let changed = 0;
	for (let i = 0; i < warmup + moves; i++) {
		const f = o.active[Math.floor(rng() * o.active.length)];
		const p = o.site(f, rng);
		if (!p) continue;
		const t = performance.now();
		inc.moveFacility(f, p.lon, p.lat);
		const dt = performance.now() - t;
		sink += inc.changedCells().length;
		if (i >= warmup) {
			ms.push(dt);
			changed += inc.changedCells().length;
		}
	}
	const move = stats(ms);
	// equality with a full run on the moved facilities (facility snaps redone for the new sites)
	const facilities = inc.facilityPositions();
	let network = o.network;
	if (network)
		network = {
			...network,
			facilitySnap: network.snapper!.snapMany(
				facilities.map((f) => f.lon),
				facilities.map((f) => f.lat),
				network.maxFacilityAccessM
			)
		};
	const after = computeCoverage({ ...req, facilities, active: inc.activeIndices(), network }).result;
	const equal = sameCells(inc.result, after);
	const r = (x: number) => Math.round(x * 10) / 10;
	const report: IncrementalCellsReport = {
		case: name,
		label,
		cells: o.cells.count,
		activeFacilities: o.active.length,
		method: o.method,
		cutoffMinutes,
		full,
		constructMs: construct.ms,
		move,
		meanChangedCells: Math.round(changed / ms.length),
		speedupP50: r(full.p50 / move.p50),
		speedupP95: r(full.p50 / move.p95),
		equalsFullAfterMoves: equal
	};
	log(`    ${name} (${o.cells.count.toLocaleString('en')} cells, ${o.active.length} facilities, ${o.method}, cutoff ${cutoffMinutes} min):`);
	log(`      full computeCoverage: ${fmt(full)}; construct IncrementalCoverage ${construct.ms.toFixed(0)} ms`);
	log(
		`      one-facility move (cells): ${fmt(move)}; ${report.meanChangedCells} cells repainted on average; full p50 / move p50 = ${report.speedupP50}x, / move p95 = ${report.speedupP95}x; equals full recompute after ${warmup + moves} moves: ${equal}`
	);
	return report;
}

/** The built Shanghai region (no network: radius method), policy levels, moves of up to 2 km. */
function benchIncrementalShanghai(): IncrementalCellsReport | { skipped: string } {
	const id = 'shanghai';
	if (process.env.BENCH_SKIP_REAL) return { skipped: 'BENCH_SKIP_REAL' };
	if (!existsSync(path.join(buildRoot, id, 'region.json'))) return { skipped: `data/build/${id} not built` };
	const session = loadSession(id, []);
	log(`\n  incremental coverage (cells), built region ${id} (real facilities; population ${session.region.populationMethod}):`);
	const levels = session.region.manifest.policy.levels;
	const active = session.activeIndices(levels);
	const pos = session.facilities.map((f) => ({ lon: f.lon, lat: f.lat }));
	const mPerDegLat = 111_195;
	const mPerDegLon = mPerDegLat * Math.cos((31.2 * Math.PI) / 180);
	return benchIncrementalCells(`${id}/walk/radius`, `${session.region.name.en}, levels ${levels.join(',')}`, {
		cells: session.cells,
		facilities: session.facilities,
		active,
		profile: PROFILES.walk,
		method: 'radius',
		network: null,
		site: (f, rng) => {
			// a nearby site: up to 2 km from where the facility is now
			const p = pos[f];
			p.lon += ((rng() * 2 - 1) * 2000) / mPerDegLon;
			p.lat += ((rng() * 2 - 1) * 2000) / mPerDegLat;
			return { lon: p.lon, lat: p.lat };
		},
		seed: 13
	});
}

// ---- (b) real networks ----
interface RealReport {
	region: string;
	mode: string;
	file: string;
	bytes: number;
	loadMs: number;
	nodes: number;
	arcs: number;
	symmetric: boolean;
	reverseMs: number;
	exactArithmetic: boolean;
	facilities?: {
		count: number;
		snapped: number;
		snapIndexMs: number;
		snapMs: number;
		full: Stats;
		labelledNodes: number;
		/** moves of real facilities to generated nearby sites (random walk of up to 10 arcs) */
		move: Stats;
		equalsFullAfterMoves: boolean;
	};
	note?: string;
}

function benchReal(): RealReport[] {
	const out: RealReport[] = [];
	if (process.env.BENCH_SKIP_REAL || !existsSync(buildRoot)) return out;
	const regions = readdirSync(buildRoot, { withFileTypes: true })
		.filter((d) => d.isDirectory())
		.map((d) => d.name)
		.sort();
	for (const region of regions) {
		const dir = path.join(buildRoot, region);
		const graphs = readdirSync(dir)
			.filter((f) => /^graph-(walk|cycle|drive)\.bin$/.test(f))
			.sort();
		if (graphs.length === 0) continue;
		const facPath = path.join(dir, 'facilities.json');
		let facilities: Facility[] | null = null;
		if (existsSync(facPath)) {
			try {
				facilities = JSON.parse(readFileSync(facPath, 'utf8')) as Facility[];
			} catch (e) {
				log(`  ${region}: facilities.json unreadable (${e instanceof Error ? e.message : e})`);
			}
		}
		for (const file of graphs) {
			const full = path.join(dir, file);
			const loaded = time(() => deserializeGraph(toArrayBuffer(readFileSync(full))));
			const g = loaded.value;
			const rev = time(() => routingGraphFor(g));
			const search = rev.value;
			const r: RealReport = {
				region,
				mode: g.mode,
				file: path.relative(repoRoot, full),
				bytes: serializeGraph(g).byteLength,
				loadMs: loaded.ms,
				nodes: g.nodeCount,
				arcs: g.arcCount,
				symmetric: g.symmetric,
				reverseMs: g.symmetric ? 0 : rev.ms,
				exactArithmetic: checkExactArithmetic(search, MAX_S).exact
			};
			log(
				`\n(b) ${region} ${g.mode}: ${g.nodeCount.toLocaleString('en')} nodes, ${g.arcCount.toLocaleString('en')} arcs, ${mib(r.bytes)}, load ${loaded.ms.toFixed(0)} ms${g.symmetric ? '' : `, reverse ${rev.ms.toFixed(0)} ms`}, exact arithmetic: ${r.exactArithmetic}`
			);
			if (facilities && facilities.length > 0) {
				const profile = PROFILES[g.mode];
				const snapIdx = time(() => createSnapper(g, profile.accessSpeedMps));
				const snapper = snapIdx.value;
				const snaps = time(() => facilities!.map((f) => snapper.snap(f.lon, f.lat, 500)));
				const seeds = snaps.value.map((s, i) => facilitySeedFromSnap(i, s));
				const snapped = seeds.filter((s) => s.entries.length > 0).length;
				const ws = createRoutingWorkspace(g.nodeCount);
				const labels: Labels = { distS: new Float64Array(g.nodeCount), owner: new Int32Array(g.nodeCount) };
				const fullStats = bench(() => nearestFacilityLabels(search, seeds, MAX_S, { workspace: ws, out: labels }).distS[0], 7, 2);
				const labelled = countLabelled(labels);
				const inc = new IncrementalNearest(search, MAX_S, seeds, { inGraph: g.symmetric ? undefined : g });
				// nearby sites on the real graph: random walk on the search graph, access 0-50 m
				const move = benchMoves(inc, search, 200, 20, 5, profile.accessSpeedMps);
				const equal = sameLabels(inc.labels, nearestFacilityLabels(search, inc.activeSeeds(), MAX_S, { workspace: ws, out: labels }));
				r.facilities = {
					count: facilities.length,
					snapped,
					snapIndexMs: snapIdx.ms,
					snapMs: snaps.ms,
					full: fullStats,
					labelledNodes: labelled,
					move,
					equalsFullAfterMoves: equal
				};
				log(`    facilities: ${facilities.length} (${snapped} within 500 m of a road); snap index ${snapIdx.ms.toFixed(0)} ms, snap ${snaps.ms.toFixed(0)} ms`);
				log(`    full coverage (${MAX_S} s): ${fmt(fullStats)}; ${labelled.toLocaleString('en')} nodes labelled`);
				log(`    one-facility move: ${fmt(move)}; equals full recompute after: ${equal}`);
			} else r.note = 'no facilities.json';
			out.push(r);
		}
	}
	return out;
}

async function main() {
	log(`Kejimap routing bench — Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} (${os.cpus().length} cores; kernels are single-threaded)`);
	const t0 = performance.now();
	const synthetic = await benchSynthetic();
	const real = benchReal();
	const shanghaiCells = benchIncrementalShanghai();
	const incrementalCoverage = { synthetic: synthetic.incrementalCoverage, shanghai: shanghaiCells };
	const goals = {
		fullCoverageP50: { goalMs: GOALS.fullP50Ms, ms: synthetic.full.p50, met: synthetic.full.p50 <= GOALS.fullP50Ms },
		moveP95: { goalMs: GOALS.moveP95Ms, ms: synthetic.incremental.move.p95, met: synthetic.incremental.move.p95 <= GOALS.moveP95Ms },
		isochroneSearchP50: { goalMs: GOALS.isochroneMs, ms: synthetic.isochroneSearch.p50, met: synthetic.isochroneSearch.p50 <= GOALS.isochroneMs },
		...('p50' in (synthetic.isochronePolygon ?? {})
			? {
					isochronePolygonP50: {
						goalMs: GOALS.isochroneMs,
						ms: (synthetic.isochronePolygon as Stats).p50,
						met: (synthetic.isochronePolygon as Stats).p50 <= GOALS.isochroneMs
					}
				}
			: {})
	};
	log('\nGoals (synthetic city, one core):');
	log('  figure                        goal        measured    met');
	for (const [k, v] of Object.entries(goals)) log(`  ${k.padEnd(28)}  <= ${String(v.goalMs).padEnd(6)} ms  ${v.ms.toFixed(2).padStart(8)} ms  ${v.met ? 'yes' : 'NO'}`);
	if (real.length > 0) {
		log('\nReal networks:');
		log(`  ${'region/mode'.padEnd(40)}     nodes      arcs   MiB  load ms  facilities  full p50 ms  move p95 ms`);
		for (const r of real)
			log(
				`  ${`${r.region}/${r.mode}`.padEnd(40)} ${String(r.nodes).padStart(9)} ${String(r.arcs).padStart(9)} ${(r.bytes / 2 ** 20).toFixed(1).padStart(5)} ${r.loadMs.toFixed(0).padStart(8)}  ${String(r.facilities?.count ?? '-').padStart(10)}  ${(r.facilities?.full.p50.toFixed(2) ?? '-').padStart(11)}  ${(r.facilities?.move.p95.toFixed(3) ?? '-').padStart(11)}`
			);
	} else log(`\nReal networks: none built under ${path.relative(repoRoot, buildRoot) || buildRoot} (graph-<mode>.bin)`);
	log('\nIncremental coverage (cells): one-facility move vs full computeCoverage');
	log(`  ${'case'.padEnd(28)}   cells  facilities  full p50 ms  move p50 ms  move p95 ms  full/p50  full/p95  equal`);
	for (const r of [...synthetic.incrementalCoverage, shanghaiCells])
		if ('skipped' in r) log(`  shanghai: skipped (${r.skipped})`);
		else
			log(
				`  ${r.case.padEnd(28)} ${String(r.cells).padStart(7)}  ${String(r.activeFacilities).padStart(10)}  ${r.full.p50.toFixed(1).padStart(11)}  ${r.move.p50.toFixed(3).padStart(11)}  ${r.move.p95.toFixed(3).padStart(11)}  ${String(r.speedupP50).padStart(8)}  ${String(r.speedupP95).padStart(8)}  ${r.equalsFullAfterMoves}`
			);
	const totalS = (performance.now() - t0) / 1000;
	log(`\nTotal ${totalS.toFixed(1)} s. (sink ${sink > 0 ? 'ok' : sink})`);
	mkdirSync(buildRoot, { recursive: true });
	const report = {
		generatedAt: new Date().toISOString(),
		node: process.version,
		cpu: os.cpus()[0]?.model ?? null,
		totalS: Math.round(totalS * 10) / 10,
		goals,
		synthetic: { ...synthetic, incrementalCoverage: undefined },
		real,
		incrementalCoverage
	};
	const file = path.join(buildRoot, 'bench.json');
	writeFileSync(file, JSON.stringify(report, null, 1));
	log(`Wrote ${path.relative(repoRoot, file)}`);
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
