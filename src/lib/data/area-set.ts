/**
 * Admin areas (pure): GeoJSON polygons -> AreaSet in WGS84, and a fast point-in-area locator.
 * The areas stage `loadAreas` (areas.ts) reads the file through a FileSource and calls areaSetFromGeoJson.
 */
import Flatbush from 'flatbush';
import { KejimapError } from '../engine/errors';
import { toWgs84 } from '../engine/geo/crs';
import type { AreaSource } from '../engine/region';
import { parseGeoJson, polygonsOf, readPolygonFeatures, type AreaGeometry, type FeatureCollection, type Position } from './geojson';

export interface AreaInfo {
	id: string;
	name: string;
	/** [west, south, east, north], WGS84 */
	bbox: [number, number, number, number];
}

export interface AreaSet {
	/** index in this list = areaIndex everywhere (cells, summaries) */
	areas: AreaInfo[];
	/** same order as `areas`; WGS84; properties { id, name } */
	features: FeatureCollection<AreaGeometry, { id: string; name: string }>;
}

function bboxOf(g: AreaGeometry): [number, number, number, number] {
	let w = Infinity;
	let s = Infinity;
	let e = -Infinity;
	let n = -Infinity;
	for (const poly of polygonsOf(g))
		for (const p of poly[0]) {
			if (p[0] < w) w = p[0];
			if (p[0] > e) e = p[0];
			if (p[1] < s) s = p[1];
			if (p[1] > n) n = p[1];
		}
	return [w, s, e, n];
}

function convertGeometry(g: AreaGeometry, crs: AreaSource['crs']): AreaGeometry {
	if (crs === 'wgs84') return g;
	const ring = (r: Position[]) => r.map((p) => toWgs84(p[0], p[1], crs) as Position);
	return g.type === 'Polygon'
		? { type: 'Polygon', coordinates: g.coordinates.map(ring) }
		: { type: 'MultiPolygon', coordinates: g.coordinates.map((poly) => poly.map(ring)) };
}

/**
 * Build the area set from parsed GeoJSON (or its text). Ids and names come from source.idField / nameField;
 * `include` keeps only the listed ids, in file order (an id in `include` that is not in the file is an error,
 * so a typo cannot silently drop an area). Duplicate ids are an error.
 */
export function areaSetFromGeoJson(input: string | unknown, source: Pick<AreaSource, 'crs' | 'idField' | 'nameField' | 'include'>, file: string): AreaSet {
	const fc = parseGeoJson(input, file);
	const feats = readPolygonFeatures(fc, file);
	const include = source.include ? new Set(source.include) : null;
	const seen = new Set<string>();
	const areas: AreaInfo[] = [];
	const features: AreaSet['features']['features'] = [];
	feats.forEach((f, i) => {
		const rawId = f.properties[source.idField];
		const rawName = f.properties[source.nameField];
		if (rawId === undefined || rawId === null || rawId === '')
			throw new KejimapError(
				'FIELD_MISSING',
				`${file}: feature ${i + 1}: id property "${source.idField}" is missing; properties found: ${Object.keys(f.properties).join(', ')}`,
				{ file, row: i + 1, field: source.idField }
			);
		if (rawName === undefined || rawName === null)
			throw new KejimapError(
				'FIELD_MISSING',
				`${file}: feature ${i + 1}: name property "${source.nameField}" is missing; properties found: ${Object.keys(f.properties).join(', ')}`,
				{ file, row: i + 1, field: source.nameField }
			);
		const id = String(rawId);
		if (include && !include.has(id)) return;
		if (seen.has(id)) throw new KejimapError('FILE_MALFORMED', `${file}: feature ${i + 1}: duplicate area id "${id}"`, { file, row: i + 1, field: source.idField });
		seen.add(id);
		const geometry = convertGeometry(f.geometry, source.crs);
		const name = String(rawName);
		areas.push({ id, name, bbox: bboxOf(geometry) });
		features.push({ type: 'Feature', geometry, properties: { id, name } });
	});
	if (include) {
		const missing = [...include].filter((id) => !seen.has(id));
		if (missing.length > 0)
			throw new KejimapError('FIELD_MISSING', `${file}: areas.include lists ids not found in the file: ${missing.join(', ')}`, { file, field: 'include' });
	}
	if (areas.length === 0) throw new KejimapError('FILE_MALFORMED', `${file}: no areas (after the include filter)`, { file });
	return { areas, features: { type: 'FeatureCollection', features } };
}

/**
 * One ring prepared for ray casting: its edges bucketed into horizontal bands, so a query only tests the
 * few edges whose latitude span contains the point (district rings have thousands of vertices).
 */
