/**
 * The in-memory pipeline against the paths it replaced: road-length weights sampled into a CSV and read back (the old
 * round trip), Voronoi areas written as GeoJSON text and read back, and the files the Node wrapper wrote to data/build.
 * Runs on the real regions when the shared data is present (skipped with a notice otherwise), plus a synthetic region
 * built from memory files only (what the import worker does).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuiltRegion } from '../../engine/built-region';
import { serializeCells } from '../../engine/io/cells';
import { validateRegionManifest, type RegionManifest } from '../../engine/region';
import type { CsrGraph } from '../../engine/types';
import { areaSetFromGeoJson } from '../area-set';
import { loadAreas } from '../areas';
import { createResolvePath, defaultDataRoot, nodeFileSource, REPO_ROOT } from '../node/files';
import { buildPopulation } from '../population/build';
import { buildRegionInMemory, type RegionBuild } from './build-region';
import { cropCells } from './crop';
import { memoryFileSource } from './file-source';
import { roadLengthPoints } from './road-weights';
import { voronoiAreas } from './voronoi-areas';

const hasData = existsSync(defaultDataRoot());
if (!hasData) console.log(`notice: no shared data at ${defaultDataRoot()}: real-region pipeline checks skipped`);

function manifestOf(id: string): { manifest: RegionManifest; files: ReturnType<typeof nodeFileSource> } {
	const file = path.join(REPO_ROOT, 'data/regions', `${id}.json`);
	const manifest = validateRegionManifest(JSON.parse(readFileSync(file, 'utf8')), file);
	return { manifest, files: nodeFileSource(createResolvePath(manifest, path.dirname(file))) };
}

/** The CSV the pipeline used to write (scripts/build-region.ts before the move), rebuilt here independently. */
function oldRoadWeightsCsv(g: CsrGraph): string {
	const lines = ['lon,lat'];
	for (let u = 0; u < g.nodeCount; u++)
		for (let e = g.offsets[u]; e < g.offsets[u + 1]; e++) {
			const v = g.targets[e];
			if (g.symmetric && v < u) continue;
			const k = Math.max(1, Math.round(g.lengthM[e] / 50));
			for (let i = 0; i < k; i++) {
				const t = (i + 0.5) / k;
				lines.push(`${(g.lon[u] + t * (g.lon[v] - g.lon[u])).toFixed(6)},${(g.lat[u] + t * (g.lat[v] - g.lat[u])).toFixed(6)}`);
			}
		}
	return lines.join('\n');
}

/** Byte equality without vitest's element-wise diff (the files are megabytes). */
const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** The files in data/build/<id> (written by scripts/build-region.ts) equal the in-memory ones, when built. */
function expectSameAsBuild(id: string, built: RegionBuild): void {
	const dir = path.join(REPO_ROOT, 'data/build', id);
	if (!existsSync(path.join(dir, 'region.json'))) return console.log(`notice: ${dir} not built: compare skipped`);
	const written = JSON.parse(readFileSync(path.join(dir, 'region.json'), 'utf8')) as BuiltRegion;
	for (const [name, bytes] of Object.entries(built.files)) expect(sameBytes(readFileSync(path.join(dir, name)), bytes), name).toBe(true);
	const strip = ({ reports, inputHash, builtAt, ...rest }: BuiltRegion) => (void [inputHash, builtAt], { rest, reportKeys: Object.keys(reports) });
	expect(strip(JSON.parse(JSON.stringify(built.region)))).toEqual(strip(written));
}

describe.skipIf(!hasData)('pipeline in memory = the old disk round trips (real regions)', () => {
	it('lingqiu: road-length weights in memory give the same cells as the CSV written and read back', async () => {
		const { manifest, files } = manifestOf('lingqiu');
		const built = await buildRegionInMemory(manifest, files, { inputHash: 'test' });
		const g = built.graphs.walk!;
		const pop = manifest.population;
		if (pop.method !== 'census-weights') throw new Error('lingqiu is census-weights');
		const csvManifest = {
			...manifest,
			population: {
				...pop,
				weights: pop.weights.map((w) =>
					w.kind === 'network-length' ? { kind: 'points' as const, path: 'road.csv', format: 'csv' as const, crs: 'wgs84' as const, fields: { lon: 'lon', lat: 'lat' }, weight: w.weight, label: w.label } : w
				)
			}
		};
		const both = { text: (p: string, what?: string) => (p === 'road.csv' ? Promise.resolve(oldRoadWeightsCsv(g)) : files.text(p, what)), bytes: files.bytes, label: files.label };
		const old = await buildPopulation(csvManifest, both, built.areas);
		const oldCells = manifest.bbox ? cropCells(old.cells, manifest.bbox).cells : old.cells;
		expect(sameBytes(new Uint8Array(serializeCells(oldCells)), built.files['cells.bin'])).toBe(true);
		expect(old.report).toEqual(built.region.reports.population);
		expect(roadLengthPoints(g, 1, 'x').points.length).toBe(oldRoadWeightsCsv(g).split('\n').length - 1);
		expectSameAsBuild('lingqiu', built);
	});

	it('chengdu-central: Voronoi areas in memory equal the GeoJSON text written and read back', async () => {
		const { manifest, files } = manifestOf('chengdu-central');
		const { areaSet } = await loadAreas(manifest, files);
		const text = JSON.stringify(voronoiAreas(await files.text(manifest.areas.path), manifest.areas));
		const old = areaSetFromGeoJson(text, { crs: manifest.areas.crs, idField: 'id', nameField: 'name' }, 'derived-areas.geojson');
		expect(JSON.stringify(areaSet.features)).toBe(JSON.stringify(old.features));
		expect(areaSet.areas).toEqual(old.areas);
	});

	it('chengdu-central: the in-memory files equal the ones the Node wrapper wrote to data/build', async () => {
		const { manifest, files } = manifestOf('chengdu-central');
		const built = await buildRegionInMemory(manifest, files, { inputHash: 'test' });
		expectSameAsBuild('chengdu-central', built);
	});
});

