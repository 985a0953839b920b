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
import type { ExportRequest, ExportResponse, PopulationModelsResponse, SqlRequest, SqlResponse } from './handlers/export';
// scenarios (issue 7)
import type { ScenarioRegionRef } from '../engine/scenario/codec';
import type { ScenarioCompareRequest, ScenarioCompareResponse, ScenarioEditRequest, ScenarioEditResponse, ScenarioOpenRequest, ScenarioOpenResponse } from './handlers/scenario';
// planning (kj-ui)
import type { PlanRequest, PlanResponse } from './handlers/planning';
import type { ImportRequest, ImportResponse } from './handlers/import';
import type { StoredRegionInfo } from '../data/persist/imports';

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
	// exports and the SQL panel (kj-export)
	exportTable: { req: ExportRequest; res: ExportResponse };
	sqlQuery: { req: SqlRequest; res: SqlResponse };
	populationModels: { req: Record<string, never>; res: PopulationModelsResponse };
	// scenarios (issue 7): edits run in order (never "latest wins": each one changes the live scenario)
	scenarioRegion: { req: Record<string, never>; res: ScenarioRegionRef };
	scenarioOpen: { req: ScenarioOpenRequest; res: ScenarioOpenResponse };
	scenarioEdit: { req: ScenarioEditRequest; res: ScenarioEditResponse };
	scenarioCompare: { req: ScenarioCompareRequest; res: ScenarioCompareResponse };
	// planning (kj-ui)
	plan: { req: PlanRequest; res: PlanResponse };
	// import (bring your own data): the user's file applied to the loaded region; regions kept in IndexedDB
	importData: { req: ImportRequest; res: ImportResponse };
	listStoredRegions: { req: Record<string, never>; res: StoredRegionInfo[] };
	openStoredRegion: { req: { key: string }; res: RegionPayload };
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
	| 'plan'
	// import (bring your own data)
	| 'import-read'
	| 'import-parse'
	| 'import-build';

export interface WorkerError {
	code: string;
	message: string;
}

export type FromWorker =
	| { type: 'progress'; id: number; progress: ProgressEvent }
	| { type: 'result'; id: number; kind: RequestKind; payload: unknown }
	| { type: 'error'; id: number; error: WorkerError }
	| { type: 'cancelled'; id: number };
