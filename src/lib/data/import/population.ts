/**
 * A user's population: a GeoTIFF (WorldPop-style, read by windows over the region only), or a table of villages /
 * streets with a population and either coordinates or an area code. Where the region has census totals per area,
 * they stay in control: the imported figures decide how each area's total is spread over its cells (raster and
 * point tables), or replace the totals of the areas they name (code tables). Elsewhere the figures are used as they are.
 */
import { KejimapError } from '../../engine/errors';
import { toWgs84 } from '../../engine/geo/crs';
import { cellCenter, lonLatToCell } from '../../engine/geo/h3';
import type { Crs } from '../../engine/region';
import type { CellTable } from '../../engine/types';
import { createAreaLocator, type AreaSet } from '../area-set';
import { spreadTotals, type WeightPoint } from '../population/census';
import { rasterToCells, type RasterCellsReport } from '../population/raster';
import type { Bbox } from '../pipeline/crop';
import { decodeText, type TextEncodingChoice } from './decode';
import { checkImportSize, IMPORT_LIMITS } from './limits';
import { detectColumns, type ColumnMapping } from './mapping';
import { GEOMETRY_COLUMN, readImportTable, type RejectedRow } from './table';

export interface PopulationImportOptions {
	file: string;
	areas: AreaSet;
	bbox: Bbox;
	resolution: number;
	/** the region's census total per area (same order as areas), null where it has none */
	censusTotals: (number | null)[] | null;
	/** the region's current cells: a code table rescales them per area */
	currentCells: CellTable;
	crs?: Crs;
	encoding?: TextEncodingChoice;
	mapping?: ColumnMapping;
}

export interface PopulationImport {
	file: string;
	kind: 'raster' | 'points' | 'area-totals';
	/** how the cells were made, for every output's label */
	method: 'raster' | 'raster-weights-census' | 'points' | 'points-weights-census' | 'area-totals';
	cells: CellTable;
	mapping?: ColumnMapping;
	raster?: RasterCellsReport;
	rows: number;
	rejected: RejectedRow[];
	/** population in the imported file (within the region), and in the cells */
	inputTotal: number;
	total: number;
	/** areas whose total is the census's (the import only spreads it, or is compared with it) */
	areasControlled: number;
	/** code tables: the table's sum per area against the census, and the figure used */
	comparison?: { areaId: string; name: string; table: number; census: number | null; used: number }[];
}

export function isRasterFile(file: string, bytes: Uint8Array): boolean {
	if (/\.tiff?$/i.test(file)) return true;
	return (bytes[0] === 0x49 && bytes[1] === 0x49 && (bytes[2] === 42 || bytes[2] === 43)) || (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0 && (bytes[3] === 42 || bytes[3] === 43));
}

/** Points with a population -> cells: each point's figure to the cell holding it, areas located; or spread under census control. */
function cellsFromPoints(points: WeightPoint[], o: PopulationImportOptions, populationMethod: CellTable['populationMethod']): { cells: CellTable; controlled: number } {
	const totals = o.censusTotals;
	if (totals && totals.every((t) => t !== null)) {
		// census in control: the points are the weights (no uniform share: the user's figures say where people live)
		const { cells } = spreadTotals(o.areas, totals as number[], points, o.resolution, 0, 'modelled-census');
		return { cells, controlled: totals.length };
	}
	const locate = createAreaLocator(o.areas);
	const sums = new Map<string, { pop: number; area: number }>();
	for (const p of points) {
		const k = locate(p.lon, p.lat);
		if (k < 0) continue;
		const h = lonLatToCell(p.lon, p.lat, o.resolution);
		const e = sums.get(h);
		if (e) e.pop += p.weight;
		else sums.set(h, { pop: p.weight, area: k });
	}
	const h3 = [...sums.keys()].sort();
	const centres = h3.map(cellCenter);
	return {
		cells: {
			resolution: o.resolution,
			count: h3.length,
			h3,
			lon: Float64Array.from(centres, (c) => c[0]),
			lat: Float64Array.from(centres, (c) => c[1]),
			population: Float64Array.from(h3, (h) => sums.get(h)!.pop),
			areaIndex: Int32Array.from(h3, (h) => sums.get(h)!.area),
			populationMethod
		},
		controlled: 0
	};
}

export async function importPopulationRaster(input: ArrayBuffer | Blob, o: PopulationImportOptions): Promise<PopulationImport> {
	const { cells: rc, report } = await rasterToCells(input, o.resolution, { file: o.file, crs: o.crs, bbox: o.bbox });
	const points: WeightPoint[] = rc.h3.map((_, i) => ({ lon: rc.lon[i], lat: rc.lat[i], weight: rc.population[i] }));
	const { cells, controlled } = cellsFromPoints(points, o, 'raster');
	const total = cells.population.reduce((s, v) => s + v, 0);
	return { file: o.file, kind: 'raster', method: controlled ? 'raster-weights-census' : 'raster', cells, raster: report, rows: report.validPixels, rejected: [], inputTotal: report.cellSum, total, areasControlled: controlled };
}

