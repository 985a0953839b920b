/**
 * A user's facility list (CSV in UTF-8 or GBK, or GeoJSON points) -> Facility[] in WGS84, with every rejected row
 * reported (line, field, reason) and the accepted rows kept. Level from a level column (a code such as "chc" or a
 * Chinese label such as 社区卫生服务站) or else from the name by the documented rules (facilities/classify.ts).
 * The coordinate system is the user's choice, or a hint in the headers, and is checked against the region.
 */
import { KejimapError } from '../../engine/errors';
import { toWgs84 } from '../../engine/geo/crs';
import type { Crs } from '../../engine/region';
import { FACILITY_LEVELS, type Facility, type FacilityLevel } from '../../engine/types';
import { createAreaLocator, type AreaSet } from '../area-set';
import { classifyAmapPoi } from '../facilities/classify';
import { expandBbox, type Bbox } from '../pipeline/crop';
import { checkCrs, type CrsCheck, type CrsReference } from './crs-check';
import { decodeText, type TextEncodingChoice } from './decode';
import { checkImportSize, IMPORT_LIMITS } from './limits';
import { crsFromHeaders, detectColumns, type ColumnMapping } from './mapping';
import { GEOMETRY_COLUMN, readImportTable, type ImportTable, type RejectedRow } from './table';

export type CrsChoice = Crs | 'auto';

export interface FacilityImportOptions {
	file: string;
	encoding?: TextEncodingChoice;
	/** columns chosen by the user; the rest is detected */
	mapping?: ColumnMapping;
	/** 'auto': the headers' hint, else WGS84, switched when the check against `reference` is clear */
	crs?: CrsChoice;
	/** the region the list is for: points outside its extent (+500 m) are rejected, the others get their area */
	areas: AreaSet;
	bbox: Bbox;
	reference?: CrsReference;
	/** Facility.source of the imported rows */
	source?: string;
	/** ids already in use (an added list must not collide with the region's) */
	takenIds?: ReadonlySet<string>;
}

export interface FacilityImport {
	file: string;
	format: ImportTable['format'];
	encoding: 'utf-8' | 'gb18030' | null;
	mapping: ColumnMapping;
	/** the system the coordinates were read in */
	crs: Crs;
	crsFrom: 'user' | 'headers' | 'check' | 'default';
	crsCheck: CrsCheck | null;
	levelFrom: 'column' | 'name-rules';
	/** data rows in the file */
	rows: number;
	facilities: Facility[];
	rejected: RejectedRow[];
}

/** Clinics just outside the region still serve its edge (the same margin as the pipeline). */
const REGION_MARGIN_M = 500;

/** Parse one coordinate pair; null + a rejection when it is unusable. Swapped columns are named as such. */
function readLonLat(lonText: string, latText: string, mapping: ColumnMapping, line: number, file: string, reject: (r: RejectedRow) => void): [number, number] | null {
	const fields = { lon: mapping.lon!, lat: mapping.lat! };
	for (const [k, v] of [['lon', lonText], ['lat', latText]] as const) {
		if (v.trim() === '') {
			reject({ line, field: fields[k], code: 'coord-empty', message: `${file}: line ${line}: "${fields[k]}" is empty` });
			return null;
		}
		if (!Number.isFinite(Number(v.trim()))) {
			reject({ line, field: fields[k], code: 'coord-not-number', message: `${file}: line ${line}: "${fields[k]}" is not a number (${JSON.stringify(v.slice(0, 40))})` });
			return null;
		}
	}
	const lon = Number(lonText.trim());
	const lat = Number(latText.trim());
	// China lies at lon 73..135, lat 18..54: a pair the other way round is swapped columns
	if (lat > 60 && lat <= 180 && lon >= 0 && lon <= 60) {
		reject({ line, field: fields.lat, code: 'coord-swapped', message: `${file}: line ${line}: latitude ${lat}, longitude ${lon}: are the longitude and latitude columns swapped?` });
		return null;
	}
	if (lat < -90 || lat > 90 || lon < -180 || lon > 180) {
		reject({ line, field: lat < -90 || lat > 90 ? fields.lat : fields.lon, code: 'coord-out-of-range', message: `${file}: line ${line}: [${lon}, ${lat}] is not a longitude/latitude pair` });
		return null;
	}
	return [lon, lat];
}

/** A level column's value -> level: a code (chc, village_clinic...) or a Chinese label, read by the name rules. */
export function levelFromColumn(value: string): FacilityLevel | null {
	const v = value.trim();
	if (!v) return null;
	const code = v.toLowerCase() as FacilityLevel;
	if (FACILITY_LEVELS.includes(code)) return code;
	return classifyAmapPoi(v).level;
}

