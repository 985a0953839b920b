/**
 * Areas where no polygons exist (Chengdu's street offices): the Voronoi cells of the admin points, dissolved by area.
 * Approximate, and reported so (`reports.areasDerived`). The one module of the app that uses Turf.
 */
import { featureCollection, point, union, voronoi, bbox as turfBbox } from '@turf/turf';
import type { Feature as TurfFeature, MultiPolygon, Polygon } from 'geojson';
import type { AreaSource } from '../../engine/region';
import type { Feature, FeatureCollection } from '../geojson';

/** ~2 km beyond the outermost points, so the edge areas are not cut at their own point. */
const PAD_DEG = 0.02;

/** Points (properties[idField] = area) -> one polygon feature per area, properties { id (census code if mapped), name }. */
export function voronoiAreas(text: string, source: Pick<AreaSource, 'idField' | 'codes'>): FeatureCollection {
	const src = JSON.parse(text) as FeatureCollection;
	const pts = src.features.filter((f) => f.geometry?.type === 'Point' && f.properties?.[source.idField]);
	const fc = featureCollection(
		pts.map((f) => point((f.geometry as { coordinates: number[] }).coordinates, { group: String(f.properties[source.idField]) }))
	);
	const [w, s, e, n] = turfBbox(fc);
	const cells = voronoi(fc, { bbox: [w - PAD_DEG, s - PAD_DEG, e + PAD_DEG, n + PAD_DEG] });
	const byGroup = new Map<string, TurfFeature<Polygon | MultiPolygon>[]>();
	cells.features.forEach((c, i) => {
		if (!c) return;
		const g = fc.features[i].properties.group;
		if (!byGroup.has(g)) byGroup.set(g, []);
		byGroup.get(g)!.push(c as TurfFeature<Polygon>);
	});
	const features: Feature[] = [];
	for (const [g, polys] of [...byGroup.entries()].sort()) {
		const merged = polys.length === 1 ? polys[0] : union(featureCollection(polys));
		if (!merged) continue;
		const id = source.codes?.[g] ?? g;
		features.push({ type: 'Feature', properties: { id, name: g }, geometry: merged.geometry });
	}
	return { type: 'FeatureCollection', features };
}
