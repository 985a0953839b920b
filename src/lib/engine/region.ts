/**
 * Region manifest: a region is data, not code. The JSON schema is documented in docs/region-manifest.md
 * and validated here with messages that name the field. Paths are resolved against `dataRoot`
 * (which itself defaults to $KEJIMAP_DATA, else ../shared/data next to the repo).
 */
import { KejimapError } from './errors';
import { FACILITY_LEVELS, MODES, type FacilityLevel, type Mode } from './types';

export type Crs = 'wgs84' | 'gcj02' | 'bd09';
export const CRS_VALUES: readonly Crs[] = ['wgs84', 'gcj02', 'bd09'];

export interface Localized {
	zh: string;
	en: string;
}

export interface NetworkSource {
	/** osm-xml / osm-pbf: a file of OSM ways; geojson-graph: node + edge GeoJSON with u/v ids */
	format: 'osm-xml' | 'osm-pbf' | 'geojson-graph';
	path?: string; // osm-xml / osm-pbf
	nodesPath?: string; // geojson-graph
	edgesPath?: string; // geojson-graph
	crs?: Crs; // default wgs84
	/** property holding the road class (geojson-graph); OSM uses `highway` */
	classField?: string;
	/** geojson-graph edges are directed (one-way unless the reverse edge exists) */
	directed?: boolean;
	/** clip to the file's <bounds> (raw OSM exports carry relation members far outside) */
	clipToBounds?: boolean;
	/** join dead ends closer than this (metres); 0 = no bridging. Fragmented traced networks need it. */
	bridgeGapM?: number;
	/** components with fewer nodes than this are dropped (reported) */
	minComponentNodes?: number;
	/** free-text caveat shown with every result, e.g. "drive graph: no footways" */
	note?: Localized;
}

export interface FieldMap {
	name: string;
	lon: string;
	lat: string;
	address?: string;
	district?: string;
	type?: string; // Amap "type" string, used by the classifier
	level?: string; // a column that already holds a level
}

export interface FacilitySource {
	id: string; // short label, e.g. "amap-2020"
	path: string;
	format: 'csv' | 'geojson';
	crs: Crs;
	fields: FieldMap; // for geojson, lon/lat may be "geometry"
	/**
	 * How to type the level: "amap-name-rules" (documented classifier for Amap medical POIs),
	 * or a fixed level for a list of one kind (e.g. the official list of centres = "chc").
	 */
	classify: 'amap-name-rules' | { fixed: FacilityLevel };
	/** official lists are not merged into the facility set; they are matched against it and reported */
	role: 'facilities' | 'official-reference';
	label: Localized;
	/** labelled assumption rather than data, e.g. "a clinic at every village point" */
	modelled?: boolean;
	/** keep only rows whose field value is one of the listed values, e.g. {"level": ["town"]} */
	where?: Record<string, string[]>;
	/** official-reference only: add the listed facilities that match nothing in the other sources */
	addUnmatched?: boolean;
}

export interface AreaSource {
	path: string;
	/** geojson: polygons; voronoi-points: no polygons exist, approximate each area by the Voronoi cells of its points */
	format: 'geojson' | 'voronoi-points';
	crs: Crs;
	idField: string;
	nameField: string;
	/** keep only features whose id is in this list (e.g. drop the city outline) */
	include?: string[];
	/** display names by id, when the file has no name field worth showing */
	names?: Record<string, string>;
	/** voronoi-points: area id (idField value) -> census code */
	codes?: Record<string, string>;
	/** admin level shown in the UI: district, county, street... */
	level: Localized;
}

export interface CensusTotals {
	path: string; // CSV with area code + population
	codeField: string;
	populationField: string;
	/** area id -> census code, when they differ; default: the area id is the census code */
	codeOf?: Record<string, string>;
	label: Localized;
}

/** Road length per cell as the weight (rural counties: roads traced from imagery follow settlement). */
export interface NetworkLengthWeight {
	kind: 'network-length';
	weight: number;
	label: Localized;
}

