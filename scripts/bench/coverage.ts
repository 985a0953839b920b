/**
 * Coverage at the level users see: the radius method's nearest search on Shanghai's real cells and
 * facilities against scipy's cKDTree on the same points (same frame, same radius), and cell-level
 * incremental coverage (one facility moved vs a full computeCoverage, equal after every run).
 */
import { computeCoverage, prepareNetwork, type NetworkContext } from '../../src/lib/engine/coverage/coverage';
import { IncrementalCoverage } from '../../src/lib/engine/coverage/incremental-coverage';
import { nearestByRadius, radiusDistanceM } from '../../src/lib/engine/coverage/radius';
import { metresPerDegree } from '../../src/lib/engine/geo/measure';
import { metricFrame } from '../../src/lib/engine/geo/point-index';
import { PROFILES, type ModeProfile } from '../../src/lib/engine/modes';
import { MIN_CUTOFF_MINUTES } from '../../src/lib/engine/session';
import { createSeededRng, SYNTHETIC_LABEL, syntheticNearbySite } from '../../src/lib/engine/synthetic';
import type { CellTable, MethodChoice } from '../../src/lib/engine/types';
import { builtRegion, cellsOverBox, skipped, syntheticCity } from './fixtures';
import { bench, benchWithReference, consume, fmt, log, ratio, sameCells, stats, time, type Stats, type Suite } from './harness';

/** Shanghai's nearest-by-radius (walk) at 15 and 60 minutes, ours and scipy's, on the same points. */
function benchRadiusNearest() {
	const session = builtRegion('shanghai');
	if ('skipped' in session) return skipped('radius nearest (Shanghai)', session);
	const cells = session.cells;
	const active = session.activeIndices(session.region.manifest.policy.levels);
	const profile = PROFILES.walk;
	const facilities = { lon: Float64Array.from(session.facilities, (f) => f.lon), lat: Float64Array.from(session.facilities, (f) => f.lat) };
	const out = [];
	log(`\n[coverage] radius method, nearest facility: Shanghai, ${cells.count.toLocaleString('en')} cells x ${active.length.toLocaleString('en')} facilities (policy levels), walk`);
	for (const minutes of [15, MIN_CUTOFF_MINUTES]) {
		const cutoffS = minutes * 60;
		const secs = new Float64Array(cells.count),
			fac = new Int32Array(cells.count);
		// scipy on the same points in our metric frame (a KD-tree over plane coordinates, no haversine test)
		const radiusM = radiusDistanceM(cutoffS, profile);
		const frame = metricFrame(cells.lat, radiusM);
		const queries = new Float64Array(2 * cells.count);
		for (let c = 0; c < cells.count; c++) {
			queries[2 * c] = cells.lon[c] * frame.kx;
			queries[2 * c + 1] = cells.lat[c] * frame.ky;
		}
		const points = new Float64Array(2 * active.length);
		active.forEach((f, i) => {
			points[2 * i] = facilities.lon[f] * frame.kx;
			points[2 * i + 1] = facilities.lat[f] * frame.ky;
		});
		const { ours, reference: scipy } = benchWithReference(
			() => {
				nearestByRadius(cells, facilities, active, profile, cutoffS, secs, fac);
				return fac[0];
			},
			'kdtree',
			{ radiusM },
			{ queries, points }
		);
		let found = 0;
		for (let c = 0; c < cells.count; c++) if (fac[c] >= 0) found++;
		const oursVsScipy = 'ms' in scipy ? ratio(ours.p50, scipy.ms.p50) : undefined;
		const oursVsScipyMin = 'ms' in scipy ? ratio(ours.min, scipy.ms.min) : undefined;
		log(`  ${minutes} min (${radiusM.toFixed(0)} m): ours (build + query, haversine decides) ${fmt(ours)}; ${found.toLocaleString('en')} cells reached`);
		log(
			'ms' in scipy
				? `    scipy cKDTree (build + query, leaf 16, plane distance): ${fmt(scipy.ms)}; ${scipy.detail?.found} found; ours / scipy = ${oursVsScipy} (p50), ${oursVsScipyMin} (min); timed in turns`
				: `    scipy: skipped (${scipy.skipped})`
		);
		out.push({ minutes, radiusM, cells: cells.count, facilities: active.length, ours, found, scipy, oursVsScipy, oursVsScipyMin });
	}
	return out;
}

interface IncrementalCellsReport {
	case: string;
	cells: number;
	activeFacilities: number;
	method: MethodChoice;
	cutoffMinutes: number;
	full: Stats;
	constructMs: number;
	move: Stats;
	meanChangedCells: number;
	speedupP50: number;
	speedupP95: number;
	equalsFullAfterMoves: boolean;
}

/**
 * Full computeCoverage vs IncrementalCoverage.moveFacility on the same settings (cutoff = the session's
 * MIN_CUTOFF_MINUTES, as the app computes). Moves: random active facility to `site(f, rng)`; only
 * moveFacility is timed. Afterwards the result is compared with a full run on the moved facilities.
 */
