/**
 * Coverage: per-cell minutes to the nearest facility, by the network method, the service-radius method,
 * or both (auto); and the per-area table against a target share.
 *
 * Direction: residents travel to the clinic. On a directed (drive) graph the search runs from the facilities
 * over the reversed graph, so a label is the time from a node to its nearest facility.
 */
import { createSnapper, type SnapColumns, type Snapper } from '../graph/snap';
import { nearestFacilityLabels, quantizeCostS, routingGraphFor, type FacilitySeed } from '../routing/shortest-paths';
import type { ModeProfile } from '../modes';
import type { AreaRow, CellResult, CellTable, CoverageSummary, CsrGraph, Facility, MethodChoice, Mode } from '../types';
import { METHOD_CODES } from '../types';
import { nearestByRadius } from './radius';

/** A cell joins the network when its centre lies within this distance of a road (metres). */
export const DEFAULT_MAX_CELL_ACCESS_M = 300;
/** A facility joins the network when it lies within this distance of a road (metres). */
export const DEFAULT_MAX_FACILITY_ACCESS_M = 500;

/** Everything about a region's network that does not change when facilities or thresholds change. */
export interface NetworkContext {
	graph: CsrGraph;
	/** the graph searched from facilities: the reverse graph when directed, else the graph itself */
	searchGraph: CsrGraph;
	cellSnap: SnapColumns;
	facilitySnap: SnapColumns;
	maxCellAccessM: number;
	maxFacilityAccessM: number;
	/**
	 * the snapper that made cellSnap / facilitySnap, kept only when asked (prepareNetwork keepSnapper, or
	 * attached later): new facility sites then snap without rebuilding the index. It costs memory (about
	 * 130 bytes per street segment), so plain coverage runs do not keep it.
	 */
	snapper?: Snapper;
}

export function prepareNetwork(
	graph: CsrGraph,
	cells: Pick<CellTable, 'lon' | 'lat'>,
	facilities: Pick<Facility, 'lon' | 'lat'>[],
	profile: ModeProfile,
	opts: { maxCellAccessM?: number; maxFacilityAccessM?: number; keepSnapper?: boolean } = {}
): NetworkContext {
	const maxCellAccessM = opts.maxCellAccessM ?? DEFAULT_MAX_CELL_ACCESS_M;
	const maxFacilityAccessM = opts.maxFacilityAccessM ?? DEFAULT_MAX_FACILITY_ACCESS_M;
	const snapper = createSnapper(graph, profile.accessSpeedMps);
	const cellSnap = snapper.snapMany(cells.lon, cells.lat, maxCellAccessM);
	const flon = Float64Array.from(facilities, (f) => f.lon);
	const flat = Float64Array.from(facilities, (f) => f.lat);
	const facilitySnap = snapper.snapMany(flon, flat, maxFacilityAccessM);
	const searchGraph = routingGraphFor(graph);
	const net: NetworkContext = { graph, searchGraph, cellSnap, facilitySnap, maxCellAccessM, maxFacilityAccessM };
	if (opts.keepSnapper) net.snapper = snapper;
	return net;
}

/** Seeds for the active facilities that reach the network. */
export function facilitySeeds(net: NetworkContext, active: ArrayLike<number>): FacilitySeed[] {
	const s = net.facilitySnap;
	const seeds: FacilitySeed[] = [];
	for (let i = 0; i < active.length; i++) {
		const f = active[i];
		if (s.u[f] < 0) continue;
		// entry cost = time from the node to the facility (along the arc, then the access leg)
		const entries = [{ node: s.u[f], costS: quantizeCostS(s.accessS[f] + s.costFromUS[f]) }];
		if (s.v[f] !== s.u[f] && Number.isFinite(s.costFromVS[f])) entries.push({ node: s.v[f], costS: quantizeCostS(s.accessS[f] + s.costFromVS[f]) });
		seeds.push({ facility: f, entries });
	}
	return seeds;
}

export interface CoverageRequest {
	cells: CellTable;
	facilities: Pick<Facility, 'lon' | 'lat'>[];
	/** indices of the facilities that count (e.g. the chosen levels) */
	active: ArrayLike<number>;
	profile: ModeProfile;
	method: MethodChoice;
	/** times beyond this are Infinity; compute once with a generous cutoff, re-threshold for free */
	cutoffMinutes: number;
	network?: NetworkContext | null;
	/** labels from a previous run on the same network and facilities (incremental updates pass theirs) */
	labels?: { distS: Float64Array; owner: Int32Array } | null;
}

