/**
 * Import in the worker: the user's file (a File from the page) through the same importers as the CLI, applied to
 * the loaded region. The new region replaces the session only when everything succeeded, so a failed or cancelled
 * import loses nothing. The result is kept in IndexedDB (when asked and possible) and can be reopened.
 */
import { areaSetFromGeoJson } from '../../data/area-set';
import { importAreas } from '../../data/import/areas';
import type { CrsCheck } from '../../data/import/crs-check';
import type { TextEncodingChoice } from '../../data/import/decode';
import { importFacilities, type CrsChoice } from '../../data/import/facilities';
import { checkImportSize, IMPORT_LIMITS } from '../../data/import/limits';
import type { ColumnMapping } from '../../data/import/mapping';
import { importNetwork } from '../../data/import/network';
import { importPopulationRaster, importPopulationTable, isRasterFile } from '../../data/import/population';
import { applyAreasImport, applyFacilityImport, applyNetworkImport, applyPopulationImport, crsReferenceOf, regionFilesOf, type RegionData } from '../../data/import/region';
import { importTableFromParquet, isParquetFile, type RejectedRow } from '../../data/import/table';
import { readParquet } from '../../data/parquet';
import type { ImportStore, StoredRegionInfo } from '../../data/persist/imports';
import { errorMessage, KejimapError } from '../../engine/errors';
import { deserializeGraph } from '../../engine/graph/serialize';
import { deserializeCells } from '../../engine/io/cells';
import type { CsrGraph, Facility, Mode } from '../../engine/types';
import type { HandlerContext, HandlerResult } from '../router';
import { ensureGraphs } from './coverage';
import { openRegion, requireSession, type HandlerDeps, type RegionPayload, type SessionSlot } from './region';

export type ImportKind = 'facilities' | 'population' | 'network' | 'areas';
export const IMPORT_KINDS: readonly ImportKind[] = ['facilities', 'population', 'network', 'areas'];

export interface ImportRequest {
	kind: ImportKind;
	file: Blob;
	fileName: string;
	/** facilities: replace the list (default) or add to it */
	mode?: 'replace' | 'add';
	crs?: CrsChoice;
	encoding?: TextEncodingChoice;
	mapping?: ColumnMapping;
	/** keep the result in IndexedDB */
	persist?: boolean;
}

/** At most this many rejected rows cross to the page (the count is always exact). */
const REJECTED_SHOWN = 1000;

export interface ImportReport {
	kind: ImportKind;
	file: string;
	rows: number;
	accepted: number;
	rejectedCount: number;
	rejected: RejectedRow[];
	header?: string[];
	mapping?: ColumnMapping;
	encoding?: string | null;
	crs?: string;
	crsFrom?: string;
	crsCheck?: CrsCheck | null;
	/** population: how the cells were made */
	method?: string;
	/** IndexedDB key of the kept region, or why it could not be kept */
	storedKey: string | null;
	storeError: string | null;
}

export interface ImportResponse {
	region: RegionPayload;
	report: ImportReport;
}

