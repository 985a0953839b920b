/**
 * One typed request/response map between the page and the engine worker.
 * Every request has an id; the worker answers with progress events, then exactly one of result / error / cancelled.
 * Buffers (cell polygons, minutes) are transferred, not copied.
 */
import type { AreaModeRule, Localized, PolicyDefaults } from '../engine/region';
import type { SessionResult } from '../engine/session';
import type { CellMesh } from './cell-mesh';
import type { CellTable, CoverageSummary, Facility, FacilityLevel, MethodChoice, Mode } from '../engine/types';

/** data/build/index.json */
export interface RegionIndexEntry {
	id: string;
	name: Localized;
	hasNetwork: boolean;
	modes: Mode[];
	populationMethod: CellTable['populationMethod'];
	default?: true;
}
export interface RegionIndex {
	regions: RegionIndexEntry[];
}

/** Minimal GeoJSON shapes used across the worker boundary (WGS84, [lon, lat]). */
export interface PolygonFeature {
	type: 'Feature';
	geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };
	properties: Record<string, string | number | boolean | null>;
}
export interface PolygonCollection {
	type: 'FeatureCollection';
	features: PolygonFeature[];
}

export type Bbox = [number, number, number, number]; // [west, south, east, north]

export interface AreaInfo {
	id: string;
	name: string;
	bbox: Bbox | null;
	population: number;
	/** a point inside the area for its label: the area's cell nearest to its population-weighted centre */
	labelPoint: [number, number] | null;
}

export interface LoadRegionRequest {
	/** absolute URL of the data folder (…/data/), resolved by the page against the app base */
	dataUrl: string;
	regionId: string;
}

export interface RegionPayload {
	regionId: string;
	name: Localized;
	description?: Localized;
	policy: PolicyDefaults;
	areaLevel: Localized;
	areas: AreaInfo[];
	facilities: Facility[];
	bbox: Bbox;
	cellCount: number;
	h3Resolution: number;
	populationMethod: CellTable['populationMethod'];
	populationLabel: Localized | null;
	/** facility sources that are assumptions, not data (shown as a warning) */
	modelledFacilities: Localized[];
	totalPopulation: number;
	/** modes that have a road graph in this build (the others use the radius method) */
	networkModes: Mode[];
	networkNotes: Localized[];
	attribution: string[];
	/** population per cell (float32 copy, for colour ramps) */
	cellPopulations: Float32Array;
	/** cell hexagons as a Web Mercator triangle mesh (drawn by map/cell-layer.ts) */
	cellMesh: CellMesh;
	/** UTF-8 GeoJSON of the admin areas, as built (feature order = areaIndex) */
	areasGeojson: ArrayBuffer;
	/** bytes downloaded to load the region (cells, facilities, areas, manifest; graphs are counted when fetched) */
	downloadBytes: number;
}

export interface CoverageRequest {
	mode: Mode;
	maxMinutes: number;
	levels: FacilityLevel[];
	targetShare: number;
	method: MethodChoice;
	/** per-area modes (policy.areaModeRules); cells of other areas use `mode` */
	areaModeRules?: AreaModeRule[];
}

export interface CoverageTimings {
	/** graph download + decode */
	fetchMs: number;
	/** engine CoverageSession.compute (times when not cached, then the per-area summary) */
	computeMs: number;
	totalMs: number;
}

export interface CoverageResponse {
	summary: CoverageSummary;
	/**
	 * Minutes per cell (Infinity = beyond the cutoff), present only when the times changed since the last answer
	 * (a threshold change below the cutoff re-buckets the cached times and sends none).
	 */
	minutes: Float32Array | null;
	/** the travel-time cutoff the cached times were computed with (>= maxMinutes; engine MIN_CUTOFF_MINUTES at least) */
	cutoffMinutes: number;
	/** true when the cached times were reused */
	reused: boolean;
	facilityCount: number;
	diagnostics: SessionResult['diagnostics'];
	/** graph bytes downloaded for this request (0 when cached) */
	downloadBytes: number;
	timings: CoverageTimings;
}

export interface FacilityDetailRequest {
	/** index into RegionPayload.facilities */
	facilityIndex: number;
	mode: Mode;
	maxMinutes: number;
	method: MethodChoice;
}

export interface FacilityDetailResponse {
	facilityIndex: number;
	/** WGS84 GeoJSON (Multi)Polygon features of the area reachable within maxMinutes */
	isochrone: PolygonCollection;
	/** people in cells whose nearest counted facility is this one, within maxMinutes (current coverage run) */
	catchmentPopulation: number;
	catchmentCells: number;
	/** people within maxMinutes of this facility regardless of other facilities */
	reachPopulation: number;
	/** false when the facility's level is not counted in the current run */
	counted: boolean;
	/** bounds of the facility and its isochrone */
	bbox: Bbox;
}

/** A cell by index, or the cell at a point (none when the point is in no populated cell of the region). */
export type CellDetailRequest = { cellIndex: number } | { lon: number; lat: number };

export interface CellDetailResponse {
	cellIndex: number;
	h3: string;
	population: number;
	minutes: number | null; // null = beyond the cutoff
	cutoffMinutes: number;
	method: 'network' | 'radius' | null;
	facilityIndex: number; // index into RegionPayload.facilities, -1 = none within the cutoff
	areaIndex: number;
	/** closed boundary ring, [lon, lat] */
	ring: [number, number][];
}

export interface RequestMap {
	loadRegion: { req: LoadRegionRequest; res: RegionPayload };
	coverage: { req: CoverageRequest; res: CoverageResponse };
	facilityDetail: { req: FacilityDetailRequest; res: FacilityDetailResponse };
	cellDetail: { req: CellDetailRequest; res: CellDetailResponse | null };
}
export type RequestKind = keyof RequestMap;

export type ToWorker =
	| { [K in RequestKind]: { type: 'request'; id: number; kind: K; payload: RequestMap[K]['req'] } }[RequestKind]
	| { type: 'cancel'; id: number };

export interface ProgressEvent {
	/** stable stage key, translated by the page (i18n key suffix) */
	stage: ProgressStage;
	done: number;
	total: number;
}
export type ProgressStage = 'download' | 'decode' | 'polygons' | 'labels' | 'summary' | 'isochrone';

export interface WorkerError {
	code: string;
	message: string;
}

export type FromWorker =
	| { type: 'progress'; id: number; progress: ProgressEvent }
	| { type: 'result'; id: number; kind: RequestKind; payload: unknown }
	| { type: 'error'; id: number; error: WorkerError }
	| { type: 'cancelled'; id: number };
