import { describe, expect, it } from 'vitest';
import { KejimapError } from '../engine/errors';
import { parseGeoJson, readPointsGeoJson, readPolygonFeatures } from './geojson';

function errorOf(fn: () => unknown): KejimapError {
	try {
		fn();
	} catch (e) {
		if (e instanceof KejimapError) return e;
		throw e;
	}
	throw new Error('expected a KejimapError');
}

const pt = (lon: unknown, lat: unknown, props: Record<string, unknown> = {}) => ({
	type: 'Feature',
	geometry: { type: 'Point', coordinates: [lon, lat] },
	properties: props
});

describe('geojson readers', () => {
	it('reads points from geometry and keeps properties as text', () => {
		const fc = parseGeoJson(JSON.stringify({ type: 'FeatureCollection', features: [pt(121, 31, { name: '甲', beds: 20 })] }), 'p.geojson');
		const rows = readPointsGeoJson(fc, { name: 'name', lon: 'geometry', lat: 'geometry' }, 'p.geojson');
		expect(rows).toEqual([{ row: 1, lon: 121, lat: 31, values: { name: '甲', beds: '20' } }]);
	});

	it('rejects non-JSON, non-collections, and names the feature with a bad or swapped point', () => {
		expect(errorOf(() => parseGeoJson('{oops', 'x.geojson')).message).toMatch(/^x\.geojson: not valid JSON/);
		expect(errorOf(() => parseGeoJson({ type: 'Point', coordinates: [1, 2] }, 'x.geojson')).message).toContain('must be a GeoJSON FeatureCollection');
		const fc = parseGeoJson({ type: 'FeatureCollection', features: [pt(121, 31, { name: 'a' }), pt(31, 121, { name: 'b' })] }, 'y.geojson');
		const e = errorOf(() => readPointsGeoJson(fc, { name: 'name', lon: 'geometry', lat: 'geometry' }, 'y.geojson'));
		expect(e.message).toBe('y.geojson: feature 2: latitude 121 is outside -90..90 — are longitude and latitude swapped?');
		const line = parseGeoJson({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'LineString', coordinates: [] }, properties: { name: 'a' } }] }, 'z');
		expect(errorOf(() => readPointsGeoJson(line, { name: 'name', lon: 'geometry', lat: 'geometry' }, 'z')).message).toContain('feature 1: geometry must be a Point (got LineString)');
	});

	it('lists the properties found when a mapped property is missing', () => {
		const fc = parseGeoJson({ type: 'FeatureCollection', features: [pt(121, 31, { title: 'a' })] }, 'q.geojson');
		const e = errorOf(() => readPointsGeoJson(fc, { name: 'name', lon: 'geometry', lat: 'geometry' }, 'q.geojson'));
		expect(e.code).toBe('FIELD_MISSING');
		expect(e.message).toBe('q.geojson: property "name" not found on any feature; properties found: title');
	});

	it('validates polygons: ring length, numbers, closes open rings', () => {
		const sq = [
			[0, 0],
			[1, 0],
			[1, 1],
			[0, 1]
		];
		const fc = parseGeoJson({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [sq] }, properties: { id: 'a' } }] }, 'a.geojson');
		const [f] = readPolygonFeatures(fc, 'a.geojson');
		expect(f.geometry.coordinates[0].length).toBe(5);
		const bad = parseGeoJson({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 1]]] }, properties: {} }] }, 'b.geojson');
		expect(errorOf(() => readPolygonFeatures(bad, 'b.geojson')).message).toBe('b.geojson: feature 1: a ring needs at least 4 positions');
		const pts = parseGeoJson({ type: 'FeatureCollection', features: [pt(1, 2)] }, 'c.geojson');
		expect(errorOf(() => readPolygonFeatures(pts, 'c.geojson')).message).toContain('geometry must be Polygon or MultiPolygon (got Point)');
	});
});
