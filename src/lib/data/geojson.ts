/**
 * GeoJSON readers (pure: text or parsed object in), shared by the pipeline and the browser import.
 * Minimal types of our own so the data layer does not depend on @types/geojson being hoisted.
 * Messages number features from 1 ("feature 3").
 */
import { KejimapError } from '../engine/errors';
import { checkLonLat, type PointFieldMap, type PointRow, type ReadPointsOptions } from './csv';

export type Position = number[];
export interface PointGeometry {
	type: 'Point';
	coordinates: Position;
}
export interface PolygonGeometry {
	type: 'Polygon';
	coordinates: Position[][];
}
export interface MultiPolygonGeometry {
	type: 'MultiPolygon';
	coordinates: Position[][][];
}
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;
export interface AnyGeometry {
	type: string;
	coordinates?: unknown;
	geometries?: unknown;
}
export interface Feature<G = AnyGeometry | null, P = Record<string, unknown>> {
	type: 'Feature';
	id?: string | number;
	geometry: G;
	properties: P;
}
export interface FeatureCollection<G = AnyGeometry | null, P = Record<string, unknown>> {
	type: 'FeatureCollection';
	features: Feature<G, P>[];
}

function malformed(file: string, msg: string, row?: number): never {
	throw new KejimapError('FILE_MALFORMED', `${file}: ${msg}`, { file, row });
}
function isObj(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parse and check the FeatureCollection shell (a bare Feature is wrapped). Geometry is checked by the readers below. */
export function parseGeoJson(input: string | unknown, file: string): FeatureCollection {
	let raw: unknown = input;
	if (typeof input === 'string') {
		try {
			raw = JSON.parse(input.charCodeAt(0) === 0xfeff ? input.slice(1) : input);
		} catch (e) {
			malformed(file, `not valid JSON (${(e as Error).message})`);
		}
	}
	if (!isObj(raw)) malformed(file, 'must be a GeoJSON object');
	if (raw.type === 'Feature') raw = { type: 'FeatureCollection', features: [raw] };
	if (!isObj(raw) || raw.type !== 'FeatureCollection')
		malformed(file, `must be a GeoJSON FeatureCollection (got type ${JSON.stringify((raw as Record<string, unknown>).type)})`);
	if (!Array.isArray(raw.features)) malformed(file, '"features" must be a list');
	raw.features.forEach((f, i) => {
		if (!isObj(f) || f.type !== 'Feature') malformed(file, `feature ${i + 1}: not a GeoJSON Feature`, i + 1);
		if (f.properties === undefined || f.properties === null) f.properties = {};
		if (!isObj(f.properties)) malformed(file, `feature ${i + 1}: "properties" must be an object`, i + 1);
	});
	return raw as unknown as FeatureCollection;
}

function propText(v: unknown): string {
	if (v === undefined || v === null) return '';
	return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

/**
 * Read Point features. fields.lon / fields.lat = "geometry" (the usual case) takes the coordinates from the geometry;
 * other names read properties. Every other mapped property must exist on at least one feature.
 */
export function readPointsGeoJson(fc: FeatureCollection, fields: PointFieldMap, file: string, opts: ReadPointsOptions = {}): PointRow[] {
	const fromGeometry = fields.lon === 'geometry' || fields.lat === 'geometry';
	const wanted = Object.entries(fields)
		.filter(([, v]) => typeof v === 'string' && v !== 'geometry')
		.map(([, v]) => v as string);
	for (const w of wanted) {
		if (fc.features.length > 0 && !fc.features.some((f) => w in f.properties)) {
			const found = new Set<string>();
			for (const f of fc.features.slice(0, 50)) for (const k of Object.keys(f.properties)) found.add(k);
			throw new KejimapError('FIELD_MISSING', `${file}: property "${w}" not found on any feature; properties found: ${[...found].join(', ')}`, {
				file,
				field: w
			});
		}
	}
	const out: PointRow[] = [];
	fc.features.forEach((f, i) => {
		const row = i + 1;
		const values: Record<string, string> = {};
		for (const [k, v] of Object.entries(f.properties)) values[k] = propText(v);
		try {
			let lonV: unknown;
			let latV: unknown;
			if (fromGeometry) {
				const g = f.geometry;
				if (!g || g.type !== 'Point' || !Array.isArray(g.coordinates))
					throw new KejimapError('COORD_INVALID', `${file}: feature ${row}: geometry must be a Point (got ${g ? g.type : 'null'})`, {
						file,
						row,
						field: 'geometry'
					});
				[lonV, latV] = g.coordinates as unknown[];
			} else {
				lonV = f.properties[fields.lon];
				latV = f.properties[fields.lat];
			}
			const asInput = (v: unknown) => (typeof v === 'number' || typeof v === 'string' ? v : v === undefined || v === null ? undefined : String(v));
			const names = fromGeometry ? { lon: 'geometry[0] (longitude)', lat: 'geometry[1] (latitude)' } : fields;
			const [lon, lat] = checkLonLat(asInput(lonV), asInput(latV), names, file, `feature ${row}`, row);
			out.push({ row, lon, lat, values });
		} catch (e) {
			if (opts.onInvalid && e instanceof KejimapError) opts.onInvalid(e);
			else throw e;
		}
	});
	return out;
}

function checkRing(ring: unknown, file: string, where: string, row: number): Position[] {
	if (!Array.isArray(ring) || ring.length < 4) malformed(file, `${where}: a ring needs at least 4 positions`, row);
	for (const p of ring) {
		if (!Array.isArray(p) || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1]))
			malformed(file, `${where}: positions must be [lon, lat] numbers`, row);
		if (p[1] < -90 || p[1] > 90 || p[0] < -180 || p[0] > 180) {
			const hint = p[0] >= -90 && p[0] <= 90 ? ' — are longitude and latitude swapped?' : '';
			throw new KejimapError('COORD_INVALID', `${file}: ${where}: position [${p[0]}, ${p[1]}] is outside lon -180..180 / lat -90..90${hint}`, {
				file,
				row
			});
		}
	}
	const a = ring[0] as Position;
	const b = ring[ring.length - 1] as Position;
	// Tolerate unclosed rings (common in hand-made files): close them rather than reject.
	if (a[0] !== b[0] || a[1] !== b[1]) return [...(ring as Position[]), [a[0], a[1]]];
	return ring as Position[];
}

