/**
 * CSV readers (pure: text in, rows out), shared by the Node pipeline and the browser import.
 * Row numbers in messages are file rows: header = row 1, first data row = row 2.
 */
import Papa from 'papaparse';
import { KejimapError } from '../engine/errors';

export interface CsvTable {
	file: string;
	header: string[];
	/** rows[i] is file row i + 2 */
	rows: Record<string, string>[];
}

/** One point read from a file, with every column kept as text. */
export interface PointRow {
	/** 1-based file row (CSV: header = row 1) or feature number (GeoJSON: first feature = 1) */
	row: number;
	lon: number;
	lat: number;
	values: Record<string, string>;
}

/** Column names to read: lon/lat are required, any other defined key must exist too. */
export type PointFieldMap = { lon: string; lat: string } & { [key: string]: string | undefined };

export interface ReadPointsOptions {
	/** When given, an invalid row is passed here and skipped (the caller counts it); otherwise the first one throws. */
	onInvalid?: (error: KejimapError) => void;
}

export function stripBom(text: string): string {
	return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Parse CSV text with a header row. Throws FILE_MALFORMED naming the row for broken quoting or a wrong column count. */
export function parseCsv(text: string, file: string): CsvTable {
	const res = Papa.parse<Record<string, string>>(stripBom(text), {
		header: true,
		skipEmptyLines: 'greedy',
		transformHeader: (h) => h.trim()
	});
	if (res.errors.length > 0) {
		const e = res.errors[0];
		const row = e.row === undefined ? undefined : e.row + 2;
		throw new KejimapError(
			'FILE_MALFORMED',
			`${file}: ${row === undefined ? '' : `row ${row}: `}${e.message} (${res.errors.length} CSV error(s) in total)`,
			{ file, row }
		);
	}
	const header = res.meta.fields ?? [];
	if (header.length === 0) throw new KejimapError('FILE_MALFORMED', `${file}: no header row`, { file });
	return { file, header, rows: res.data };
}

/** Throws FIELD_MISSING listing the columns that do exist. */
export function requireColumns(header: string[], wanted: string[], file: string): void {
	for (const w of wanted) {
		if (!header.includes(w))
			throw new KejimapError('FIELD_MISSING', `${file}: column "${w}" not found; columns found: ${header.join(', ')}`, {
				file,
				field: w
			});
	}
}

/**
 * Validate one coordinate pair. `where` is e.g. "row 12" or "feature 3".
 * Swapped columns are the commonest mistake with Chinese data (lat ~ 20-50, lon ~ 75-135), so say so.
 */
export function checkLonLat(
	lonText: string | number | undefined | null,
	latText: string | number | undefined | null,
	names: { lon: string; lat: string },
	file: string,
	where: string,
	row?: number
): [number, number] {
	const num = (v: string | number | undefined | null, field: string): number => {
		if (v === undefined || v === null || (typeof v === 'string' && v.trim() === ''))
			throw new KejimapError('COORD_INVALID', `${file}: ${where}: field "${field}" is empty`, { file, row, field });
		const x = typeof v === 'number' ? v : Number(v.trim());
		if (!Number.isFinite(x))
			throw new KejimapError('COORD_INVALID', `${file}: ${where}: field "${field}" is not a number (${JSON.stringify(v)})`, {
				file,
				row,
				field
			});
		return x;
	};
	const lon = num(lonText, names.lon);
	const lat = num(latText, names.lat);
	if (lat < -90 || lat > 90) {
		const hint = lon >= -90 && lon <= 90 ? ' — are longitude and latitude swapped?' : '';
		throw new KejimapError('COORD_INVALID', `${file}: ${where}: latitude ${lat} is outside -90..90${hint}`, {
			file,
			row,
			field: names.lat
		});
	}
	if (lon < -180 || lon > 180)
		throw new KejimapError('COORD_INVALID', `${file}: ${where}: longitude ${lon} is outside -180..180`, {
			file,
			row,
			field: names.lon
		});
	return [lon, lat];
}

/** Read a CSV of points: every mapped column must exist; lon/lat are parsed and range-checked. */
export function readPointsCsv(text: string, fields: PointFieldMap, file: string, opts: ReadPointsOptions = {}): PointRow[] {
	const table = parseCsv(text, file);
	const wanted = Object.values(fields).filter((v): v is string => typeof v === 'string');
	requireColumns(table.header, wanted, file);
	const out: PointRow[] = [];
	for (let i = 0; i < table.rows.length; i++) {
		const row = i + 2;
		const values = table.rows[i];
		try {
			const [lon, lat] = checkLonLat(values[fields.lon], values[fields.lat], fields, file, `row ${row}`, row);
			out.push({ row, lon, lat, values });
		} catch (e) {
			if (opts.onInvalid && e instanceof KejimapError) opts.onInvalid(e);
			else throw e;
		}
	}
	return out;
}
