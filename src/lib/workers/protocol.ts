/**
 * The envelope between the page and the engine worker, and the one typed RequestMap.
 * Every request has an id; the worker answers with progress events, then exactly one of result / error / cancelled.
 * Buffers (cell polygons, minutes) are transferred, not copied. Request and response types live beside their
 * handlers (handlers/*.ts); this file only names them.
 */
import type { CoverageSettings } from '../engine/session';
import type { CoverageResponse } from './handlers/coverage';
import type { CellDetailRequest, CellDetailResponse, FacilityDetailRequest, FacilityDetailResponse } from './handlers/detail';
import type { LoadRegionRequest, RegionPayload } from './handlers/region';
// planning (kj-ui)
import type { PlanRequest, PlanResponse } from './handlers/planning';

/** The coverage request is the engine's settings type (one definition, engine/session.ts). */
export type { CoverageSettings } from '../engine/session';

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

export interface RequestMap {
	loadRegion: { req: LoadRegionRequest; res: RegionPayload };
	coverage: { req: CoverageSettings; res: CoverageResponse };
	facilityDetail: { req: FacilityDetailRequest; res: FacilityDetailResponse };
	cellDetail: { req: CellDetailRequest; res: CellDetailResponse | null };
	// planning (kj-ui)
	plan: { req: PlanRequest; res: PlanResponse };
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
export type ProgressStage =
	| 'download'
	| 'decode'
	| 'polygons'
	| 'labels'
	| 'summary'
	| 'isochrone'
	// planning (kj-ui): plan() stages (engine PlanProgress)
	| 'reach'
	| 'greedy'
	| 'swap'
	| 'bound'
	| 'exact'
	| 'plan';

export interface WorkerError {
	code: string;
	message: string;
}

export type FromWorker =
	| { type: 'progress'; id: number; progress: ProgressEvent }
	| { type: 'result'; id: number; kind: RequestKind; payload: unknown }
	| { type: 'error'; id: number; error: WorkerError }
	| { type: 'cancelled'; id: number };
