/**
 * Areas stage (Node): read the manifest's area file and build the AreaSet (WGS84, `include` applied).
 * The pure parts (areaSetFromGeoJson, createAreaLocator) live in area-set.ts so the browser can use them.
 */
import type { RegionManifest } from '../engine/region';
import { areaSetFromGeoJson, type AreaSet } from './area-set';
import { readTextFile } from './node/files';
import type { ResolvePath } from './source';

export { areaSetFromGeoJson, createAreaLocator, locateAll, type AreaInfo, type AreaLocator, type AreaSet } from './area-set';

export function loadAreas(manifest: RegionManifest, resolvePath: ResolvePath): AreaSet {
	const src = manifest.areas;
	const abs = resolvePath(src.path);
	return areaSetFromGeoJson(readTextFile(abs, 'areas'), src, src.path);
}
