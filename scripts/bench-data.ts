/**
 * Data-layer benchmark (printed, never asserted): Shanghai areas / facilities / population, Wuhan raster -> H3,
 * area-locator throughput. Median of 3 runs after one warm-up. Usage: tsx scripts/bench-data.ts
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createAreaLocator, loadAreas } from '../src/lib/data/areas';
import { buildFacilities } from '../src/lib/data/facilities/build';
import { createResolvePath, defaultDataRoot, nodeFileSource, readBinaryFile, REPO_ROOT } from '../src/lib/data/node/files';
import { buildPopulation } from '../src/lib/data/population/build';
import { rasterToCells } from '../src/lib/data/population/raster';
import { validateRegionManifest } from '../src/lib/engine/region';

async function time(label: string, fn: () => unknown | Promise<unknown>, runs = 3): Promise<void> {
	let sink: unknown = await fn(); // warm-up
	const ms: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t0 = performance.now();
		sink = await fn();
		ms.push(performance.now() - t0);
	}
	ms.sort((a, b) => a - b);
	console.log(`${label.padEnd(42)} median ${ms[runs >> 1].toFixed(0).padStart(6)} ms   (min ${ms[0].toFixed(0)}, max ${ms[runs - 1].toFixed(0)})${sink ? '' : ' !'}`);
}

const file = path.join(REPO_ROOT, 'data/regions/shanghai.json');
if (!existsSync(defaultDataRoot())) {
	console.log('no shared data: nothing to measure');
	process.exit(0);
}
const manifest = validateRegionManifest(JSON.parse(readFileSync(file, 'utf8')), file);
const files = nodeFileSource(createResolvePath(manifest, path.dirname(file)));
const { areaSet: areas } = await loadAreas(manifest, files);
await time('shanghai loadAreas (16 districts)', () => loadAreas(manifest, files));
await time('shanghai buildFacilities (7,513 POIs)', () => buildFacilities(manifest, files, areas));
await time('shanghai buildPopulation (res 9, ~98k cells)', () => buildPopulation(manifest, files, areas));
const tif = path.join(defaultDataRoot(), 'wuhan-worldpop-age20plus-age60plus-100m/wuhan_worldpop_age20plus_100m.tif');
const buf = readBinaryFile(tif);
await time('wuhan rasterToCells (2.8 M px, 0.5 M valid)', () => rasterToCells(buf, 9));
const locate = createAreaLocator(areas);
let seed = 1;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pts = Array.from({ length: 200_000 }, () => [120.85 + rnd() * 1.4, 30.67 + rnd() * 1.2]);
await time('area locator, 200k random points', () => {
	let s = 0;
	for (const [x, y] of pts) s += locate(x, y);
	return s || 1;
});
