/**
 * GeoJSON export (RFC 7946, WGS84 [lon, lat]): cells and facilities as points, areas as their polygons. The export
 * metadata rides along as a top-level foreign member "metadata" (GIS tools ignore it; it is there for the record).
 */
import type { ExportMetadata } from './metadata';
import type { ExportTable } from './tables';

type Geometry = { type: string; coordinates: unknown } | null;

/** `areaGeometry`: area id -> polygon geometry (from the built region's areas file). */
export function tableToGeoJson(t: ExportTable, metadata: ExportMetadata, areaGeometry?: (areaId: string) => Geometry): string {
	const features: unknown[] = [];
	for (let r = 0; r < t.rowCount; r++) {
		const properties: Record<string, unknown> = {};
		for (const c of t.columns) properties[c.name] = c.values[r];
		let geometry: Geometry = null;
		const g = t.geometry;
		if (g.kind === 'point') geometry = { type: 'Point', coordinates: [Math.round(g.lon[r] * 1e6) / 1e6, Math.round(g.lat[r] * 1e6) / 1e6] };
		else geometry = areaGeometry?.(g.areaIds[r]) ?? null;
		features.push({ type: 'Feature', geometry, properties });
	}
	return JSON.stringify({ type: 'FeatureCollection', metadata, features });
}