export function importFacilities(input: Uint8Array | string, opts: FacilityImportOptions): FacilityImport {
	const file = opts.file;
	const size = typeof input === 'string' ? input.length : input.byteLength;
	checkImportSize(file, size, IMPORT_LIMITS.tableBytes, 'a facility list');
	const decoded = typeof input === 'string' ? { text: input, encoding: null } : decodeText(input, opts.encoding ?? 'auto', file);
	const table = readImportTable(decoded.text, file);
	const mapping: ColumnMapping = { ...detectColumns(table.header), ...opts.mapping };
	for (const f of ['name', 'lon', 'lat'] as const)
		if (!mapping[f] || !table.header.includes(mapping[f]!))
			throw new KejimapError(
				'FIELD_MISSING',
				`${file}: no ${f === 'name' ? 'name (名称)' : f === 'lon' ? 'longitude (经度/lon/lng)' : 'latitude (纬度/lat)'} column${mapping[f] ? ` "${mapping[f]}"` : ''}; columns found: ${table.header.join(', ')}`,
				{ file, field: f }
			);
	const col = (f: keyof ColumnMapping) => (mapping[f] && table.header.includes(mapping[f]!) ? table.header.indexOf(mapping[f]!) : -1);
	const ix = { name: col('name'), lon: col('lon'), lat: col('lat'), level: col('level'), capacity: col('capacity'), id: col('id'), address: col('address'), district: col('district'), type: col('type') };
	const fromGeometry = mapping.lon === GEOMETRY_COLUMN;
	const rejected = [...table.rejected];
	const reject = (r: RejectedRow) => rejected.push(r);

	// 1. coordinates as written
	const parsed: { row: ImportTable['rows'][number]; lonLat: [number, number] }[] = [];
	for (const row of table.rows) {
		let lonLat: [number, number] | null;
		if (fromGeometry) {
			if (!row.point) {
				reject({ line: row.line, field: 'geometry', code: 'not-a-point', message: `${file}: feature ${row.line}: geometry is not a Point` });
				continue;
			}
			lonLat = readLonLat(String(row.point[0]), String(row.point[1]), mapping, row.line, file, reject);
		} else lonLat = readLonLat(row.values[ix.lon], row.values[ix.lat], mapping, row.line, file, reject);
		if (lonLat) parsed.push({ row, lonLat });
	}

	// 2. the coordinate system: the user's, else the headers' hint, else WGS84; checked against the region
	const hint = crsFromHeaders(mapping.lon, mapping.lat);
	let crs: Crs = opts.crs && opts.crs !== 'auto' ? opts.crs : (hint ?? 'wgs84');
	let crsFrom: FacilityImport['crsFrom'] = opts.crs && opts.crs !== 'auto' ? 'user' : hint ? 'headers' : 'default';
	const crsCheck = opts.reference ? checkCrs(parsed.map((p) => p.lonLat), crs, opts.reference) : null;
	if (crsCheck?.flagged && crsFrom !== 'user') {
		crs = crsCheck.best;
		crsFrom = 'check';
	}

	// 3. rows -> facilities
	const extent = expandBbox(opts.bbox, REGION_MARGIN_M);
	const locate = createAreaLocator(opts.areas);
	const seenIds = new Set<string>(opts.takenIds ?? []);
	const facilities: Facility[] = [];
	const source = opts.source ?? 'import';
	let levelColumnUsed = false;
	for (const { row, lonLat } of parsed) {
		const v = (k: number) => (k >= 0 ? row.values[k].trim() : '');
		const [lon, lat] = toWgs84(lonLat[0], lonLat[1], crs);
		if (lon < extent[0] || lon > extent[2] || lat < extent[1] || lat > extent[3]) {
			reject({ line: row.line, field: mapping.lon, code: 'outside-region', message: `${file}: line ${row.line}: [${lon.toFixed(5)}, ${lat.toFixed(5)}] (WGS84) is outside the region` });
			continue;
		}
		const name = v(ix.name) || `${source} ${row.line}`;
		let level = ix.level >= 0 ? levelFromColumn(v(ix.level)) : null;
		if (level) levelColumnUsed = true;
		else {
			const c = classifyAmapPoi(name, v(ix.type));
			level = c.level;
			if (!level) {
				reject({
					line: row.line,
					field: ix.level >= 0 && v(ix.level) ? mapping.level : mapping.name,
					code: ix.level >= 0 && v(ix.level) ? 'level-unknown' : 'excluded-by-name',
					message:
						ix.level >= 0 && v(ix.level)
							? `${file}: line ${row.line}: level "${v(ix.level)}" is not known, and the name rules leave "${name}" out (${c.excluded ?? c.rule})`
							: `${file}: line ${row.line}: "${name}" is not a primary-care facility by the name rules (${c.excluded ?? c.rule}); give it a level column to keep it`
				});
				continue;
			}
		}
		const id = v(ix.id) || `i${String(facilities.length + 1).padStart(5, '0')}`;
		if (seenIds.has(id)) {
			reject({ line: row.line, field: mapping.id ?? 'id', code: 'duplicate-id', message: `${file}: line ${row.line}: id "${id}" is used already` });
			continue;
		}
		let capacity: number | undefined;
		if (ix.capacity >= 0 && v(ix.capacity) !== '') {
			const c = Number(v(ix.capacity));
			if (!Number.isFinite(c) || c < 0) reject({ line: row.line, field: mapping.capacity, code: 'value-not-number', message: `${file}: line ${row.line}: capacity "${v(ix.capacity)}" is not a number (the row is kept without it)` });
			else capacity = c;
		}
		seenIds.add(id);
		const area = locate(lon, lat);
		const f: Facility = { id, name, level, lon, lat, source, areaId: area >= 0 ? opts.areas.areas[area].id : null, officialMatch: null };
		if (v(ix.address)) f.address = v(ix.address);
		if (v(ix.district)) f.district = v(ix.district);
		if (capacity !== undefined) f.capacity = capacity;
		facilities.push(f);
	}
	rejected.sort((a, b) => a.line - b.line);
	return {
		file,
		format: table.format,
		encoding: decoded.encoding,
		mapping,
		crs,
		crsFrom,
		crsCheck,
		levelFrom: levelColumnUsed ? 'column' : 'name-rules',
		rows: table.rows.length + table.rejected.length,
		facilities,
		rejected
	};
}