export interface CoverageRun {
	result: CellResult;
	labels: { distS: Float64Array; owner: Int32Array } | null;
	/** facilities that could not join the network (too far from every road) */
	unsnappedFacilities: number;
	/** cells whose centre is too far from every road */
	offNetworkCells: number;
	/** cells on a network piece that no facility reaches, which fell back to the radius method */
	fallbackCells: number;
}

/**
 * A snapped cell's time to its nearest facility from the node labels, in the residents' direction: along the
 * street to u or v, then on to the facility, plus the walked access leg. Writes seconds into out[0] and
 * returns the facility (-1 = none); on equal times the lower facility index wins.
 */
export function cellNetworkTime(cs: SnapColumns, labels: { distS: Float64Array; owner: Int32Array }, c: number, out: Float64Array): number {
	const { distS, owner } = labels;
	const u = cs.u[c],
		v = cs.v[c];
	let best = distS[u] + cs.costToUS[c];
	let bestF = owner[u];
	if (v !== u) {
		const viaV = distS[v] + cs.costToVS[c];
		if (viaV < best || (viaV === best && owner[v] < bestF)) {
			best = viaV;
			bestF = owner[v];
		}
	}
	out[0] = best + cs.accessS[c];
	return bestF;
}

/** Which method the request can use at all. */
export function effectiveMethod(method: MethodChoice, hasNetwork: boolean): MethodChoice {
	return hasNetwork ? method : 'radius';
}

export function computeCoverage(req: CoverageRequest): CoverageRun {
	const { cells, profile } = req;
	const n = cells.count;
	const cutoffS = req.cutoffMinutes * 60;
	const minutes = new Float32Array(n).fill(Infinity);
	const facility = new Int32Array(n).fill(-1);
	const method = new Uint8Array(n).fill(METHOD_CODES.radius);
	const net = req.network ?? null;
	const choice = effectiveMethod(req.method, net !== null);

	let labels: CoverageRun['labels'] = null;
	let unsnappedFacilities = 0;
	let offNetworkCells = 0;
	let fallbackCells = 0;
	const useRadius = new Uint8Array(n); // 1 = this cell takes the radius method

	if (choice === 'radius' || !net) {
		useRadius.fill(1);
	} else {
		const seeds = facilitySeeds(net, req.active);
		unsnappedFacilities = req.active.length - seeds.length;
		labels = req.labels ?? nearestFacilityLabels(net.searchGraph, seeds, cutoffS);
		// Network pieces (components) that hold at least one facility.
		const comp = net.graph.component;
		const servedComponent = new Set<number>();
		for (const s of seeds) for (const e of s.entries) servedComponent.add(comp[e.node]);
		const cs = net.cellSnap;
		const cellTime = new Float64Array(1);
		for (let c = 0; c < n; c++) {
			const u = cs.u[c];
			if (u < 0) {
				offNetworkCells++;
				if (choice === 'auto') useRadius[c] = 1;
				else method[c] = METHOD_CODES.network; // 'network' only: unreachable, said so
				continue;
			}
			if (choice === 'auto' && !servedComponent.has(comp[u])) {
				fallbackCells++;
				useRadius[c] = 1;
				continue;
			}
			method[c] = METHOD_CODES.network;
			const bestF = cellNetworkTime(cs, labels, c, cellTime);
			if (bestF >= 0 && cellTime[0] <= cutoffS) {
				minutes[c] = cellTime[0] / 60;
				facility[c] = bestF;
			}
		}
	}

	let anyRadius = false;
	for (let c = 0; c < n && !anyRadius; c++) anyRadius = useRadius[c] === 1;
	if (anyRadius) {
		const secs = new Float64Array(n);
		const fac = new Int32Array(n);
		nearestByRadius(cells, { lon: req.facilities.map((f) => f.lon), lat: req.facilities.map((f) => f.lat) }, req.active, profile, cutoffS, secs, fac, useRadius);
		for (let c = 0; c < n; c++) {
			if (!useRadius[c]) continue;
			method[c] = METHOD_CODES.radius;
			if (fac[c] >= 0) {
				minutes[c] = secs[c] / 60;
				facility[c] = fac[c];
			}
		}
	}
	return { result: { minutes, facility, method }, labels, unsnappedFacilities, offNetworkCells, fallbackCells };
}

