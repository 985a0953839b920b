/**
 * The data layer on the real source data: Shanghai areas / facilities / population, the Wuhan raster -> H3,
 * area-locator throughput. Median of 3 runs after one warm-up (slow stages).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createAreaLocator, loadAreas } from '../../src/lib/data/areas';
import { buildFacilities } from '../../src/lib/data/facilities/build';
import { createResolvePath, nodeFileSource, readBinaryFile } from '../../src/lib/data/node/files';
import { buildPopulation } from '../../src/lib/data/population/build';
import { rasterToCells } from '../../src/lib/data/population/raster';
import { validateRegionManifest } from '../../src/lib/engine/region';
import { createSeededRng } from '../../src/lib/engine/synthetic';
import { dataRoot, hasSourceData, regionsDir } from '../lib/paths';
import { benchAsync, log, type Stats, type Suite } from './harness';

async function run() {
	if (!hasSourceData()) {
		log('\n[data] skipped (no shared source data)');
		return { skipped: 'no shared source data' };
	}
	log('\n[data] data layer (real source data)');
	const figures: Record<string, Stats> = {};
	const measure = async (label: string, fn: () => Promise<unknown> | unknown) => {
		const s = await benchAsync(async () => ((await fn()) ? 1 : 0), 3);
		figures[label] = s;
		log(`  ${label.padEnd(46)} median ${s.p50.toFixed(0).padStart(6)} ms   (min ${s.min.toFixed(0)}, max ${s.max.toFixed(0)})`);
	};
	const file = path.join(regionsDir, 'shanghai.json');
	const manifest = validateRegionManifest(JSON.parse(readFileSync(file, 'utf8')), file);
	const files = nodeFileSource(createResolvePath(manifest, path.dirname(file)));
	const { areaSet: areas } = await loadAreas(manifest, files);
	await measure('shanghai loadAreas (16 districts)', () => loadAreas(manifest, files));
	await measure('shanghai buildFacilities (7,513 POIs)', () => buildFacilities(manifest, files, areas));
	await measure('shanghai buildPopulation (res 9, ~98k cells)', () => buildPopulation(manifest, files, areas));
	const tif = path.join(dataRoot, 'wuhan-worldpop-age20plus-age60plus-100m/wuhan_worldpop_age20plus_100m.tif');
	if (existsSync(tif)) {
		const buf = readBinaryFile(tif);
		await measure('wuhan rasterToCells (2.8 M px, 0.5 M valid)', () => rasterToCells(buf, 9));
	}
	const locate = createAreaLocator(areas);
	const rng = createSeededRng(1);
	const pts = Array.from({ length: 200_000 }, () => [120.85 + rng() * 1.4, 30.67 + rng() * 1.2]);
	await measure('area locator, 200k random points', () => {
		let s = 0;
		for (const [x, y] of pts) s += locate(x, y);
		return s || 1;
	});
	return figures;
}

export const data: Suite = { name: 'data', about: 'data layer: areas, facilities, population, raster, area locator', run };