describe('pipeline from memory files (what the import worker does)', () => {
	const square = (w: number, s: number, d: number) => [[[w, s], [w + d, s], [w + d, s + d], [w, s + d], [w, s]]];
	const areas = JSON.stringify({
		type: 'FeatureCollection',
		features: [
			{ type: 'Feature', properties: { code: 'A', label: '甲街道' }, geometry: { type: 'Polygon', coordinates: square(121.4, 31.2, 0.01) } },
			{ type: 'Feature', properties: { code: 'B', label: '乙街道' }, geometry: { type: 'Polygon', coordinates: square(121.41, 31.2, 0.01) } }
		]
	});
	const clinics = 'name,lon,lat\n甲社区卫生服务中心,121.405,31.205\n乙社区卫生服务站,121.415,31.205\n';
	const census = 'code,pop\nA,1000\nB,3000\n';
	const manifest = validateRegionManifest({
		id: 'memory-test',
		name: { zh: '内存', en: 'memory' },
		h3Resolution: 9,
		facilities: [{ id: 'mine', path: 'clinics.csv', format: 'csv', crs: 'wgs84', fields: { name: 'name', lon: 'lon', lat: 'lat' }, classify: 'amap-name-rules', role: 'facilities', label: { zh: '我的', en: 'mine' } }],
		areas: { path: 'areas.geojson', format: 'geojson', crs: 'wgs84', idField: 'code', nameField: 'label', level: { zh: '街道', en: 'street' } },
		population: { method: 'census-weights', census: { path: 'census.csv', codeField: 'code', populationField: 'pop', label: { zh: '普查', en: 'census' } }, weights: [], uniformShare: 1, label: { zh: '模型', en: 'modelled' } },
		policy: { mode: 'walk', maxMinutes: 15, targetShare: 0.9, levels: ['chc', 'chs'], source: { zh: '测试', en: 'test' } },
		attribution: []
	});

	it('builds a region without touching the disk, with the census totals in its cells', async () => {
		const stages: string[] = [];
		const built = await buildRegionInMemory(manifest, memoryFileSource({ 'areas.geojson': areas, 'clinics.csv': clinics, 'census.csv': census }), {
			inputHash: 'mem',
			beforeStage: (s) => void stages.push(s)
		});
		expect(stages).toEqual(['areas', 'roads', 'facilities', 'population']);
		expect(built.facilities.map((f) => [f.name, f.level, f.areaId])).toEqual([
			['甲社区卫生服务中心', 'chc', 'A'],
			['乙社区卫生服务站', 'chs', 'B']
		]);
		const sum = (k: number) => built.cells.population.reduce((s, v, i) => s + (built.cells.areaIndex[i] === k ? v : 0), 0);
		expect(sum(0)).toBeCloseTo(1000, 6);
		expect(sum(1)).toBeCloseTo(3000, 6);
		expect(built.region.bbox).toEqual([121.4, 31.2, 121.42, 31.21]);
		expect(built.region.bytes['cells.bin']).toBe(built.files['cells.bin'].byteLength);
		expect(built.region.hasNetwork).toBe(false);
	});

	it('names the missing file, and a cancel before a stage stops the build', async () => {
		await expect(buildRegionInMemory(manifest, memoryFileSource({ 'areas.geojson': areas }), { inputHash: 'x' })).rejects.toMatchObject({
			code: 'FILE_MISSING',
			detail: { file: 'clinics.csv' }
		});
		const cancel = new Error('cancelled');
		await expect(
			buildRegionInMemory(manifest, memoryFileSource({ 'areas.geojson': areas, 'clinics.csv': clinics, 'census.csv': census }), {
				inputHash: 'x',
				beforeStage: (s) => {
					if (s === 'population') throw cancel;
				}
			})
		).rejects.toBe(cancel);
	});
});