interface PreparedRing {
	xs: Float64Array;
	ys: Float64Array;
	minY: number;
	maxY: number;
	bands: number;
	bandStart: Uint32Array; // CSR: edges of band b are bandEdges[bandStart[b] .. bandStart[b+1])
	bandEdges: Uint32Array; // edge i joins vertex i and i+1
}

function prepareRing(ring: Position[]): PreparedRing {
	const n = ring.length;
	const xs = new Float64Array(n);
	const ys = new Float64Array(n);
	let minY = Infinity;
	let maxY = -Infinity;
	for (let i = 0; i < n; i++) {
		xs[i] = ring[i][0];
		ys[i] = ring[i][1];
		if (ys[i] < minY) minY = ys[i];
		if (ys[i] > maxY) maxY = ys[i];
	}
	const bands = Math.max(1, Math.min(1024, Math.ceil(n / 4)));
	const span = maxY - minY || 1;
	const bandOf = (y: number) => Math.min(bands - 1, Math.max(0, Math.floor(((y - minY) / span) * bands)));
	const counts = new Uint32Array(bands + 1);
	for (let i = 0; i < n - 1; i++) {
		const b0 = bandOf(Math.min(ys[i], ys[i + 1]));
		const b1 = bandOf(Math.max(ys[i], ys[i + 1]));
		for (let b = b0; b <= b1; b++) counts[b + 1]++;
	}
	for (let b = 0; b < bands; b++) counts[b + 1] += counts[b];
	const bandEdges = new Uint32Array(counts[bands]);
	const fill = counts.slice(0, bands);
	for (let i = 0; i < n - 1; i++) {
		const b0 = bandOf(Math.min(ys[i], ys[i + 1]));
		const b1 = bandOf(Math.max(ys[i], ys[i + 1]));
		for (let b = b0; b <= b1; b++) bandEdges[fill[b]++] = i;
	}
	return { xs, ys, minY, maxY, bands, bandStart: counts, bandEdges };
}

/** Even-odd ray casting (ray towards +x) over the edges of the point's band. */
function inRing(r: PreparedRing, x: number, y: number): boolean {
	if (y < r.minY || y > r.maxY) return false;
	const span = r.maxY - r.minY || 1;
	const b = Math.min(r.bands - 1, Math.max(0, Math.floor(((y - r.minY) / span) * r.bands)));
	const { xs, ys, bandEdges } = r;
	let inside = false;
	for (let k = r.bandStart[b]; k < r.bandStart[b + 1]; k++) {
		const i = bandEdges[k];
		const yi = ys[i];
		const yj = ys[i + 1];
		if (yi > y !== yj > y) {
			const xCross = xs[i] + ((xs[i + 1] - xs[i]) * (y - yi)) / (yj - yi);
			if (x < xCross) inside = !inside;
		}
	}
	return inside;
}

/** (lon, lat) -> areaIndex, or -1 outside every area. Overlaps resolve to the lowest index. */
export type AreaLocator = (lon: number, lat: number) => number;

export function createAreaLocator(set: AreaSet): AreaLocator {
	const polys: { area: number; rings: PreparedRing[] }[] = [];
	set.features.features.forEach((f, area) => {
		for (const poly of polygonsOf(f.geometry)) polys.push({ area, rings: poly.map(prepareRing) });
	});
	if (polys.length === 0) return () => -1;
	const index = new Flatbush(polys.length);
	for (const p of polys) {
		const o = p.rings[0];
		let minX = Infinity;
		let maxX = -Infinity;
		for (let i = 0; i < o.xs.length; i++) {
			if (o.xs[i] < minX) minX = o.xs[i];
			if (o.xs[i] > maxX) maxX = o.xs[i];
		}
		index.add(minX, o.minY, maxX, o.maxY);
	}
	index.finish();
	return (lon: number, lat: number) => {
		let best = -1;
		for (const k of index.search(lon, lat, lon, lat)) {
			const p = polys[k];
			if (best !== -1 && p.area >= best) continue;
			if (!inRing(p.rings[0], lon, lat)) continue;
			let inHole = false;
			for (let h = 1; h < p.rings.length && !inHole; h++) inHole = inRing(p.rings[h], lon, lat);
			if (!inHole) best = p.area;
		}
		return best;
	};
}

/** Locate many points at once. */
export function locateAll(locate: AreaLocator, lon: ArrayLike<number>, lat: ArrayLike<number>): Int32Array {
	const out = new Int32Array(lon.length);
	for (let i = 0; i < lon.length; i++) out[i] = locate(lon[i], lat[i]);
	return out;
}