/** Polygon / MultiPolygon features, rings checked (>= 4 positions, numeric, in range; unclosed rings are closed). */
export function readPolygonFeatures(fc: FeatureCollection, file: string): Feature<AreaGeometry>[] {
	return fc.features.map((f, i) => {
		const row = i + 1;
		const where = `feature ${row}`;
		const g = f.geometry;
		if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon'))
			malformed(file, `${where}: geometry must be Polygon or MultiPolygon (got ${g ? g.type : 'null'})`, row);
		if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) malformed(file, `${where}: empty coordinates`, row);
		let geometry: AreaGeometry;
		if (g.type === 'Polygon') {
			geometry = { type: 'Polygon', coordinates: (g.coordinates as unknown[]).map((r) => checkRing(r, file, where, row)) };
		} else {
			geometry = {
				type: 'MultiPolygon',
				coordinates: (g.coordinates as unknown[]).map((poly) => {
					if (!Array.isArray(poly) || poly.length === 0) malformed(file, `${where}: empty polygon in MultiPolygon`, row);
					return poly.map((r) => checkRing(r, file, where, row));
				})
			};
		}
		return { type: 'Feature', geometry, properties: f.properties } as Feature<AreaGeometry>;
	});
}

/** Polygons of an area geometry as a list (a Polygon is a list of one). */
export function polygonsOf(g: AreaGeometry): Position[][][] {
	return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}
