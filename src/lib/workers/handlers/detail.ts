/** facilityDetail (isochrone and catchment of one facility) and cellDetail (one cell of the last coverage run). */
import { KejimapError } from '../../engine/errors';
import { cellRing, lonLatToCell } from '../../engine/geo/h3';
import { MIN_CUTOFF_MINUTES, type CoverageSettings } from '../../engine/session';
import type { CellResult, MethodChoice, Mode } from '../../engine/types';
import { METHOD_CODES } from '../../engine/types';
import type { Bbox, PolygonCollection, PolygonFeature } from '../protocol';
import type { HandlerContext, HandlerResult } from '../router';
import { ensureGraphs } from './coverage';
import { requireSession, type HandlerDeps, type SessionSlot } from './region';

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

/** Bounds of nested GeoJSON coordinates, grown from a start box. */
function growBbox(bbox: Bbox, c: unknown): Bbox {
	if (!Array.isArray(c)) return bbox;
	if (typeof c[0] === 'number') {
		bbox[0] = Math.min(bbox[0], c[0]);
		bbox[1] = Math.min(bbox[1], c[1] as number);
		bbox[2] = Math.max(bbox[2], c[0]);
		bbox[3] = Math.max(bbox[3], c[1] as number);
	} else for (const x of c) growBbox(bbox, x);
	return bbox;
}

export async function facilityDetail(deps: HandlerDeps, slot: SessionSlot, req: FacilityDetailRequest, ctx: HandlerContext): Promise<HandlerResult<FacilityDetailResponse>> {
	const s = requireSession(slot);
	const f = s.coverage.facilities[req.facilityIndex];
	if (!f) throw new KejimapError('BAD_ARGUMENT', `no facility #${req.facilityIndex}`);
	await ensureGraphs(deps, s, [req.mode], req.method, ctx);
	await ctx.checkpoint();
	ctx.progress({ stage: 'isochrone', done: 0, total: 1 });
	const last = s.last;
	const counted = !!last && last.settings.levels.includes(f.level);
	const settings: CoverageSettings = last
		? { ...last.settings, mode: req.mode, maxMinutes: req.maxMinutes, method: req.method }
		: { mode: req.mode, maxMinutes: req.maxMinutes, levels: [f.level], targetShare: 0, method: req.method };
	// Without a counted run the catchment is empty: pass an all-unreached result.
	const n = s.coverage.cells.count;
	const base: CellResult =
		last && counted ? last.result : { minutes: new Float32Array(n).fill(Infinity), facility: new Int32Array(n).fill(-1), method: new Uint8Array(n) };
	const { isochrone, catchment } = s.coverage.facilityDetail(req.facilityIndex, settings, base);
	const features: PolygonFeature[] = [{ type: 'Feature', geometry: isochrone.geometry, properties: { kind: 'reach', population: isochrone.properties.population } }];
	if (catchment.properties.cells > 0)
		features.push({ type: 'Feature', geometry: catchment.geometry, properties: { kind: 'catchment', population: catchment.properties.population } });
	const collection: PolygonCollection = { type: 'FeatureCollection', features };
	const payload: FacilityDetailResponse = {
		facilityIndex: req.facilityIndex,
		isochrone: collection,
		catchmentPopulation: catchment.properties.population,
		catchmentCells: catchment.properties.cells,
		reachPopulation: isochrone.properties.population,
		counted,
		bbox: growBbox([f.lon, f.lat, f.lon, f.lat], isochrone.geometry.coordinates)
	};
	return { payload };
}

export async function cellDetail(slot: SessionSlot, req: CellDetailRequest): Promise<HandlerResult<CellDetailResponse | null>> {
	const s = requireSession(slot);
	const cells = s.coverage.cells;
	let c: number;
	if ('cellIndex' in req) {
		c = req.cellIndex;
		if (!(Number.isInteger(c) && c >= 0 && c < cells.count)) throw new KejimapError('BAD_ARGUMENT', `no cell #${c}`);
	} else {
		if (!Number.isFinite(req.lon) || !Number.isFinite(req.lat)) throw new KejimapError('COORD_INVALID', `not a point: ${req.lon}, ${req.lat}`);
		if (!s.cellByH3) s.cellByH3 = new Map(cells.h3.map((h, i) => [h, i]));
		c = s.cellByH3.get(lonLatToCell(req.lon, req.lat, cells.resolution)) ?? -1;
		if (c < 0) return { payload: null };
	}
	const last = s.last;
	const m = last ? last.result.minutes[c] : Infinity;
	const payload: CellDetailResponse = {
		cellIndex: c,
		h3: cells.h3[c],
		population: cells.population[c],
		minutes: Number.isFinite(m) ? m : null,
		cutoffMinutes: last ? Math.max(MIN_CUTOFF_MINUTES, last.settings.maxMinutes) : 0,
		method: last ? (last.result.method[c] === METHOD_CODES.network ? 'network' : 'radius') : null,
		facilityIndex: last && Number.isFinite(m) ? last.result.facility[c] : -1,
		areaIndex: cells.areaIndex[c],
		ring: cellRing(cells.h3[c])
	};
	return { payload };
}
