/**
 * A user's table (CSV, or GeoJSON points) as header + rows of text, tolerant of bad rows: a row that cannot be read
 * is rejected with its line number and reason, and the others still load. CSV line numbers are lines of the file
 * (header = line 1, a quoted field spanning lines counts them all); GeoJSON rows are numbered by feature.
 */
import Papa from 'papaparse';
import { KejimapError } from '../../engine/errors';
import { stripBom } from '../csv';
import { parseGeoJson } from '../geojson';

/** Why a row or field was not used: a code for the UI text, and an English sentence for the CLI. */
export interface RejectedRow {
	/** CSV: line of the file where the row starts; GeoJSON: feature number (first = 1) */
	line: number;
	field?: string;
	code: RejectCode;
	message: string;
}

export type RejectCode =
	| 'field-count'
	| 'coord-empty'
	| 'coord-not-number'
	| 'coord-out-of-range'
	| 'coord-swapped'
	| 'outside-region'
	| 'not-a-point'
	| 'level-unknown'
	| 'excluded-by-name'
	| 'duplicate-id'
	| 'value-not-number'
	| 'area-unknown';

export interface ImportTable {
	file: string;
	format: 'csv' | 'geojson';
	header: string[];
	/** GeoJSON: the point coordinates, when the feature has them (the mapping then uses the geometry) */
	rows: { line: number; values: string[]; point?: [number, number] }[];
	rejected: RejectedRow[];
}

export const GEOMETRY_COLUMN = '(geometry)';

/** The delimiter of the header line: Excel writes ';' in some locales and '\t' for "Unicode text". */
function sniffDelimiter(text: string): string {
	const end = text.indexOf('\n');
	const first = end < 0 ? text : text.slice(0, end);
	let best = ',';
	let bestCount = 0;
	for (const d of [',', ';', '\t', '|']) {
		const n = first.split(d).length - 1;
		if (n > bestCount) [best, bestCount] = [d, n];
	}
	return best;
}

export function readCsvTable(text: string, file: string): ImportTable {
	text = stripBom(text);
	// line number of a character offset: binary search over the newline offsets
	const newlines: number[] = [];
	for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) newlines.push(i);
	const lineAt = (offset: number) => {
		let lo = 0;
		let hi = newlines.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (newlines[mid] < offset) lo = mid + 1;
			else hi = mid;
		}
		return lo + 1;
	};
	let header: string[] | null = null;
	const rows: ImportTable['rows'] = [];
	const rejected: RejectedRow[] = [];
	let start = 0;
	Papa.parse<string[]>(text, {
		delimiter: sniffDelimiter(text),
		skipEmptyLines: false,
		step: (r) => {
			const line = lineAt(start);
			start = r.meta.cursor;
			const values = r.data;
			if (values.length === 1 && values[0].trim() === '') return; // blank line
			if (!header) {
				header = values.map((h) => h.trim());
				return;
			}
			if (values.length > header.length && values.slice(header.length).some((v) => v.trim() !== ''))
				rejected.push({
					line,
					code: 'field-count',
					message: `${file}: line ${line}: ${values.length} fields, the header has ${header.length} (an unquoted comma in a name?)`
				});
			else rows.push({ line, values: header.map((_, i) => values[i] ?? '') });
		}
	});
	if (!header) throw new KejimapError('FILE_MALFORMED', `${file}: the file is empty (no header row)`, { file });
	const h: string[] = header;
	if (h.every((c) => c === '')) throw new KejimapError('FILE_MALFORMED', `${file}: the header row is empty`, { file, row: 1 });
	return { file, format: 'csv', header: h, rows, rejected };
}

function propText(v: unknown): string {
	if (v === undefined || v === null) return '';
	return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

/** GeoJSON features as a table: every property seen is a column, plus GEOMETRY_COLUMN when features are points. */
export function readGeoJsonTable(text: string, file: string): ImportTable {
	const fc = parseGeoJson(text, file);
	const cols = new Map<string, number>();
	for (const f of fc.features) for (const k of Object.keys(f.properties)) if (!cols.has(k)) cols.set(k, cols.size);
	const header = [...cols.keys()];
	const rows: ImportTable['rows'] = [];
	const rejected: RejectedRow[] = [];
	fc.features.forEach((f, i) => {
		const line = i + 1;
		const values = header.map((k) => propText(f.properties[k]));
		const g = f.geometry;
		if (g && g.type === 'Point' && Array.isArray(g.coordinates)) {
			const [lon, lat] = g.coordinates as unknown[];
			rows.push({ line, values, point: [Number(lon), Number(lat)] });
		} else rows.push({ line, values });
	});
	if (fc.features.some((f) => f.geometry?.type === 'Point')) header.push(GEOMETRY_COLUMN);
	return { file, format: 'geojson', header, rows: rows.map((r) => (r.point ? { ...r, values: [...r.values, ''] } : r)), rejected };
}

/** CSV or GeoJSON by the file name, else by the first character. */
export function tableFormatOf(file: string, text: string): 'csv' | 'geojson' {
	if (/\.(geo)?json$/i.test(file)) return 'geojson';
	if (/\.(csv|txt|tsv)$/i.test(file)) return 'csv';
	return stripBom(text).trimStart().startsWith('{') ? 'geojson' : 'csv';
}

export function readImportTable(text: string, file: string): ImportTable {
	return tableFormatOf(file, text) === 'geojson' ? readGeoJsonTable(text, file) : readCsvTable(text, file);
}