export function importPopulationTable(input: Uint8Array | string, o: PopulationImportOptions): PopulationImport {
	const file = o.file;
	checkImportSize(file, typeof input === 'string' ? input.length : input.byteLength, IMPORT_LIMITS.tableBytes, 'a population table');
	const text = typeof input === 'string' ? input : decodeText(input, o.encoding ?? 'auto', file).text;
	const table = readImportTable(text, file);
	const mapping: ColumnMapping = { ...detectColumns(table.header, ['name', 'lon', 'lat', 'population', 'areaCode']), ...o.mapping };
	const ix = (k: keyof ColumnMapping) => (mapping[k] ? table.header.indexOf(mapping[k]!) : -1);
	if (ix('population') < 0)
		throw new KejimapError('FIELD_MISSING', `${file}: no population column (人口/population); columns found: ${table.header.join(', ')}`, { file, field: 'population' });
	const byPoint = ix('lon') >= 0 && ix('lat') >= 0;
	if (!byPoint && ix('areaCode') < 0)
		throw new KejimapError('FIELD_MISSING', `${file}: needs coordinates (经度/纬度, lon/lat) or an area code column (区划代码/code); columns found: ${table.header.join(', ')}`, {
			file,
			field: 'lon'
		});
	const rejected = [...table.rejected];
	const popOf = (row: (typeof table.rows)[number]): number | null => {
		const t = row.values[ix('population')].trim().replace(/,/g, '');
		const v = Number(t);
		if (t === '' || !Number.isFinite(v) || v < 0) {
			rejected.push({ line: row.line, field: mapping.population, code: 'value-not-number', message: `${file}: line ${row.line}: population "${t.slice(0, 30)}" is not a number >= 0` });
			return null;
		}
		return v;
	};
	let inputTotal = 0;
	if (byPoint) {
		const points: WeightPoint[] = [];
		const crs = o.crs ?? 'wgs84';
		for (const row of table.rows) {
			const pop = popOf(row);
			if (pop === null) continue;
			const [x, y] = mapping.lon === GEOMETRY_COLUMN && row.point ? row.point : [Number(row.values[ix('lon')]), Number(row.values[ix('lat')])];
			if (!Number.isFinite(x) || !Number.isFinite(y) || y < -90 || y > 90 || x < -180 || x > 180) {
				rejected.push({ line: row.line, field: mapping.lon, code: 'coord-not-number', message: `${file}: line ${row.line}: the coordinates are not a longitude/latitude pair` });
				continue;
			}
			const [lon, lat] = toWgs84(x, y, crs);
			if (lon < o.bbox[0] || lon > o.bbox[2] || lat < o.bbox[1] || lat > o.bbox[3]) {
				rejected.push({ line: row.line, field: mapping.lon, code: 'outside-region', message: `${file}: line ${row.line}: [${lon.toFixed(5)}, ${lat.toFixed(5)}] is outside the region` });
				continue;
			}
			inputTotal += pop;
			points.push({ lon, lat, weight: pop });
		}
		const { cells, controlled } = cellsFromPoints(points, o, 'raster');
		const total = cells.population.reduce((s, v) => s + v, 0);
		return { file, kind: 'points', method: controlled ? 'points-weights-census' : 'points', cells, mapping, rows: table.rows.length + table.rejected.length, rejected, inputTotal, total, areasControlled: controlled };
	}
	// area totals by code: a row's code is an area's id, or starts with it (a village code 310110001001 lies in
	// district 310110). The census controls the areas it covers (the table is only compared with it there); the
	// other areas take the table's sum, and their cells are rescaled to it.
	const areaByCode = new Map(o.areas.areas.map((a, k) => [a.id, k]));
	const areaOfCode = (code: string): number | undefined => {
		for (let len = code.length; len >= 2; len--) {
			const k = areaByCode.get(code.slice(0, len));
			if (k !== undefined) return k;
		}
		return undefined;
	};
	const tableTotal = new Map<number, number>();
	for (const row of table.rows) {
		const pop = popOf(row);
		if (pop === null) continue;
		const code = row.values[ix('areaCode')].trim();
		const k = areaOfCode(code);
		if (k === undefined) {
			rejected.push({ line: row.line, field: mapping.areaCode, code: 'area-unknown', message: `${file}: line ${row.line}: code "${code.slice(0, 30)}" is not in any area of the region` });
			continue;
		}
		inputTotal += pop;
		tableTotal.set(k, (tableTotal.get(k) ?? 0) + pop);
	}
	const cur = o.currentCells;
	const oldTotal = new Float64Array(o.areas.areas.length);
	for (let i = 0; i < cur.count; i++) if (cur.areaIndex[i] >= 0) oldTotal[cur.areaIndex[i]] += cur.population[i];
	const comparison: PopulationImport['comparison'] = [];
	const factor = new Float64Array(o.areas.areas.length).fill(1);
	let controlled = 0;
	for (const [k, t] of [...tableTotal.entries()].sort((a, b) => a[0] - b[0])) {
		const census = o.censusTotals?.[k] ?? null;
		comparison.push({ areaId: o.areas.areas[k].id, name: o.areas.areas[k].name, table: t, census, used: census ?? t });
		if (census !== null) {
			controlled++;
			continue;
		}
		if (oldTotal[k] > 0) factor[k] = t / oldTotal[k];
		else if (t > 0) throw new KejimapError('FILE_MALFORMED', `${file}: the region has no populated cell in ${o.areas.areas[k].name} to put the table's population in`, { file });
	}
	const population = Float64Array.from(cur.population, (p, i) => (cur.areaIndex[i] >= 0 ? p * factor[cur.areaIndex[i]] : p));
	const cells: CellTable = { ...cur, population };
	const total = population.reduce((s, v) => s + v, 0);
	return { file, kind: 'area-totals', method: 'area-totals', cells, mapping, rows: table.rows.length + table.rejected.length, rejected, inputTotal, total, areasControlled: controlled, comparison };
}
