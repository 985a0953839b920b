/**
 * Compare modelled Shanghai population with Yangpu's street-level census (7th census, 12 街道).
 * Usage: tsx scripts/report-yangpu.ts [manifest.json]   (default data/regions/shanghai.json)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadAreas } from '../src/lib/data/areas';
import { createResolvePath, dataRootOf, nodeFileSource, REPO_ROOT } from '../src/lib/data/node/files';
import { loadAlternativeModels } from '../src/lib/data/node/population-models';
import { compareYangpu } from '../src/lib/data/node/yangpu';
import { buildPopulation } from '../src/lib/data/population/build';
import { validateRegionManifest } from '../src/lib/engine/region';

const file = path.resolve(process.argv[2] ?? path.join(REPO_ROOT, 'data/regions/shanghai.json'));
const manifest = validateRegionManifest(JSON.parse(readFileSync(file, 'utf8')), file);
const files = nodeFileSource(createResolvePath(manifest, path.dirname(file)));
const { areaSet: areas } = await loadAreas(manifest, files);
const { cells, report } = await buildPopulation(manifest, files, areas);
const cmp = compareYangpu(cells, dataRootOf(manifest, path.dirname(file)));

console.log(`杨浦区街道人口：模型 vs 第七次人口普查 / Yangpu streets: modelled vs 2020 census`);
console.log(`模型 / model: ${report.label.zh} / ${report.label.en} (H3 res ${report.resolution}, ${report.cells} cells)`);
console.log(`方法 / method: ${cmp.method}`);
console.log(`改名 / renamed: ${Object.entries(cmp.renames).map(([a, b]) => `${a} (2016) -> ${b}`).join('; ')}`);
console.log('');
const f1 = (x: number | null) => (x === null ? '-' : x.toFixed(1));
console.log(['street', 'census', 'modelled', 'error %', 'uniform err %', 'cells', 'cell share %', 'area share %', 'area-adj err %'].join('\t'));
for (const r of cmp.rows)
	console.log([r.name, r.census, Math.round(r.modelled), f1(r.errorPct), f1(r.uniformErrorPct), r.cells, f1(r.cellSharePct), f1(r.officialAreaSharePct), f1(r.areaAdjustedErrorPct)].join('\t'));
console.log(['total', cmp.censusTotal, Math.round(cmp.modelledTotal), (((cmp.modelledTotal - cmp.censusTotal) / cmp.censusTotal) * 100).toFixed(1), cmp.cellsInDistrict].join('\t'));
console.log(`\n平均绝对百分比误差 / MAPE: ${cmp.mapePct.toFixed(1)}% (uniform baseline ${cmp.mapeUniformPct.toFixed(1)}%; area-adjusted ${f1(cmp.mapeAreaAdjustedPct)}%)`);
console.log('Voronoi 分区与街道实际面积相差较大 / the Voronoi partition is far from the real street areas (cell share vs area share): part of the error is the partition, not the model.');

// the same check for the region's alternative population models (population/models.ts)
for (const { model, grid } of loadAlternativeModels(manifest.id, cells, areas.areas.length, dataRootOf(manifest, path.dirname(file)))) {
	const alt = compareYangpu({ ...cells, population: grid.population }, dataRootOf(manifest, path.dirname(file)));
	console.log(`\n${model.id}: ${model.label.zh} / ${model.label.en}`);
	console.log(['street', 'census', 'modelled', 'error %', 'area-adj err %'].join('\t'));
	for (const r of alt.rows) console.log([r.name, r.census, Math.round(r.modelled), f1(r.errorPct), f1(r.areaAdjustedErrorPct)].join('\t'));
	console.log(`MAPE ${model.id}: ${alt.mapePct.toFixed(1)}% (area-adjusted ${f1(alt.mapeAreaAdjustedPct)}%) against ${cmp.mapePct.toFixed(1)}% (${f1(cmp.mapeAreaAdjustedPct)}%) for the region's own model`);
}