export interface WeightSource {
	kind?: 'points';
	path: string;
	format: 'csv' | 'geojson';
	crs: Crs;
	fields: { lon: string; lat: string; type?: string };
	weight: number; // weight per point
	/** keep rows whose `type` field contains one of these substrings */
	typeIncludes?: string[];
	/** drop rows whose `type` field contains one of these substrings */
	typeExcludes?: string[];
	label: Localized;
}

export type PopulationSource =
	| { method: 'raster'; path: string; crs: Crs; label: Localized; scale?: number; note?: Localized }
	| {
			method: 'census-weights';
			census: CensusTotals;
			weights: (WeightSource | NetworkLengthWeight)[];
			/** share of each area's total spread uniformly over its cells (so no populated cell is empty) */
			uniformShare: number;
			/** optional: give the uniform share only to cells within this distance of a weight point (keeps it off sea and tidal flats inside admin fences) */
			uniformNearWeightsM?: number;
			label: Localized;
	  }
	| { method: 'uniform'; total: number; label: Localized; source: string };

export interface AreaModeRule {
	/** area ids this rule applies to */
	areaIds: string[];
	mode: Mode;
}

export interface PolicyDefaults {
	mode: Mode;
	maxMinutes: number;
	targetShare: number; // 0..1
	levels: FacilityLevel[];
	/** citation of the published target, from docs/policy-parameters (shared) */
	source: Localized;
	areaModeRules?: AreaModeRule[];
}

// ---- planning: elderly inputs (Beside elderly care; demand weighted by the elderly) ----

/** Elderly care homes: points with beds (e.g. Shanghai's registry, GCJ-02). */
export interface CareHomeSource {
	path: string;
	format: 'csv';
	crs: Crs;
	fields: { name: string; lon: string; lat: string; beds: string; district?: string };
	label: Localized;
}

/** Census age table: the 60+ share of each area is the sum of `shareFields` (shares 0..1). */
export interface AgeShareSource {
	path: string;
	codeField: string;
	shareFields: string[];
	/** area id -> census code, when they differ */
	codeOf?: Record<string, string>;
	label: Localized;
}

export interface ElderlySources {
	careHomes?: CareHomeSource;
	ages?: AgeShareSource;
}

export interface RegionManifest {
	$schema?: string;
	/** another manifest (same folder) whose fields this one inherits, top-level fields replaced whole */
	extends?: string;
	id: string; // [a-z0-9-]+
	name: Localized;
	description?: Localized;
	/** folder the relative paths below resolve against; default $KEJIMAP_DATA or ../shared/data */
	dataRoot?: string;
	/** [west, south, east, north] WGS84; cells and points outside are dropped (reported) */
	bbox?: [number, number, number, number];
	h3Resolution: number; // 9 default, 10 optional
	network?: NetworkSource | null;
	/** which modes to build graphs for (default all three) */
	networkModes?: Mode[];
	facilities: FacilitySource[];
	areas: AreaSource;
	population: PopulationSource;
	policy: PolicyDefaults;
	attribution: string[];
	/** optional planning inputs: elderly care homes and the 60+ share per area */
	elderly?: ElderlySources;
}

const ID_RE = /^[a-z0-9][a-z0-9-]*$/;

