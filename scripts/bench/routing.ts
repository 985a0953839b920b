/**
 * Routing kernels on the SYNTHETIC 1.5 M-node city (generated, not real data): graph build, full labels by
 * each search strategy (per facility, global, auto: identical labels, timed in turns), one-facility moves,
 * one facility's isochrone (search and polygon), snapping.
 */
import { prepareNetwork } from '../../src/lib/engine/coverage/coverage';
import { facilityIsochrone } from '../../src/lib/engine/coverage/isochrone';
import { createSnapper } from '../../src/lib/engine/graph/snap';
import { serializeGraph } from '../../src/lib/engine/graph/serialize';
import { PROFILES } from '../../src/lib/engine/modes';
import { IncrementalNearest } from '../../src/lib/engine/routing/incremental';
import {
	checkExactArithmetic,
	createRoutingWorkspace,
	nearestFacilityLabels,
	reachWithin,
	type FacilitySeed,
	type LabelRunStats,
	type LabelStrategy,
	type Labels
} from '../../src/lib/engine/routing/shortest-paths';
import { createSeededRng, SYNTHETIC_LABEL, syntheticNearbySite, syntheticSite } from '../../src/lib/engine/synthetic';
import type { CsrGraph } from '../../src/lib/engine/types';
import { cellsOverBox, SYNTHETIC_FACILITIES, syntheticCity } from './fixtures';
import { bench, benchInTurns, consume, countLabelled, fmt, log, mib, ratio, sameLabels, stats, time, type Stats, type Suite } from './harness';

export const MAX_S = 900; // 15 minutes
export const GOALS = { fullP50Ms: 300, moveP95Ms: 5, isochroneMs: 30 };

/** Moves random facilities to random nearby sites (random walk of up to 10 arcs); times moveFacility only. */
export function benchMoves(inc: IncrementalNearest, g: CsrGraph, moves: number, warmup: number, seed: number, accessSpeedMps: number): Stats {
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
		consume(inc.changedNodes().length);
		if (i >= warmup) ms.push(dt);
	}
	return stats(ms);
}

export interface StrategyReport {
	perFacility: Stats;
	global: Stats;
	auto: Stats;
	/** what auto chose, its estimated overlap, and the measured overlap of the per-facility searches */
	autoChoice: LabelRunStats['strategy'];
	estimatedOverlap: number;
	perFacilityOverlap: number;
	/** perFacility p50 / global p50 */
	globalSpeedup: number;
	identical: boolean;
}

/** Full labels by each strategy, timed in turns on shared buffers, and checked identical. */
export function benchStrategies(g: CsrGraph, seeds: FacilitySeed[], maxS: number, runs: number, warmup: number): StrategyReport {
	const ws = createRoutingWorkspace(g.nodeCount);
	const outs = {} as Record<LabelStrategy, Labels>;
	const runStats = {} as Record<LabelStrategy, LabelRunStats>;
	const variant = (strategy: LabelStrategy) => {
		outs[strategy] = { distS: new Float64Array(g.nodeCount), owner: new Int32Array(g.nodeCount) };
		runStats[strategy] = {} as LabelRunStats;
		return () => nearestFacilityLabels(g, seeds, maxS, { workspace: ws, out: outs[strategy], strategy, stats: runStats[strategy] }).distS[0];
	};
	const t = benchInTurns({ perFacility: variant('perFacility'), global: variant('global'), auto: variant('auto') }, runs, warmup);
	const per = runStats.perFacility;
	return {
		...t,
		autoChoice: runStats.auto.strategy,
		estimatedOverlap: Math.round(runStats.auto.estimatedOverlap * 100) / 100,
		perFacilityOverlap: Math.round((per.labelWrites / Math.max(1, per.labelled)) * 100) / 100,
		globalSpeedup: ratio(t.perFacility.p50, t.global.p50),
		identical: sameLabels(outs.perFacility, outs.global) && sameLabels(outs.perFacility, outs.auto)
	};
}

export function fmtStrategies(r: StrategyReport): string {
	return `per facility p50 ${r.perFacility.p50.toFixed(2)} ms, global ${r.global.p50.toFixed(2)} ms, auto ${r.auto.p50.toFixed(2)} ms (chose ${r.autoChoice}, estimated overlap ${r.estimatedOverlap}; per-facility writes per node ${r.perFacilityOverlap}); identical: ${r.identical}`;
}