export interface ImportDeps extends HandlerDeps {
	importStore?: ImportStore;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** The size limit for a kind of file, checked before any byte is read. */
function limitFor(kind: ImportKind, req: ImportRequest): number {
	if (kind === 'network') return IMPORT_LIMITS.networkBytes;
	if (kind === 'population' && /\.tiff?$/i.test(req.fileName)) return Number.MAX_SAFE_INTEGER; // read by windows
	return IMPORT_LIMITS.tableBytes;
}

export async function importData(deps: ImportDeps, slot: SessionSlot, req: ImportRequest, ctx: HandlerContext): Promise<HandlerResult<ImportResponse>> {
	const s = requireSession(slot);
	const file = req.fileName;
	checkImportSize(file, req.file.size, limitFor(req.kind, req), `a ${req.kind === 'network' ? 'road network' : req.kind === 'areas' ? 'area file' : `${req.kind} file`}`);
	ctx.progress({ stage: 'import-read', done: 0, total: req.file.size });
	// every graph of the region: the new region carries them, and a facility list is checked against the roads
	await ensureGraphs(deps, s, Object.keys(s.region.files.graphs) as Mode[], 'auto', ctx);
	const areas = areaSetFromGeoJson(s.areasText, { crs: 'wgs84', idField: 'id', nameField: 'name' }, 'areas.geojson');
	let data: RegionData = { region: s.region, areas, facilities: s.coverage.facilities, cells: s.coverage.cells, graphs: { ...s.graphs } };
	const raster = req.kind === 'population' && isRasterFile(file, new Uint8Array(await req.file.slice(0, 4).arrayBuffer()));
	const bytes = raster ? null : new Uint8Array(await req.file.arrayBuffer());
	await ctx.checkpoint();
	ctx.progress({ stage: 'import-parse', done: 0, total: 1 });
	const report: ImportReport = { kind: req.kind, file, rows: 0, accepted: 0, rejectedCount: 0, rejected: [], storedKey: null, storeError: null };
	const rejectedOf = (r: RejectedRow[]) => {
		report.rejectedCount = r.length;
		report.rejected = r.slice(0, REJECTED_SHOWN);
	};
	if (req.kind === 'facilities') {
		const input = isParquetFile(file) ? importTableFromParquet(await readParquet(bytes!, file)) : bytes!;
		const imp = importFacilities(input, {
			file,
			encoding: req.encoding,
			crs: req.crs,
			mapping: req.mapping,
			areas,
			bbox: s.region.bbox,
			reference: crsReferenceOf(data),
			takenIds: req.mode === 'add' ? new Set(data.facilities.map((f) => f.id)) : undefined
		});
		Object.assign(report, { rows: imp.rows, accepted: imp.facilities.length, header: imp.header, mapping: imp.mapping, encoding: imp.encoding, crs: imp.crs, crsFrom: imp.crsFrom, crsCheck: imp.crsCheck });
		rejectedOf(imp.rejected);
		if (imp.facilities.length === 0)
			throw new KejimapError('FILE_MALFORMED', `${file}: no row could be used (${imp.rejected.length} rejected${imp.rejected[0] ? `, e.g. ${imp.rejected[0].message}` : ''}); the region is unchanged`, { file });
		data = applyFacilityImport(data, imp, req.mode ?? 'replace');
	} else if (req.kind === 'population') {
		const perArea = (s.region.reports.population as { perArea?: { census?: number }[] } | undefined)?.perArea;
		const opts = {
			file,
			areas,
			bbox: s.region.bbox,
			resolution: data.cells.resolution,
			censusTotals: perArea && perArea.some((a) => a.census !== undefined) ? perArea.map((a) => a.census ?? null) : null,
			currentCells: data.cells,
			encoding: req.encoding,
			crs: req.crs && req.crs !== 'auto' ? req.crs : undefined,
			mapping: req.mapping
		};
		const imp = raster ? await importPopulationRaster(req.file, opts) : importPopulationTable(bytes!, opts);
		Object.assign(report, { rows: imp.rows, accepted: imp.rows - imp.rejected.length, mapping: imp.mapping, method: imp.method });
		rejectedOf(imp.rejected);
		data = applyPopulationImport(data, imp);
	} else if (req.kind === 'network') {
		const imp = await importNetwork(bytes!, { file, crs: req.crs && req.crs !== 'auto' ? req.crs : undefined, regionId: s.region.id });
		Object.assign(report, { rows: imp.report.networkWays, accepted: imp.report.networkWays });
		data = applyNetworkImport(data, imp);
	} else {
		const imp = importAreas(bytes!, { file, cells: data.cells, facilities: data.facilities, crs: req.crs && req.crs !== 'auto' ? req.crs : undefined });
		Object.assign(report, { rows: imp.areas.areas.length, accepted: imp.areas.areas.length });
		data = applyAreasImport(data, imp);
	}
	await ctx.checkpoint();
	ctx.progress({ stage: 'import-build', done: 0, total: 1 });
	const { region, files } = regionFilesOf(data);
	if (req.persist && deps.importStore) {
		try {
			report.storedKey = await deps.importStore.save(s.region.manifest.id, region, files);
		} catch (e) {
			report.storeError = errorMessage(e); // the import stands; only keeping it failed
		}
	}
	const opened = await openRegion(
		slot,
		{ region, regionUrl: s.regionUrl, facilities: data.facilities, cells: data.cells, graphs: data.graphs, areasBuf: files['areas.geojson'].slice().buffer, downloadBytes: 0 },
		ctx
	);
	return { payload: { region: opened.payload, report }, transfer: opened.transfer };
}

export async function listStoredRegions(deps: ImportDeps): Promise<HandlerResult<StoredRegionInfo[]>> {
	if (!deps.importStore) return { payload: [] };
	return { payload: (await deps.importStore.list()).regions };
}

/** Reopen a kept region: its files from IndexedDB, opened like a fetched one. */
export async function openStoredRegion(deps: ImportDeps, slot: SessionSlot, req: { key: string }, ctx: HandlerContext): Promise<HandlerResult<RegionPayload>> {
	const stored = deps.importStore ? await deps.importStore.get(req.key) : null;
	if (!stored) throw new KejimapError('FILE_MISSING', `kept region "${req.key}" not found in this browser (cleared site data?)`, { file: req.key });
	const r = stored.region;
	const file = (name: string) => {
		const f = stored.files[name];
		if (!f) throw new KejimapError('FILE_MISSING', `kept region "${req.key}": file ${name} is missing`, { file: name });
		return f;
	};
	const graphs: Partial<Record<Mode, CsrGraph>> = {};
	for (const [mode, name] of Object.entries(r.files.graphs) as [Mode, string][]) graphs[mode] = deserializeGraph(file(name).slice().buffer);
	let facilities: Facility[];
	try {
		facilities = JSON.parse(decoder.decode(file(r.files.facilities))) as Facility[];
	} catch (e) {
		throw new KejimapError('FILE_MALFORMED', `kept region "${req.key}": ${errorMessage(e)}`, { file: r.files.facilities });
	}
	const cells = deserializeCells(file(r.files.cells).slice().buffer);
	await ctx.checkpoint();
	return openRegion(slot, { region: r, regionUrl: '', facilities, cells, graphs, areasBuf: encoder.encode(decoder.decode(file(r.files.areas))).buffer, downloadBytes: 0 }, ctx);
}
