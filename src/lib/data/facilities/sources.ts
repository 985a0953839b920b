/**
 * Read one facility source (CSV or GeoJSON text) into rows in WGS84 (pure; the browser import reuses it).
 * Rows failing the `where` filter are counted; rows with bad coordinates are counted with a sample of messages,
 * and if most rows are bad the first error is thrown (a wrong column mapping, not a few bad rows).
 */
import { KejimapError } from '../../engine/errors';
import { toWgs84 } from '../../engine/geo/crs';
import type { FacilitySource } from '../../engine/region';
import { readPointsCsv, type PointFieldMap, type PointRow } from '../csv';
import { parseGeoJson, readPointsGeoJson } from '../geojson';

export interface SourceRow {
	/** file row (CSV, header = 1) or feature number (GeoJSON) */
	row: number;
	name: string;
	/** WGS84 */
	lon: number;
	lat: number;
	address?: string;
	district?: string;
	type?: string;
	/** value of fields.level, when the source maps one */
	level?: string;
}

export interface SourceReadReport {
	rows: number;
	/** rows left out by the `where` filter */
	filteredOut: number;
	invalid: number;
	invalidSample: string[];
	/** rows with an empty name (kept, named "<source id> row N") */
	unnamed: number;
}

const SAMPLE = 10;

export function readFacilitySource(text: string, src: Pick<FacilitySource, 'id' | 'format' | 'crs' | 'fields' | 'where'>, file: string): { rows: SourceRow[]; report: SourceReadReport } {
	const f = src.fields;
	const fieldMap: PointFieldMap = { name: f.name, lon: f.lon, lat: f.lat, address: f.address, district: f.district, type: f.type, level: f.level };
	for (const k of Object.keys(src.where ?? {})) fieldMap[`where:${k}`] = k;
	const invalid: KejimapError[] = [];
	const onInvalid = (e: KejimapError) => invalid.push(e);
	const points: PointRow[] =
		src.format === 'csv'
			? readPointsCsv(text, fieldMap, file, { onInvalid })
			: readPointsGeoJson(parseGeoJson(text, file), fieldMap, file, { onInvalid });
	const total = points.length + invalid.length;
	if (total === 0) throw new KejimapError('FILE_EMPTY', `${file}: no data rows (only a header, or an empty file): source "${src.id}" needs at least one facility`, { file });
	if (invalid.length > 0 && invalid.length * 2 > total) {
		const e = invalid[0];
		throw new KejimapError(e.code, `${e.message} (${invalid.length} of ${total} rows invalid: check the field mapping and crs)`, e.detail);
	}
	const where = Object.entries(src.where ?? {});
	let filteredOut = 0;
	let unnamed = 0;
	const rows: SourceRow[] = [];
	for (const p of points) {
		if (where.some(([k, allowed]) => !allowed.includes(p.values[k] ?? ''))) {
			filteredOut++;
			continue;
		}
		const [lon, lat] = toWgs84(p.lon, p.lat, src.crs);
		let name = (p.values[f.name] ?? '').trim();
		if (!name) {
			unnamed++;
			name = `${src.id} row ${p.row}`;
		}
		const opt = (k: string | undefined) => (k ? (p.values[k] ?? '').trim() || undefined : undefined);
		rows.push({ row: p.row, name, lon, lat, address: opt(f.address), district: opt(f.district), type: opt(f.type), level: opt(f.level) });
	}
	return {
		rows,
		report: { rows: total, filteredOut, invalid: invalid.length, invalidSample: invalid.slice(0, SAMPLE).map((e) => e.message), unnamed }
	};
}
