/**
 * Routing kernels on every real network built under data/build, with each region's facilities: full labels
 * by each search strategy (timed in turns), scipy's multi-source Dijkstra on the same graph and sources
 * (when installed), and one-facility moves checked equal to a full recompute.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { facilitySeeds } from '../../src/lib/engine/coverage/coverage';
import { serializeGraph } from '../../src/lib/engine/graph/serialize';
import { PROFILES } from '../../src/lib/engine/modes';
import { IncrementalNearest } from '../../src/lib/engine/routing/incremental';
import { checkExactArithmetic, createRoutingWorkspace, nearestFacilityLabels } from '../../src/lib/engine/routing/shortest-paths';
import type { Mode } from '../../src/lib/engine/types';
import { buildRoot } from '../lib/paths';
import { builtRegion, skipReal } from './fixtures';
import { benchWithReference, fmt, log, ratio, sameLabels, time, type ReferenceResult, type Stats, type Suite } from './harness';
import { benchMoves, benchStrategies, fmtStrategies, MAX_S, type StrategyReport } from './routing';

/** Python start-up costs about a second per round: the scipy comparison runs on the networks worth timing. */
const SCIPY_MIN_NODES = 2000;

interface RealReport {
	region: string;
	mode: Mode;
	bytes: number;
	nodes: number;
	arcs: number;
	symmetric: boolean;
	exactArithmetic: boolean;
	facilities: number;
	snapped: number;
	prepareMs: number;
	strategies: StrategyReport;
	scipyDijkstra: ReferenceResult;
	/** auto p50 / scipy p50 */
	autoVsScipy?: number;
	move: Stats;
	equalsFullAfterMoves: boolean;
}

async function run() {
	const out: RealReport[] = [];
	if (skipReal || !existsSync(buildRoot)) {
		log('\n[real] skipped (BENCH_SKIP_REAL or nothing built)');
		return { skipped: 'no built regions', networks: out };
	}
	const regions = readdirSync(buildRoot, { withFileTypes: true })
		.filter((d) => d.isDirectory() && existsSync(path.join(buildRoot, d.name, 'region.json')))
		.map((d) => d.name)
		.sort();
	for (const region of regions) {
		const session = builtRegion(region);
		if ('skipped' in session) continue;
		for (const mode of Object.keys(session.graphs).sort() as Mode[]) {
			const g = session.graphs[mode]!;
			const prepared = time(() => session.network(mode)!);
			const net = prepared.value;
			const search = net.searchGraph;
			const seeds = facilitySeeds(net, Int32Array.from(session.facilities, (_, i) => i));
			log(
				`\n[real] ${region} ${mode}: ${g.nodeCount.toLocaleString('en')} nodes, ${g.arcCount.toLocaleString('en')} arcs; ${session.facilities.length} facilities (${seeds.length} within 500 m of a road); snap cells + facilities ${prepared.ms.toFixed(0)} ms`
			);
			if (seeds.length === 0) continue;
			const strategies = benchStrategies(search, seeds, MAX_S, 15, 3);
			log(`    full labels (${MAX_S} s): ${fmtStrategies(strategies)}`);
			// scipy: the same graph and entry nodes (it takes no per-source entry costs), auto timed in turns with it
			const sources = Int32Array.from(seeds.flatMap((s) => s.entries.map((e) => e.node)));
			const ws = createRoutingWorkspace(search.nodeCount);
			const turns =
				search.nodeCount >= SCIPY_MIN_NODES
					? benchWithReference(
							() => nearestFacilityLabels(search, seeds, MAX_S, { workspace: ws }).distS[0],
							'dijkstra',
							{ nodes: search.nodeCount, limit: MAX_S },
							{ offsets: Int32Array.from(search.offsets), targets: Int32Array.from(search.targets), weights: Float64Array.from(search.weightS), sources },
							3,
							5
						)
					: { ours: strategies.auto, reference: { skipped: `fewer than ${SCIPY_MIN_NODES.toLocaleString('en')} nodes (too small to time)` } };
			const scipyDijkstra: ReferenceResult = turns.reference;
			const autoVsScipy = 'ms' in scipyDijkstra ? ratio(turns.ours.p50, scipyDijkstra.ms.p50) : undefined;
			log(
				'ms' in scipyDijkstra
					? `    scipy csgraph.dijkstra (min_only, ${sources.length} source nodes): p50 ${scipyDijkstra.ms.p50.toFixed(2)} ms vs auto p50 ${turns.ours.p50.toFixed(2)} ms in turns; auto / scipy = ${autoVsScipy}`
					: `    scipy: skipped (${scipyDijkstra.skipped})`
			);
			const inc = new IncrementalNearest(search, MAX_S, seeds, { inGraph: g.symmetric ? undefined : g });
			const move = benchMoves(inc, search, 200, 20, 5, PROFILES[mode].accessSpeedMps);
			const equal = sameLabels(inc.labels, nearestFacilityLabels(search, inc.activeSeeds(), MAX_S));
			log(`    one-facility move: ${fmt(move)}; equals full recompute after: ${equal}`);
			out.push({
				region,
				mode,
				bytes: serializeGraph(g).byteLength,
				nodes: g.nodeCount,
				arcs: g.arcCount,
				symmetric: g.symmetric,
				exactArithmetic: checkExactArithmetic(search, MAX_S).exact,
				facilities: session.facilities.length,
				snapped: seeds.length,
				prepareMs: prepared.ms,
				strategies,
				scipyDijkstra,
				autoVsScipy,
				move,
				equalsFullAfterMoves: equal
			});
		}
	}
	log('\n[real] summary (p50 ms; identical = the three strategies gave the same labels)');
	log(`  ${'network'.padEnd(40)}    nodes  sites  MiB  per-fac   global     auto  chose        scipy  auto/scipy  move p95  identical`);
	for (const r of out) {
		const s = r.strategies;
		const sc = 'ms' in r.scipyDijkstra ? r.scipyDijkstra.ms.p50.toFixed(2) : '-';
		log(
			`  ${`${r.region}/${r.mode}`.padEnd(40)} ${String(r.nodes).padStart(8)} ${String(r.snapped).padStart(6)} ${(r.bytes / 2 ** 20).toFixed(1).padStart(4)} ${s.perFacility.p50.toFixed(2).padStart(8)} ${s.global.p50.toFixed(2).padStart(8)} ${s.auto.p50.toFixed(2).padStart(8)}  ${s.autoChoice.padEnd(11)} ${sc.padStart(6)}  ${String(r.autoVsScipy ?? '-').padStart(10)}  ${r.move.p95.toFixed(3).padStart(8)}  ${s.identical && r.equalsFullAfterMoves}`
		);
	}
	return { networks: out };
}

export const real: Suite = { name: 'real', about: 'routing kernels on the built real networks (+ scipy Dijkstra)', run };