function fail(file: string, field: string, msg: string): never {
	throw new KejimapError('REGION_INVALID', `${file}: field "${field}" ${msg}`, { file, field });
}
function isObj(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function reqString(o: Record<string, unknown>, k: string, file: string, at: string): string {
	const v = o[k];
	if (typeof v !== 'string' || v.length === 0) fail(file, `${at}${k}`, 'must be a non-empty string');
	return v;
}
function reqLocalized(o: Record<string, unknown>, k: string, file: string, at: string) {
	const v = o[k];
	if (!isObj(v) || typeof v.zh !== 'string' || typeof v.en !== 'string')
		fail(file, `${at}${k}`, 'must be {"zh": "...", "en": "..."} (Chinese first, English second)');
}
function reqCrs(o: Record<string, unknown>, k: string, file: string, at: string) {
	if (!CRS_VALUES.includes(o[k] as Crs)) fail(file, `${at}${k}`, `must be one of ${CRS_VALUES.join(', ')} (got ${JSON.stringify(o[k])})`);
}

/** Validate a parsed manifest; throws KejimapError naming the first bad field. */
export function validateRegionManifest(raw: unknown, file = 'region manifest'): RegionManifest {
	if (!isObj(raw)) fail(file, '(root)', 'must be a JSON object');
	const id = reqString(raw, 'id', file, '');
	if (!ID_RE.test(id)) fail(file, 'id', 'must match [a-z0-9-]+');
	reqLocalized(raw, 'name', file, '');
	const res = raw.h3Resolution;
	if (typeof res !== 'number' || !Number.isInteger(res) || res < 6 || res > 11) fail(file, 'h3Resolution', 'must be an integer 6..11 (9 default, 10 optional)');
	if (raw.bbox !== undefined) {
		const b = raw.bbox;
		if (!Array.isArray(b) || b.length !== 4 || b.some((x) => typeof x !== 'number') || b[0] >= b[2] || b[1] >= b[3])
			fail(file, 'bbox', 'must be [west, south, east, north] in degrees');
	}
	if (raw.network != null) {
		const n = raw.network;
		if (!isObj(n)) fail(file, 'network', 'must be an object or null');
		if (!['osm-xml', 'osm-pbf', 'geojson-graph'].includes(n.format as string)) fail(file, 'network.format', 'must be osm-xml, osm-pbf or geojson-graph');
		if (n.format === 'geojson-graph') {
			reqString(n, 'nodesPath', file, 'network.');
			reqString(n, 'edgesPath', file, 'network.');
		} else reqString(n, 'path', file, 'network.');
		if (n.crs !== undefined) reqCrs(n, 'crs', file, 'network.');
	}
	if (raw.networkModes !== undefined) {
		if (!Array.isArray(raw.networkModes) || raw.networkModes.some((m) => !MODES.includes(m as Mode)))
			fail(file, 'networkModes', `must be a list of ${MODES.join(', ')}`);
	}
	if (!Array.isArray(raw.facilities) || raw.facilities.length === 0) fail(file, 'facilities', 'must be a non-empty list');
	raw.facilities.forEach((f, i) => {
		const at = `facilities[${i}].`;
		if (!isObj(f)) fail(file, `facilities[${i}]`, 'must be an object');
		reqString(f, 'id', file, at);
		reqString(f, 'path', file, at);
		if (!['csv', 'geojson'].includes(f.format as string)) fail(file, `${at}format`, 'must be csv or geojson');
		reqCrs(f, 'crs', file, at);
		if (!isObj(f.fields)) fail(file, `${at}fields`, 'must map name/lon/lat to column names');
		for (const k of ['name', 'lon', 'lat']) reqString(f.fields, k, file, `${at}fields.`);
		const c = f.classify;
		if (!(c === 'amap-name-rules' || (isObj(c) && FACILITY_LEVELS.includes(c.fixed as FacilityLevel))))
			fail(file, `${at}classify`, `must be "amap-name-rules" or {"fixed": one of ${FACILITY_LEVELS.join(', ')}}`);
		if (!['facilities', 'official-reference'].includes(f.role as string)) fail(file, `${at}role`, 'must be facilities or official-reference');
		reqLocalized(f, 'label', file, at);
		if (f.addUnmatched !== undefined && (typeof f.addUnmatched !== 'boolean' || f.role !== 'official-reference'))
			fail(file, `${at}addUnmatched`, 'must be true or false, and only on a source with role "official-reference"');
		if (f.where !== undefined && (!isObj(f.where) || Object.values(f.where).some((v) => !Array.isArray(v) || v.some((x) => typeof x !== 'string'))))
			fail(file, `${at}where`, 'must map field names to lists of accepted values, e.g. {"level": ["town"]}');
	});
	if (!raw.facilities.some((f) => isObj(f) && f.role === 'facilities')) fail(file, 'facilities', 'needs at least one source with role "facilities"');
	if (!isObj(raw.areas)) fail(file, 'areas', 'must be an object');
	reqString(raw.areas, 'path', file, 'areas.');
	if (!['geojson', 'voronoi-points'].includes(raw.areas.format as string)) fail(file, 'areas.format', 'must be geojson or voronoi-points');
	reqCrs(raw.areas, 'crs', file, 'areas.');
	reqString(raw.areas, 'idField', file, 'areas.');
	reqString(raw.areas, 'nameField', file, 'areas.');
	reqLocalized(raw.areas, 'level', file, 'areas.');
	const p = raw.population;
	if (!isObj(p)) fail(file, 'population', 'must be an object');
	if (p.method === 'raster') {
		reqString(p, 'path', file, 'population.');
		reqCrs(p, 'crs', file, 'population.');
	} else if (p.method === 'census-weights') {
		if (!isObj(p.census)) fail(file, 'population.census', 'must be an object');
		for (const k of ['path', 'codeField', 'populationField']) reqString(p.census, k, file, 'population.census.');
		if (!Array.isArray(p.weights)) fail(file, 'population.weights', 'must be a list (may be empty = uniform)');
		if (typeof p.uniformShare !== 'number' || p.uniformShare < 0 || p.uniformShare > 1) fail(file, 'population.uniformShare', 'must be a number 0..1');
		if (p.uniformNearWeightsM !== undefined && (typeof p.uniformNearWeightsM !== 'number' || !(p.uniformNearWeightsM > 0)))
			fail(file, 'population.uniformNearWeightsM', 'must be a distance in metres > 0');
	} else if (p.method === 'uniform') {
		if (typeof p.total !== 'number' || p.total < 0) fail(file, 'population.total', 'must be a number >= 0');
	} else fail(file, 'population.method', 'must be raster, census-weights or uniform');
	reqLocalized(p, 'label', file, 'population.');
	const pol = raw.policy;
	if (!isObj(pol)) fail(file, 'policy', 'must be an object');
	if (!MODES.includes(pol.mode as Mode)) fail(file, 'policy.mode', `must be one of ${MODES.join(', ')}`);
	if (typeof pol.maxMinutes !== 'number' || pol.maxMinutes <= 0 || pol.maxMinutes > 240) fail(file, 'policy.maxMinutes', 'must be a number in 1..240');
	if (typeof pol.targetShare !== 'number' || pol.targetShare < 0 || pol.targetShare > 1) fail(file, 'policy.targetShare', 'must be a share 0..1 (0.9 = 90%)');
	if (!Array.isArray(pol.levels) || pol.levels.some((l) => !FACILITY_LEVELS.includes(l as FacilityLevel)))
		fail(file, 'policy.levels', `must be a list of ${FACILITY_LEVELS.join(', ')}`);
	reqLocalized(pol, 'source', file, 'policy.');
	if (!Array.isArray(raw.attribution)) fail(file, 'attribution', 'must be a list of strings');
	if (raw.elderly !== undefined) validateElderly(raw.elderly, file);
	return raw as unknown as RegionManifest;
}

function validateElderly(e: unknown, file: string): void {
	if (!isObj(e)) fail(file, 'elderly', 'must be an object with careHomes and/or ages');
	if (e.careHomes !== undefined) {
		const h = e.careHomes;
		if (!isObj(h)) fail(file, 'elderly.careHomes', 'must be an object');
		reqString(h, 'path', file, 'elderly.careHomes.');
		if (h.format !== 'csv') fail(file, 'elderly.careHomes.format', 'must be csv');
		reqCrs(h, 'crs', file, 'elderly.careHomes.');
		if (!isObj(h.fields)) fail(file, 'elderly.careHomes.fields', 'must map name/lon/lat/beds to column names');
		for (const k of ['name', 'lon', 'lat', 'beds']) reqString(h.fields, k, file, 'elderly.careHomes.fields.');
		reqLocalized(h, 'label', file, 'elderly.careHomes.');
	}
	if (e.ages !== undefined) {
		const a = e.ages;
		if (!isObj(a)) fail(file, 'elderly.ages', 'must be an object');
		reqString(a, 'path', file, 'elderly.ages.');
		reqString(a, 'codeField', file, 'elderly.ages.');
		if (!Array.isArray(a.shareFields) || a.shareFields.length === 0 || a.shareFields.some((x) => typeof x !== 'string'))
			fail(file, 'elderly.ages.shareFields', 'must be a non-empty list of column names, e.g. ["AGES_60-64", "AGES_65P"]');
		reqLocalized(a, 'label', file, 'elderly.ages.');
	}
}
