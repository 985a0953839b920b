import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateRegionManifest, type RegionManifest } from '../../engine/region';
import { areaSetFromGeoJson } from '../area-set';
import { loadAreas } from '../areas';
import { createResolvePath, defaultDataRoot, nodeFileSource, REPO_ROOT } from '../node/files';
import { memoryFileSource } from '../pipeline/file-source';
import { compareYangpu } from '../node/yangpu';
import { buildPopulation } from './build';

const sq = (w: number, s: number, e: number, n: number) => [[[w, s], [e, s], [e, n], [w, n], [w, s]]];
const box = (w: number, s: number, e: number, n: number) =>
	areaSetFromGeoJson(
		{ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'X', name: 'X' }, geometry: { type: 'Polygon', coordinates: sq(w, s, e, n) } }] },
		{ crs: 'wgs84', idField: 'id', nameField: 'name' },
		'box'
	);
const base = { h3Resolution: 9 } as RegionManifest;

describe('buildPopulation', () => {
	it('uniform: the total spread evenly over the area cells', async () => {
		const m = { ...base, population: { method: 'uniform', total: 1000, label: { zh: '均匀', en: 'Uniform' }, source: 'test' } } as RegionManifest;
		const { cells, report } = await buildPopulation(m, memoryFileSource({}), box(121.4, 31.2, 121.43, 31.23));
		expect(cells.populationMethod).toBe('uniform');
		expect(report.total).toBeCloseTo(1000, 6);
		expect(Math.max(...cells.population) - Math.min(...cells.population)).toBeLessThan(1e-9);
	});

	const wuhan = 'wuhan-worldpop-age20plus-age60plus-100m/wuhan_worldpop_age20plus_100m.tif';
	it.skipIf(!existsSync(path.join(defaultDataRoot(), wuhan)))('raster: cells outside the areas are dropped and counted, nothing lost', async () => {
		const m = { ...base, population: { method: 'raster', path: wuhan, crs: 'wgs84', label: { zh: '栅格', en: 'Raster' } } } as RegionManifest;
		const { cells, report } = await buildPopulation(m, nodeFileSource((p) => path.join(defaultDataRoot(), p)), box(114.2, 30.5, 114.4, 30.7));
		expect(cells.populationMethod).toBe('raster');
		expect(cells.count).toBeGreaterThan(1000);
		expect(report.dropped.cellsOutsideAreas).toBeGreaterThan(0);
		expect(report.total + report.dropped.populationOutsideAreas).toBeCloseTo(report.inputTotal, 0);
		expect(report.inputTotal).toBeCloseTo(9_491_334, -1);
	});
});

const manifestFile = path.join(REPO_ROOT, 'data/regions/shanghai.json');
describe.skipIf(!existsSync(defaultDataRoot()) || !existsSync(manifestFile))('Yangpu street check', () => {
	it('compares modelled street totals with the 2020 street census', async () => {
		const manifest = validateRegionManifest(JSON.parse(readFileSync(manifestFile, 'utf8')), manifestFile);
		const resolve = createResolvePath(manifest, path.dirname(manifestFile));
		const files = nodeFileSource(resolve);
		const { cells } = await buildPopulation(manifest, files, (await loadAreas(manifest, files)).areaSet);
		const cmp = compareYangpu(cells, defaultDataRoot());
		console.log(
			`yangpu: MAPE ${cmp.mapePct.toFixed(1)}% (uniform baseline ${cmp.mapeUniformPct.toFixed(1)}%, area-adjusted ${cmp.mapeAreaAdjustedPct?.toFixed(1)}%); ` +
				cmp.rows.map((r) => `${r.name} ${Math.round(r.modelled)}/${r.census} (${r.errorPct.toFixed(0)}%)`).join(', ')
		);
		expect(cmp.rows.length).toBe(12);
		expect(cmp.censusTotal).toBe(1_242_600);
		// the district total is the county census (1,242,548): the street sum must match it
		expect(Math.abs(cmp.modelledTotal - 1_242_548)).toBeLessThan(10);
		// the weights must beat spreading the district evenly over the same partition
		expect(cmp.mapePct).toBeLessThan(cmp.mapeUniformPct);
		expect(cmp.rows.find((r) => r.name === '长海路街道')!.cells).toBeGreaterThan(0);
	});
});
