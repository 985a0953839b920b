/**
 * The exportable tables (cells, facilities, areas) as typed columns: one model behind the CSV, GeoJSON, Parquet and
 * DuckDB outputs, so every format holds the same values. Pure: built from a session's arrays, no I/O.
 * Missing values are null (an unreachable cell has no minutes), never 0 or NaN.
 */
import type { BuiltArea } from '../../engine/built-region';
import type { CellResult, CellTable, CoverageSummary, Facility, FacilityLevel } from '../../engine/types';
import { METHOD_CODES } from '../../engine/types';

export const TABLE_NAMES = ['cells', 'facilities', 'areas'] as const;
export type TableName = (typeof TABLE_NAMES)[number];

export type ColumnType = 'string' | 'float64' | 'int64' | 'bool';
export interface Column {
	name: string;
	type: ColumnType;
	values: (string | number | boolean | null)[];
}

/** Where a row is on the map: a point, or an area id whose polygon the GeoJSON writer looks up. */
export type RowGeometry = { kind: 'point'; lon: Float64Array | number[]; lat: Float64Array | number[] } | { kind: 'area'; areaIds: string[] };

export interface ExportTable {
	name: TableName;
	rowCount: number;
	columns: Column[];
	geometry: RowGeometry;
}

const round = (x: number, digits: number) => {
	const f = 10 ** digits;
	return Math.round(x * f) / f;
};

export interface CellsInput {
	cells: CellTable;
	result: CellResult;
	/** the facility of a result slot (a scenario's slots differ from the region's facility indices) */
	facilityOfSlot: (slot: number) => Pick<Facility, 'id' | 'name'> | null;
	areas: readonly BuiltArea[];
	maxMinutes: number;
}

export function cellsTable({ cells, result, facilityOfSlot, areas, maxMinutes }: CellsInput): ExportTable {
	const n = cells.count;
	const col = (name: string, type: ColumnType, f: (c: number) => string | number | boolean | null): Column => {
		const values = new Array(n);
		for (let c = 0; c < n; c++) values[c] = f(c);
		return { name, type, values };
	};
	const areaOf = (c: number) => (cells.areaIndex[c] >= 0 ? areas[cells.areaIndex[c]] : undefined);
	return {
		name: 'cells',
		rowCount: n,
		geometry: { kind: 'point', lon: cells.lon, lat: cells.lat },
		columns: [
			col('h3', 'string', (c) => cells.h3[c]),
			col('lon', 'float64', (c) => round(cells.lon[c], 6)),
			col('lat', 'float64', (c) => round(cells.lat[c], 6)),
			col('area_id', 'string', (c) => areaOf(c)?.id ?? null),
			col('area_name', 'string', (c) => areaOf(c)?.name ?? null),
			col('population', 'float64', (c) => round(cells.population[c], 2)),
			col('minutes', 'float64', (c) => (Number.isFinite(result.minutes[c]) ? round(result.minutes[c], 2) : null)),
			col('covered', 'bool', (c) => result.minutes[c] <= maxMinutes),
			col('facility_id', 'string', (c) => (result.facility[c] >= 0 ? (facilityOfSlot(result.facility[c])?.id ?? null) : null)),
			col('facility_name', 'string', (c) => (result.facility[c] >= 0 ? (facilityOfSlot(result.facility[c])?.name ?? null) : null)),
			col('method', 'string', (c) => (result.method[c] === METHOD_CODES.network ? 'network' : 'radius'))
		]
	};
}

export interface FacilitiesInput {
	facilities: readonly Facility[];
	/** levels counted in the run: a facility of another level is listed with counted = false */
	levels: readonly FacilityLevel[];
	/** with a result: each facility's catchment (people whose nearest counted facility it is, within maxMinutes) */
	cells?: CellTable;
	result?: CellResult;
	maxMinutes?: number;
}

export function facilitiesTable({ facilities, levels, cells, result, maxMinutes }: FacilitiesInput): ExportTable {
	const counted = new Set(levels);
	let catchment: Float64Array | null = null;
	if (cells && result && maxMinutes !== undefined) {
		catchment = new Float64Array(facilities.length);
		for (let c = 0; c < cells.count; c++) {
			const f = result.facility[c];
			if (f >= 0 && result.minutes[c] <= maxMinutes) catchment[f] += cells.population[c];
		}
	}
	const col = (name: string, type: ColumnType, f: (x: Facility, i: number) => string | number | boolean | null): Column => ({
		name,
		type,
		values: facilities.map(f)
	});
	const columns = [
		col('id', 'string', (f) => f.id),
		col('name', 'string', (f) => f.name),
		col('level', 'string', (f) => f.level),
		col('lon', 'float64', (f) => round(f.lon, 6)),
		col('lat', 'float64', (f) => round(f.lat, 6)),
		col('address', 'string', (f) => f.address ?? null),
		col('area_id', 'string', (f) => f.areaId ?? null),
		col('source', 'string', (f) => f.source),
		col('official_match', 'string', (f) => f.officialMatch ?? null),
		col('merged_from', 'string', (f) => (f.mergedFrom?.length ? f.mergedFrom.join('; ') : null)),
		col('counted', 'bool', (f) => counted.has(f.level))
	];
	if (catchment) {
		const k = catchment;
		columns.push(col('catchment_population', 'float64', (f, i) => (counted.has(f.level) ? round(k[i], 1) : null)));
	}
	return {
		name: 'facilities',
		rowCount: facilities.length,
		geometry: { kind: 'point', lon: facilities.map((f) => f.lon), lat: facilities.map((f) => f.lat) },
		columns
	};
}

/** The per-area table: the same rows as the CLI text table, the app's AreaTable and the report. */
export function areasTable(summary: CoverageSummary, modeOfArea: (areaId: string) => string = () => summary.mode): ExportTable {
	const rows = summary.rows;
	const col = (name: string, type: ColumnType, f: (r: (typeof rows)[number]) => string | number | boolean | null): Column => ({
		name,
		type,
		values: rows.map(f)
	});
	return {
		name: 'areas',
		rowCount: rows.length,
		geometry: { kind: 'area', areaIds: rows.map((r) => r.areaId) },
		columns: [
			col('area_id', 'string', (r) => r.areaId),
			col('name', 'string', (r) => r.name),
			col('mode', 'string', (r) => modeOfArea(r.areaId)),
			col('population', 'int64', (r) => r.population),
			col('covered', 'int64', (r) => r.covered),
			col('share', 'float64', (r) => round(r.share, 6)),
			col('pass', 'bool', (r) => r.pass),
			col('shortfall', 'int64', (r) => r.shortfall),
			col('network_share', 'float64', (r) => round(r.networkShare, 6))
		]
	};
}

/** Rows as objects (for the SQL panel, tests and JSON). */
export function tableRows(t: ExportTable): Record<string, string | number | boolean | null>[] {
	const out: Record<string, string | number | boolean | null>[] = [];
	for (let r = 0; r < t.rowCount; r++) {
		const o: Record<string, string | number | boolean | null> = {};
		for (const c of t.columns) o[c.name] = c.values[r];
		out.push(o);
	}
	return out;
}
