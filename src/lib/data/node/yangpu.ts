/**
 * Yangpu (杨浦区) street-level check of modelled Shanghai population (Node: reads the shared data).
 * Census: 7th census by 街道 (12 streets). Street centres: Amap-geocoded town points (adcode 2016, WGS84 columns).
 * 长海路街道 was created in 2018 from 五角场镇, so the 2016 point of 五角场镇 stands for it.
 */
import path from 'node:path';
import type { CellTable } from '../../engine/types';
import { areaSetFromGeoJson } from '../area-set';
import { parseCsv, readPointsCsv } from '../csv';
import { compareStreets, type StreetComparison } from '../population/streets';
import { readTextFile } from './files';

export const YANGPU_RENAMES: Record<string, string> = { 五角场镇: '长海路街道' };

export interface YangpuComparison extends StreetComparison {
	renames: Record<string, string>;
	sources: string[];
}

export function compareYangpu(cells: CellTable, dataRoot: string): YangpuComparison {
	const fences = 'shanghai-admin-boundaries/shanghai_district_fences_2016_wgs84.geojson';
	const units = 'shanghai-admin-boundaries/shanghai_admin_units_adcode2016.csv';
	const censusFile = 'shanghai-yangpu-subdistrict-census-chc/yangpu_subdistrict_resident_population_census2020.csv';
	const district = areaSetFromGeoJson(
		readTextFile(path.join(dataRoot, fences)),
		{ crs: 'wgs84', idField: 'adcode', nameField: 'name', include: ['310110'] },
		fences
	);
	const pts = readPointsCsv(readTextFile(path.join(dataRoot, units)), { lon: 'lon_wgs84', lat: 'lat_wgs84', name: 'name', level: 'level', adcode: 'adcode' }, units, {
		onInvalid: () => {} // committees without a point have empty coordinates; only the 12 Yangpu towns matter here
	})
		.filter((r) => r.values.level === 'town' && r.values.adcode === '310110')
		.map((r) => ({ name: YANGPU_RENAMES[r.values.name] ?? r.values.name, lon: r.lon, lat: r.lat }));
	const census = new Map(parseCsv(readTextFile(path.join(dataRoot, censusFile)), censusFile).rows.map((r) => [r.subdistrict_name, Number(r.population_total)] as const));
	const areaFile = 'shanghai-yangpu-subdistrict-census-chc/yangpu_subdistrict_area_reference.csv';
	const areaKm2 = new Map(parseCsv(readTextFile(path.join(dataRoot, areaFile)), areaFile).rows.map((r) => [r.subdistrict_name, Number(r.reference_area_km2)] as const));
	const cmp = compareStreets(cells, district, pts, census, areaKm2);
	return { ...cmp, renames: YANGPU_RENAMES, sources: [fences, units, censusFile, areaFile] };
}
