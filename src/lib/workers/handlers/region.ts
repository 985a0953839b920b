/**
 * loadRegion: fetches a built region (manifest, cells, facilities, areas), checks the manifest fields the app relies
 * on, and opens the worker's session over it. Also the fetch-with-progress the other handlers use for graphs.
 */
import { droppedRows, guessedEncodings, type DroppedRows } from '../../data/dropped';
import { validateBuiltRegion, type BuiltRegion } from '../../engine/built-region';
import { KejimapError } from '../../engine/errors';
import { deserializeCells } from '../../engine/io/cells';
import type { Localized, PolicyDefaults } from '../../engine/region';
import { CoverageSession } from '../../engine/session';
import type { CellResult, CellTable, CsrGraph, Facility, Mode } from '../../engine/types';
import { MODES } from '../../engine/types';
import { buildCellMesh, type CellMesh } from '../cell-mesh';
import type { Bbox, ProgressStage } from '../protocol';
import type { CoverageSettings } from '../../engine/session';
import type { HandlerContext, HandlerResult } from '../router';

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
	/** rows the build left out, per source and reason (shown with the region, as in the CLI summary) */
	dropped: DroppedRows[];
	/** sources whose encoding was guessed (not UTF-8) */
	encodingsGuessed: { source: string; encoding: string }[];
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

export interface HandlerDeps {
	fetch: (url: string) => Promise<Response>;
}

/** What the worker holds for the loaded region; every handler but loadRegion reads it. */
export interface WorkerSession {
	region: BuiltRegion;
	regionUrl: string;
	coverage: CoverageSession;
	/** graphs fetched so far; the CoverageSession reads this same object */
	graphs: Partial<Record<Mode, CsrGraph>>;
	/** the settings and result the last coverage answer described */
	last: { settings: CoverageSettings; result: CellResult } | null;
	/** the times the page holds (identity), so unchanged times are not re-sent */
	sentResult: CellResult | null;
	sentKey: string | null;
	/** h3 index -> cell index, built on the first point lookup */
	cellByH3: Map<string, number> | null;
	/** the areas GeoJSON as built (the page gets its bytes; an import needs the polygons) */
	areasText: string;
}

/** The worker's one mutable slot: the session of the loaded region (null before the first load). */
export interface SessionSlot {
	current: WorkerSession | null;
}

export function requireSession(slot: SessionSlot): WorkerSession {
	if (!slot.current) throw new KejimapError('BAD_ARGUMENT', 'no region loaded');
	return slot.current;
}



/** Checks data/build/<region>/region.json with the built-region schema (engine/built-region.ts, the same as the CLI's). */
export function readBuiltRegion(raw: unknown, file: string): BuiltRegion {
	return validateBuiltRegion(raw, file);
}

/** Fetch with byte progress; throws a KejimapError naming the URL. */
export async function fetchBytes(deps: HandlerDeps, url: string, ctx: HandlerContext, stage: ProgressStage = 'download'): Promise<ArrayBuffer> {
	let res: Response;
	try {
		res = await deps.fetch(url);
	} catch (e) {
		throw new KejimapError('FILE_MISSING', `${url}: could not be fetched (${e instanceof Error ? e.message : String(e)})`, { file: url });
	}
	if (!res.ok) throw new KejimapError('FILE_MISSING', `${url}: HTTP ${res.status}`, { file: url });
	const total = Number(res.headers.get('content-length')) || 0;
	if (!res.body) return res.arrayBuffer();
	const reader = res.body.getReader();
	const chunks: Uint8Array[] = [];
	let done = 0;
	let lastReport = 0;
	for (;;) {
		const r = await reader.read();
		if (r.done) break;
		chunks.push(r.value);
		done += r.value.byteLength;
		if (done - lastReport > 256 * 1024) {
			lastReport = done;
			ctx.progress({ stage, done, total });
			if (ctx.cancelled) {
				await reader.cancel();
				await ctx.checkpoint();
			}
		}
	}
	const out = new Uint8Array(done);
	let off = 0;
	for (const c of chunks) {
		out.set(c, off);
		off += c.byteLength;
	}
	return out.buffer;
}

const decoder = new TextDecoder();

/** Per area: population and a label point (the area's cell nearest to its population-weighted centre, so inside it). */
export function summarizeAreas(list: BuiltRegion['areas'], cells: Pick<CellTable, 'count' | 'lon' | 'lat' | 'population' | 'areaIndex'>): AreaInfo[] {
	const k = list.length;
	const pop = new Float64Array(k);
	const sx = new Float64Array(k);
	const sy = new Float64Array(k);
	const wsum = new Float64Array(k);
	for (let i = 0; i < cells.count; i++) {
		const a = cells.areaIndex[i];
		if (a < 0 || a >= k) continue;
		// empty cells weigh almost nothing, so an unpopulated area still gets its geometric centre
		const w = cells.population[i] > 0 ? cells.population[i] : 1e-9;
		pop[a] += cells.population[i];
		wsum[a] += w;
		sx[a] += w * cells.lon[i];
		sy[a] += w * cells.lat[i];
	}
	const best = new Int32Array(k).fill(-1);
	const bestD = new Float64Array(k).fill(Infinity);
	for (let i = 0; i < cells.count; i++) {
		const a = cells.areaIndex[i];
		if (a < 0 || a >= k || !(wsum[a] > 0)) continue;
		const dx = cells.lon[i] - sx[a] / wsum[a];
		const dy = cells.lat[i] - sy[a] / wsum[a];
		const d = dx * dx + dy * dy;
		if (d < bestD[a]) {
			bestD[a] = d;
			best[a] = i;
		}
	}
	return list.map((a, i) => ({
		id: a.id,
		name: a.name,
		bbox: a.bbox ?? null,
		population: Math.round(pop[i]),
		labelPoint: best[i] >= 0 ? [cells.lon[best[i]], cells.lat[best[i]]] : null
	}));
}

