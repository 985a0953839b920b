/**
 * exportTable / sqlQuery / populationModels: the last coverage answer as files (CSV, GeoJSON, Parquet, with their metadata) and as
 * DuckDB tables for the read-only SQL panel. DuckDB is loaded on the first SQL query only (data/duckdb/client.ts),
 * and the tables are reloaded when the settings changed since they were loaded.
 */
import { exportFiles, type ExportFormat } from '../../data/export/export';
import { exportMetadata } from '../../data/export/metadata';
import { compareModels, type ModelComparisonRow } from '../../data/export/report-model';
import type { PopulationModelsIndex } from '../../data/population/models';
import { areasTable, cellsTable, facilitiesTable, type ExportTable, type TableName } from '../../data/export/tables';
import type { DuckDbBinding, QueryRows } from '../../data/duckdb/client';
import { KejimapError } from '../../engine/errors';
import { settingsKey } from '../../engine/session';
import type { HandlerContext, HandlerResult } from '../router';
import { fetchBytes, requireSession, type HandlerDeps, type SessionSlot, type WorkerSession } from './region';

export interface ExportRequest {
	table: TableName;
	format: ExportFormat;
	/** ISO time stamped into the metadata (the page's clock) */
	generatedAt: string;
}
export interface ExportResponse {
	files: { name: string; mime: string; content: string | ArrayBuffer }[];
}

export interface SqlRequest {
	sql: string;
	limit?: number;
}
export type SqlResponse = QueryRows & { truncated: boolean; tables: string[] };

function lastRun(s: WorkerSession) {
	if (!s.last) throw new KejimapError('BAD_ARGUMENT', 'no coverage result yet: wait for the map to finish');
	const settings = s.last.settings;
	// cached: the same figures the page shows, no new search
	const { summary, activeFacilities } = s.coverage.compute(settings);
	return { settings, result: s.last.result, summary, activeFacilities };
}

function tableOf(s: WorkerSession, name: TableName): ExportTable {
	const { settings, result, summary } = lastRun(s);
	const session = s.coverage;
	if (name === 'cells')
		return cellsTable({ cells: session.cells, result, facilityOfSlot: (f) => session.facilities[f] ?? null, areas: s.region.areas, maxMinutes: settings.maxMinutes });
	if (name === 'facilities') return facilitiesTable({ facilities: session.facilities, levels: settings.levels, cells: session.cells, result, maxMinutes: settings.maxMinutes });
	return areasTable(summary, (id) => settings.areaModeRules?.find((r) => r.areaIds.includes(id))?.mode ?? settings.mode);
}

export async function exportTable(deps: HandlerDeps, slot: SessionSlot, req: ExportRequest, ctx: HandlerContext): Promise<HandlerResult<ExportResponse>> {
	const s = requireSession(slot);
	const table = tableOf(s, req.table);
	const { settings, summary, activeFacilities } = lastRun(s);
	const metadata = exportMetadata({ region: s.region, settings, summary, activeFacilities, table: req.table, generatedAt: req.generatedAt });
	let geometry: ((id: string) => { type: string; coordinates: unknown } | null) | undefined;
	if (req.format === 'geojson' && req.table === 'areas') {
		const fc = JSON.parse(new TextDecoder().decode(await fetchBytes(deps, s.regionUrl + s.region.files.areas, ctx))) as {
			features: { geometry: { type: string; coordinates: unknown }; properties: { id: string } }[];
		};
		const byId = new Map(fc.features.map((f) => [String(f.properties.id), f.geometry]));
		geometry = (id) => byId.get(id) ?? null;
	}
	await ctx.checkpoint();
	const name = `kejimap-${s.region.id}-${req.table}-${settings.mode}-${settings.maxMinutes}min.${req.format}`;
	const files = exportFiles(table, req.format, metadata, name, geometry).map((f) => ({
		name: f.name,
		mime: f.mime,
		content: typeof f.content === 'string' ? f.content : (f.content.slice().buffer as ArrayBuffer)
	}));
	return { payload: { files }, transfer: files.flatMap((f) => (typeof f.content === 'string' ? [] : [f.content])) };
}

/** What the SQL panel's tables were loaded from (region + settings), so a stale table is never queried. */
const loaded = { key: null as string | null };

export async function sqlQuery(slot: SessionSlot, req: SqlRequest, ctx: HandlerContext, open?: () => Promise<DuckDbBinding>): Promise<HandlerResult<SqlResponse>> {
	const s = requireSession(slot);
	const { settings } = lastRun(s);
	const { getDuckDb, loadTable, readOnlyQuery } = await import('../../data/duckdb/client');
	const db = await (open ?? getDuckDb)();
	const key = `${s.region.id}|${s.region.inputHash}|${settingsKey(settings)}`;
	const tables: TableName[] = ['cells', 'facilities', 'areas'];
	if (loaded.key !== key) {
		for (const t of tables) {
			await ctx.checkpoint();
			await loadTable(db, tableOf(s, t));
		}
		loaded.key = key;
	}
	await ctx.checkpoint();
	const r = await readOnlyQuery(db, req.sql, req.limit ?? 1000);
	return { payload: { ...r, tables } };
}

export interface PopulationModelsResponse {
	models: {
		id: string;
		label: { zh: string; en: string };
		licence: string;
		rows: ModelComparisonRow[];
		total: Omit<ModelComparisonRow, 'areaId' | 'name'>;
	}[];
}

/** Alternative population models of the region (population-models.json), fetched once per loaded region. */
const modelCache = new WeakMap<WorkerSession, Promise<{ id: string; label: { zh: string; en: string }; licence: string; population: Float64Array; inGrid: Uint8Array }[]>>();

/** The last coverage result summed under each alternative population model, per area (the map's own cells and times). */
export async function populationModels(deps: HandlerDeps, slot: SessionSlot, ctx: HandlerContext): Promise<HandlerResult<PopulationModelsResponse>> {
	const s = requireSession(slot);
	const { settings, result } = lastRun(s);
	let loadedModels = modelCache.get(s);
	if (!loadedModels) {
		loadedModels = (async () => {
			const index = JSON.parse(new TextDecoder().decode(await fetchBytes(deps, s.regionUrl + 'population-models.json', ctx))) as PopulationModelsIndex;
			const n = s.coverage.cells.count;
			const out = [];
			for (const m of index.models) {
				if (m.cells !== n) throw new KejimapError('FILE_MALFORMED', `${m.file}: ${m.cells} cells, the region has ${n} (rebuild with npm run data)`, { file: m.file });
				const bytes = new Uint8Array(await fetchBytes(deps, s.regionUrl + m.file, ctx));
				out.push({ id: m.id, label: m.label, licence: m.licence, population: Float64Array.from(new Float32Array(bytes.buffer, 0, n)), inGrid: bytes.slice(n * 4, n * 5) });
			}
			return out;
		})();
		modelCache.set(s, loadedModels);
		loadedModels.catch(() => modelCache.delete(s));
	}
	const models = (await loadedModels).map((m) => ({
		id: m.id,
		label: m.label,
		licence: m.licence,
		...compareModels(s.coverage.cells, result, s.region.areas, settings.maxMinutes, settings.targetShare, m.population, m.inGrid)
	}));
	return { payload: { models } };
}