async function run() {
	const c = syntheticCity();
	const graph = c.graph;
	const facilities = c.facilities;
	log(`\n[routing] ${SYNTHETIC_LABEL}: ${graph.nodeCount.toLocaleString('en')} nodes`);
	log(`  generate arcs: ${c.generateMs.toFixed(0)} ms (${c.arcs.toLocaleString('en')} arcs)`);
	log(`  build (buildCsr + renumberHilbert): ${fmt(c.build)}`);
	const bytes = serializeGraph(graph).byteLength;
	log(`  serialized: ${mib(bytes)}  (${(graph.arcCount / graph.nodeCount).toFixed(2)} arcs/node)`);
	const exact = checkExactArithmetic(graph, MAX_S).exact;

	const ws = createRoutingWorkspace(graph.nodeCount);
	const out: Labels = { distS: new Float64Array(graph.nodeCount), owner: new Int32Array(graph.nodeCount) };
	const full = bench(() => nearestFacilityLabels(graph, facilities, MAX_S, { workspace: ws, out }).distS[0], 9, 2);
	const labelled = countLabelled(out);
	log(`  full coverage (${SYNTHETIC_FACILITIES} facilities, ${MAX_S} s, auto): ${fmt(full)}; ${labelled.toLocaleString('en')} nodes labelled`);
	const strategies = benchStrategies(graph, facilities, MAX_S, 3, 1);
	log(`  label strategies: ${fmtStrategies(strategies)}`);

	const construct = time(() => new IncrementalNearest(graph, MAX_S, facilities));
	const inc = construct.value;
	const move = benchMoves(inc, graph, 400, 40, 3, 1.25);
	const equal = sameLabels(inc.labels, nearestFacilityLabels(graph, inc.activeSeeds(), MAX_S, { workspace: ws, out }));
	log(`  incremental: construct ${construct.ms.toFixed(0)} ms; one-facility move: ${fmt(move)}; equals full recompute after 440 moves: ${equal}`);

	let nodesSum = 0;
	const iso = bench(
		(i) => {
			const r = reachWithin(graph, facilities[i % facilities.length].entries, MAX_S, ws);
			nodesSum += r.nodes.length;
			return r.nodes.length;
		},
		300,
		30
	);
	const meanNodes = Math.round(nodesSum / 330);
	log(`  one isochrone search (reachWithin, 15 min, one facility; planning's reach sets): ${fmt(iso)}; ${meanNodes} nodes on average`);

	// H3 r9 over the city's box (the ~47k-cell case): snapping, and the app's isochrone polygon
	const cells = cellsOverBox(graph, 0);
	const snapBuild = time(() => createSnapper(graph, 1.25));
	const snapper = snapBuild.value;
	const snapMany = time(() => snapper.snapMany(cells.lon, cells.lat, 300));
	let snappedCells = 0;
	for (let i = 0; i < cells.count; i++) if (snapMany.value.u[i] >= 0) snappedCells++;
	log(`  snap: index ${snapBuild.ms.toFixed(0)} ms (${snapper.segmentCount.toLocaleString('en')} segments); snapMany ${cells.count.toLocaleString('en')} H3 r9 cells ${snapMany.ms.toFixed(0)} ms (${snappedCells} within 300 m)`);

	const profile = PROFILES.walk;
	const network = prepareNetwork(graph, cells, facilities, profile);
	const req = { cells, facilities, profile, method: 'network' as const, cutoffMinutes: 15, network };
	let isoCells = 0;
	const polygon = bench(
		(i) => {
			const feature = facilityIsochrone(req, (i * 7919) % facilities.length, 15);
			isoCells += feature.properties.cells;
			return feature.properties.cells;
		},
		15,
		3
	);
	const polygonCells = Math.round(isoCells / (polygon.runs + 3));
	log(`  one isochrone polygon (the app's facilityIsochrone: one-facility run over all cells + H3 merge): ${fmt(polygon)}; ${polygonCells} cells on average`);

	const goals = {
		fullCoverageP50: { goalMs: GOALS.fullP50Ms, ms: full.p50, met: full.p50 <= GOALS.fullP50Ms },
		moveP95: { goalMs: GOALS.moveP95Ms, ms: move.p95, met: move.p95 <= GOALS.moveP95Ms },
		isochronePolygonP50: { goalMs: GOALS.isochroneMs, ms: polygon.p50, met: polygon.p50 <= GOALS.isochroneMs }
	};
	log('  goals (synthetic city, one core):');
	for (const [k, v] of Object.entries(goals)) log(`    ${k.padEnd(24)}  <= ${String(v.goalMs).padEnd(5)} ms  ${v.ms.toFixed(2).padStart(8)} ms  ${v.met ? 'met' : 'NOT MET'}`);
	const memory = process.memoryUsage();
	log(`  memory: rss ${mib(memory.rss)}, heapUsed ${mib(memory.heapUsed)}, arrayBuffers ${mib(memory.arrayBuffers)}`);
	return {
		label: SYNTHETIC_LABEL,
		nodes: graph.nodeCount,
		arcs: graph.arcCount,
		generateMs: c.generateMs,
		build: c.build,
		bytes,
		exactArithmetic: exact,
		full: { ...full, facilities: facilities.length, maxS: MAX_S, labelledNodes: labelled },
		strategies,
		incremental: { constructMs: construct.ms, move, equalsFullAfterMoves: equal },
		isochroneSearch: { ...iso, meanNodes },
		isochronePolygon: { ...polygon, cells: polygonCells },
		snap: { buildMs: snapBuild.ms, segments: snapper.segmentCount, cells: cells.count, snapManyMs: snapMany.ms, snappedCells },
		goals,
		memory
	};
}

export const routing: Suite = { name: 'routing', about: 'routing kernels on the synthetic 1.5 M-node city', run };