/** Replaces the slot's session with the requested region's (the old one is dropped first, so a failed load leaves none). */
export async function loadRegion(deps: HandlerDeps, slot: SessionSlot, req: LoadRegionRequest, ctx: HandlerContext): Promise<HandlerResult<RegionPayload>> {
	slot.current = null;
	const dataUrl = req.dataUrl.endsWith('/') ? req.dataUrl : req.dataUrl + '/';
	const regionUrl = `${dataUrl}${encodeURIComponent(req.regionId)}/`;
	const file = `${req.regionId}/region.json`;
	const manifestBuf = await fetchBytes(deps, regionUrl + 'region.json', ctx);
	let raw: unknown;
	try {
		raw = JSON.parse(decoder.decode(manifestBuf));
	} catch (e) {
		throw new KejimapError('FILE_MALFORMED', `${file}: ${e instanceof Error ? e.message : String(e)}`, { file });
	}
	const region = readBuiltRegion(raw, file);
	const [cellsBuf, facBuf, areasBuf] = await Promise.all([
		fetchBytes(deps, regionUrl + region.files.cells, ctx),
		fetchBytes(deps, regionUrl + region.files.facilities, ctx),
		fetchBytes(deps, regionUrl + region.files.areas, ctx)
	]);
	const downloadBytes = manifestBuf.byteLength + cellsBuf.byteLength + facBuf.byteLength + areasBuf.byteLength;
	await ctx.checkpoint();
	ctx.progress({ stage: 'decode', done: 0, total: 1 });
	const cells = deserializeCells(cellsBuf);
	let facilities: Facility[];
	try {
		facilities = JSON.parse(decoder.decode(facBuf)) as Facility[];
		if (!Array.isArray(facilities)) throw new Error('expected a list of facilities');
	} catch (e) {
		const f = `${req.regionId}/${region.files.facilities}`;
		throw new KejimapError('FILE_MALFORMED', `${f}: ${e instanceof Error ? e.message : String(e)}`, { file: f });
	}
	return openRegion(slot, { region, regionUrl, facilities, cells, graphs: {}, areasBuf, downloadBytes }, ctx);
}

/** Open a session over a region's data (fetched, or made by an import) and describe it for the page. */
export async function openRegion(
	slot: SessionSlot,
	d: { region: BuiltRegion; regionUrl: string; facilities: Facility[]; cells: CellTable; graphs: Partial<Record<Mode, CsrGraph>>; areasBuf: ArrayBuffer; downloadBytes: number },
	ctx: HandlerContext
): Promise<HandlerResult<RegionPayload>> {
	const { region, regionUrl, facilities, cells, graphs, areasBuf, downloadBytes } = d;
	const areas = summarizeAreas(region.areas, cells);
	const totalPopulation = cells.population.reduce((a, b) => a + b, 0);
	await ctx.checkpoint();
	ctx.progress({ stage: 'polygons', done: 0, total: 1 });
	const cellMesh = buildCellMesh(cells);
	const cellPopulations = Float32Array.from(cells.population);
	slot.current = {
		region,
		regionUrl,
		coverage: new CoverageSession(region, facilities, cells, graphs),
		graphs,
		last: null,
		sentResult: null,
		sentKey: null,
		cellByH3: null,
		areasText: decoder.decode(areasBuf)
	};
	const m = region.manifest;
	const payload: RegionPayload = {
		regionId: region.id,
		name: region.name,
		description: m.description,
		policy: m.policy,
		areaLevel: region.areaLevel,
		areas,
		facilities,
		bbox: region.bbox,
		cellCount: cells.count,
		h3Resolution: cells.resolution,
		populationMethod: cells.populationMethod,
		populationLabel: region.populationLabel ?? null,
		modelledFacilities: region.modelledFacilities ?? [],
		dropped: droppedRows(region.reports),
		encodingsGuessed: guessedEncodings(region.reports),
		totalPopulation: Math.round(totalPopulation),
		networkModes: MODES.filter((mode) => region.files.graphs[mode]),
		networkNotes: m.network?.note ? [m.network.note] : [],
		attribution: m.attribution ?? [],
		cellPopulations,
		cellMesh,
		areasGeojson: areasBuf,
		downloadBytes
	};
	const transfer = [cellMesh.vertices.buffer, cellMesh.vertexStart.buffer, cellMesh.indices.buffer, areasBuf, cellPopulations.buffer];
	return { payload, transfer };
}