function benchIncrementalCells(
	name: string,
	o: {
		cells: CellTable;
		facilities: { lon: number; lat: number }[];
		active: Int32Array;
		profile: ModeProfile;
		method: MethodChoice;
		network: NetworkContext | null;
		site: (f: number, rng: () => number) => { lon: number; lat: number } | null;
		seed: number;
	}
): IncrementalCellsReport {
	const cutoffMinutes = MIN_CUTOFF_MINUTES;
	const req = { cells: o.cells, facilities: o.facilities, active: o.active, profile: o.profile, method: o.method, cutoffMinutes, network: o.network };
	const full = bench(() => computeCoverage(req).result.minutes[0], 5, 1);
	const construct = time(() => new IncrementalCoverage(req));
	const inc = construct.value;
	const rng = createSeededRng(o.seed);
	const moves = 300,
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
		consume(inc.changedCells().length);
		if (i >= warmup) {
			ms.push(dt);
			changed += inc.changedCells().length;
		}
	}
	const move = stats(ms);
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
	log(`  ${name} (${o.cells.count.toLocaleString('en')} cells, ${o.active.length} facilities, ${o.method}, cutoff ${cutoffMinutes} min):`);
	log(`    full computeCoverage: ${fmt(full)}; construct IncrementalCoverage ${construct.ms.toFixed(0)} ms`);
	log(
		`    one-facility move (cells): ${fmt(move)}; ${report.meanChangedCells} cells repainted on average; full p50 / move p50 = ${report.speedupP50}x, / move p95 = ${report.speedupP95}x; equals full recompute after ${warmup + moves} moves: ${equal}`
	);
	return report;
}

function benchIncrementalSynthetic(): IncrementalCellsReport[] {
	const { graph, facilities } = syntheticCity();
	// H3 r9 over the city's box widened by 5 km, so the edge cells lie off the network (auto: radius)
	const cells = cellsOverBox(graph, 5000);
	const network = prepareNetwork(graph, cells, facilities, PROFILES.walk, { keepSnapper: true });
	let offNetwork = 0;
	for (let i = 0; i < cells.count; i++) if (network.cellSnap.u[i] < 0) offNetwork++;
	log(`\n[coverage] incremental coverage (cells), ${SYNTHETIC_LABEL}: ${cells.count.toLocaleString('en')} H3 r9 cells (${offNetwork.toLocaleString('en')} off the network)`);
	const nodeOf = Int32Array.from(facilities, (f) => f.entries[0].node);
	const nearbySite = (f: number, rng: () => number) => {
		const site = syntheticNearbySite(graph, f, nodeOf[f], rng, 10);
		if (!site) return null;
		nodeOf[f] = site.entries[0].node;
		return { lon: site.lon, lat: site.lat };
	};
	return (['auto', 'radius'] as MethodChoice[]).map((method) =>
		benchIncrementalCells(`synthetic/walk/${method}`, {
			cells,
			facilities,
			active: Int32Array.from(facilities, (_, i) => i),
			profile: PROFILES.walk,
			method,
			network: method === 'radius' ? null : network,
			site: nearbySite,
			seed: 11
		})
	);
}

/** The built Shanghai region (no network: radius method), policy levels, moves of up to 2 km. */
function benchIncrementalShanghai(): IncrementalCellsReport | { skipped: string } {
	const session = builtRegion('shanghai');
	if ('skipped' in session) return skipped('incremental coverage (Shanghai)', session);
	log(`\n[coverage] incremental coverage (cells), built region shanghai (real facilities; population ${session.region.populationMethod}):`);
	const active = session.activeIndices(session.region.manifest.policy.levels);
	const pos = session.facilities.map((f) => ({ lon: f.lon, lat: f.lat }));
	const { mPerDegLon, mPerDegLat } = metresPerDegree(31.2);
	return benchIncrementalCells('shanghai/walk/radius', {
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

async function run() {
	const radiusNearest = benchRadiusNearest();
	const synthetic = benchIncrementalSynthetic();
	const shanghai = benchIncrementalShanghai();
	log('\n[coverage] incremental coverage (cells): one-facility move vs full computeCoverage');
	log(`  ${'case'.padEnd(28)}   cells  facilities  full p50 ms  move p50 ms  move p95 ms  full/p50  full/p95  equal`);
	for (const r of [...synthetic, shanghai])
		if (!('skipped' in r))
			log(
				`  ${r.case.padEnd(28)} ${String(r.cells).padStart(7)}  ${String(r.activeFacilities).padStart(10)}  ${r.full.p50.toFixed(1).padStart(11)}  ${r.move.p50.toFixed(3).padStart(11)}  ${r.move.p95.toFixed(3).padStart(11)}  ${String(r.speedupP50).padStart(8)}  ${String(r.speedupP95).padStart(8)}  ${r.equalsFullAfterMoves}`
			);
	return { radiusNearest, incrementalCells: { synthetic, shanghai } };
}

export const coverage: Suite = { name: 'coverage', about: 'radius nearest search (+ scipy cKDTree) and cell-level incremental coverage', run };
