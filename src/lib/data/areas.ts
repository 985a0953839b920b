/**
 * Areas stage: read the manifest's area file through a FileSource and build the AreaSet (WGS84, `include` applied).
 * Areas given as points (format voronoi-points) become Voronoi polygons first (pipeline/voronoi-areas.ts).
 */
import type { RegionManifest } from '../engine/region';
import { areaSetFromGeoJson, type AreaSet } from './area-set';
import type { FileSource } from './pipeline/file-source';
import { voronoiAreas } from './pipeline/voronoi-areas';

export { areaSetFromGeoJson, createAreaLocator, locateAll, type AreaInfo, type AreaLocator, type AreaSet } from './area-set';

export interface AreasDerivedReport {
	method: 'voronoi-points';
	areas: number;
	note: string;
}

export async function loadAreas(manifest: Pick<RegionManifest, 'areas'>, files: FileSource): Promise<{ areaSet: AreaSet; derived?: AreasDerivedReport }> {
	const src = manifest.areas;
	const text = await files.text(src.path, 'areas');
	let areaSet: AreaSet;
	let derived: AreasDerivedReport | undefined;
	if (src.format === 'voronoi-points') {
		const fc = voronoiAreas(text, src);
		areaSet = areaSetFromGeoJson(fc, { crs: src.crs, idField: 'id', nameField: 'name' }, files.label(src.path));
		derived = { method: 'voronoi-points', areas: fc.features.length, note: 'approximate areas: Voronoi cells of the admin points, dissolved by area' };
	} else areaSet = areaSetFromGeoJson(text, src, src.path);
	if (src.names) {
		for (const a of areaSet.areas) a.name = src.names[a.id] ?? a.name;
		for (const f of areaSet.features.features) f.properties.name = src.names[f.properties.id] ?? f.properties.name;
	}
	return { areaSet, derived };
}
