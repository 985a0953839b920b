import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { haversineM } from '../../engine/geo/measure';
import { validateRegionManifest } from '../../engine/region';
import { loadAreas } from '../areas';
import { createResolvePath, defaultDataRoot, nodeFileSource, REPO_ROOT } from '../node/files';
import { buildFacilities } from './build';

const manifestFile = path.join(REPO_ROOT, 'data/regions/shanghai.json');
const ready = existsSync(defaultDataRoot()) && existsSync(manifestFile);

describe.skipIf(!ready)('facilities: real Shanghai build', () => {
	it('classifies, merges and matches the official list of 246 centres', async () => {
		const manifest = validateRegionManifest(JSON.parse(readFileSync(manifestFile, 'utf8')), manifestFile);
		const resolve = createResolvePath(manifest, path.dirname(manifestFile));
		const files = nodeFileSource(resolve);
		const { areaSet: areas } = await loadAreas(manifest, files);
		const { facilities, report } = await buildFacilities(manifest, files, areas);
		const o = report.official[0];
		console.log(
			`shanghai facilities: ${report.pois} POIs -> ${report.facilities} facilities; by level ${JSON.stringify(report.byLevel)}; ` +
				`excluded ${JSON.stringify(report.excludedByReason)}; ${report.merges.length} merges folding ${report.mergedPois} POIs; ` +
				`official ${o.matched}/${o.distinct} (${(o.matchRate * 100).toFixed(1)}%) by ${JSON.stringify(o.byMethod)}, median ${o.medianMatchDistanceM} m; ` +
				`Amap chc matched ${o.referenceLevelMatched}/${o.referenceLevelFacilities}; added ${o.added}; dropped ${JSON.stringify(report.dropped.outsideAreas)}`
		);
		expect(report.sources[0].rows).toBe(7513);
		expect(o.distinct).toBe(246);
		expect(o.rows).toBe(249);
		expect(o.matchRate).toBeGreaterThan(0.9);
		// a wrong CRS on either side would put matches ~500 m apart
		expect(o.medianMatchDistanceM).toBeLessThan(60);
		expect(report.byLevel.chc).toBeGreaterThanOrEqual(246);
		// every facility lies in an area, ids are unique and sequential
		expect(facilities.every((f) => f.areaId !== null)).toBe(true);
		expect(facilities.map((f) => f.id)).toEqual(facilities.map((_, i) => `f${String(i + 1).padStart(5, '0')}`));
		// an independent spot check: Yangpu's 12 official centres are all in the set
		const yangpu = facilities.filter((f) => f.areaId === '310110' && f.officialMatch);
		expect(yangpu.length).toBe(12);
		// every merge joined POIs within the radius of the kept one or chained through neighbours
		for (const m of report.merges) for (const x of m.merged) expect(x.distanceM).toBeLessThan(150 * 6);
		// veterinary and dental POIs never reach the facility set
		expect(facilities.filter((f) => /宠物|口腔|齿科/.test(f.name)).every((f) => /口腔科$/.test(f.name))).toBe(true);
		// the added centres sit at their converted official positions, ~500 m from the raw GCJ-02 ones
		const added = facilities.filter((f) => f.source === 'official-2025');
		expect(added.length).toBe(o.added);
		const raw = new Map(
			readFileSync(resolve(manifest.facilities[1].path), 'utf8')
				.split('\n')
				.slice(1)
				.map((l) => l.split(','))
				.map((c) => [c[2], [Number(c[4]), Number(c[5])]] as const)
		);
		for (const f of added) {
			const [lon, lat] = raw.get(f.name)!;
			const d = haversineM(f.lon, f.lat, lon, lat);
			expect(d).toBeGreaterThan(300);
			expect(d).toBeLessThan(700);
		}
	});
});