/**
 * Per-area modes (Pudong's rule: walk in urban streets, cycle in village-committee areas): take each
 * cell's result from the run of its area's mode.
 */
export function combineByAreaMode(
	cells: Pick<CellTable, 'count' | 'areaIndex'>,
	runs: Partial<Record<Mode, CellResult>>,
	modeOfArea: (areaIndex: number) => Mode
): CellResult {
	const n = cells.count;
	const out: CellResult = { minutes: new Float32Array(n), facility: new Int32Array(n), method: new Uint8Array(n) };
	for (let c = 0; c < n; c++) {
		const r = runs[modeOfArea(cells.areaIndex[c])];
		if (!r) throw new Error(`combineByAreaMode: no run for the mode of area ${cells.areaIndex[c]}`);
		out.minutes[c] = r.minutes[c];
		out.facility[c] = r.facility[c];
		out.method[c] = r.method[c];
	}
	return out;
}

export interface AreaInfo {
	id: string;
	name: string;
}

export interface SummaryOptions {
	mode: Mode;
	maxMinutes: number;
	targetShare: number;
	method: MethodChoice;
}

/** Population needed to pass: ceil(target x population) - covered, never negative. */
export function shortfallOf(population: number, covered: number, targetShare: number): number {
	const need = Math.ceil(targetShare * population - 1e-9) - covered;
	return need > 0 ? Math.ceil(need) : 0;
}

function makeRow(areaId: string, name: string, pop: number, cov: number, net: number, target: number): AreaRow {
	const share = pop > 0 ? cov / pop : 0;
	return {
		areaId,
		name,
		population: pop,
		covered: cov,
		share,
		pass: pop > 0 ? share >= target : true,
		shortfall: shortfallOf(pop, cov, target),
		networkShare: pop > 0 ? net / pop : 0
	};
}

/** Per-area table and totals. Cells outside every area count only in the total. */
export function summarizeCoverage(cells: CellTable, result: CellResult, areas: AreaInfo[], opts: SummaryOptions): CoverageSummary {
	const k = areas.length;
	const pop = new Float64Array(k);
	const cov = new Float64Array(k);
	const net = new Float64Array(k);
	let tPop = 0,
		tCov = 0,
		tNet = 0;
	for (let c = 0; c < cells.count; c++) {
		const p = cells.population[c];
		if (!(p > 0)) continue;
		const a = cells.areaIndex[c];
		const isCov = result.minutes[c] <= opts.maxMinutes;
		const isNet = result.method[c] === METHOD_CODES.network;
		tPop += p;
		if (isCov) tCov += p;
		if (isNet) tNet += p;
		if (a >= 0 && a < k) {
			pop[a] += p;
			if (isCov) cov[a] += p;
			if (isNet) net[a] += p;
		}
	}
	// Figures are people: round once, here, so the table and the CLI print the same integers.
	const rows = areas.map((ar, i) => makeRow(ar.id, ar.name, Math.round(pop[i]), Math.round(cov[i]), Math.round(net[i]), opts.targetShare));
	const total = makeRow('', '', Math.round(tPop), Math.round(tCov), Math.round(tNet), opts.targetShare);
	const { areaId: _a, name: _n, ...totalFigures } = total;
	return {
		mode: opts.mode,
		maxMinutes: opts.maxMinutes,
		targetShare: opts.targetShare,
		method: opts.method,
		populationMethod: cells.populationMethod,
		rows,
		total: { ...totalFigures, areasPassing: rows.filter((r) => r.population > 0 && r.pass).length, areaCount: rows.length }
	};
}

/** Travel-time bands for maps and legends (minutes; the last band is open). */
export const TIME_BANDS_MIN = [5, 10, 15, 20, 30] as const;

/** Band index 0..5 for a time in minutes (5 = over 30 min or unreachable). */
export function bandOf(minutes: number): number {
	for (let i = 0; i < TIME_BANDS_MIN.length; i++) if (minutes <= TIME_BANDS_MIN[i]) return i;
	return TIME_BANDS_MIN.length;
}
