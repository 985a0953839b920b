/**
 * Shared engine types: the contract between the pipeline (scripts/), the engine and the app.
 * Conventions: [lon, lat] order everywhere; units in names (weightS = seconds, distanceM = metres).
 */

export type Mode = 'walk' | 'cycle' | 'drive';
export const MODES: readonly Mode[] = ['walk', 'cycle', 'drive'];

/** How a travel time was produced. Every output names it. */
export type TravelMethod = 'network' | 'radius';
/** What the user asks for: auto = network where the network covers the cell, radius elsewhere. */
export type MethodChoice = 'network' | 'radius' | 'auto';

/** Facility levels, from hospital down to village clinic. */
export type FacilityLevel =
	| 'hospital'
	| 'chc' // 社区卫生服务中心 community health service centre
	| 'chc_branch' // 分中心 / 门诊部 / 执业点 of a centre
	| 'chs' // 社区卫生服务站 community health service station
	| 'township' // 乡镇卫生院 township health centre
	| 'village_clinic' // 村卫生室
	| 'other';
export const FACILITY_LEVELS: readonly FacilityLevel[] = [
	'hospital',
	'chc',
	'chc_branch',
	'chs',
	'township',
	'village_clinic',
	'other'
];

/** One facility after import, conversion to WGS84, classification and de-duplication. */
export interface Facility {
	id: string; // stable within a region build, e.g. "f0001"
	name: string;
	level: FacilityLevel;
	lon: number; // WGS84
	lat: number; // WGS84
	address?: string;
	district?: string; // admin area name as given by the source
	areaId?: string | null; // id of the admin area polygon holding the point (null = outside every area)
	source: string; // dataset label, e.g. "amap-2020" or "official-2025"
	mergedFrom?: string[]; // names of POIs merged into this one
	officialMatch?: string | null; // name in the official list this facility matched, if any
	capacity?: number; // beds or staff, when an imported list gives them
}

/**
 * Compressed sparse row graph. Arcs of node u are targets[offsets[u] .. offsets[u+1]).
 * Node ids are renumbered for locality (Hilbert order). All arrays share nothing with JS objects,
 * so the whole graph moves to a worker as one transferred ArrayBuffer (see io/bundle.ts).
 */
export interface CsrGraph {
	mode: Mode;
	nodeCount: number;
	arcCount: number;
	offsets: Uint32Array; // length nodeCount + 1
	targets: Uint32Array; // length arcCount
	weightS: Float32Array; // travel time of each arc, seconds
	lengthM: Float32Array; // length of each arc, metres
	lon: Float64Array; // node coordinates, WGS84
	lat: Float64Array;
	component: Int32Array; // weakly connected component id per node after bridging (0 = largest)
	/** true when every arc has its reverse with the same weight (walk/cycle). Incremental updates use it. */
	symmetric: boolean;
}

/**
 * Where a point (cell centre or facility) joins the network: on arc u->v at fraction t,
 * after an access leg walked off-network. Node snap = (u === v, t = 0).
 * Time from the network into the point = min(d[u] + costFromUS, d[v] + costFromVS) + accessS.
 */
export interface Snap {
	u: number;
	v: number;
	costFromUS: number; // seconds along the arc from u to the snapped point
	costFromVS: number; // seconds from v to the snapped point (Infinity if the arc is one-way u->v)
	accessS: number; // seconds of the off-network access leg
	accessM: number; // metres of the access leg (straight line)
}

/** Population cells (H3). Columnar, so it moves to a worker without copying. */
export interface CellTable {
	resolution: number;
	count: number;
	h3: string[]; // H3 index strings (kept as strings: the table is small, and readable in exports)
	lon: Float64Array; // cell centre, WGS84
	lat: Float64Array;
	population: Float64Array;
	areaIndex: Int32Array; // index into the region's area list, -1 = outside every area
	/** how the population was made: 'raster' (real grid), 'modelled-census' (census totals spread over weights) */
	populationMethod: 'raster' | 'modelled-census' | 'uniform';
}

/** Per-cell result of a coverage run. */
export interface CellResult {
	minutes: Float32Array; // Infinity = beyond reach (cut off or unreachable)
	facility: Int32Array; // index into the facility array, -1 = none
	method: Uint8Array; // 0 = network, 1 = radius (see METHOD_CODES)
}
export const METHOD_CODES: Record<TravelMethod, number> = { network: 0, radius: 1 };

export interface AreaRow {
	areaId: string;
	name: string;
	population: number;
	covered: number;
	share: number; // covered / population (0 when population is 0)
	pass: boolean; // share >= targetShare
	shortfall: number; // people who must gain access for the area to pass (0 when passing)
	networkShare: number; // share of the area's population whose time came from the network method
}

export interface CoverageSummary {
	mode: Mode;
	maxMinutes: number;
	targetShare: number;
	method: MethodChoice;
	populationMethod: CellTable['populationMethod'];
	rows: AreaRow[];
	total: Omit<AreaRow, 'areaId' | 'name'> & { areasPassing: number; areaCount: number };
}
