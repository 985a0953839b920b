import { booleanPointInPolygon } from '@turf/turf';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KejimapError } from '../../engine/errors';
import { lonLatToCell } from '../../engine/geo/h3';
import { validateRegionManifest } from '../../engine/region';
import { areaSetFromGeoJson } from '../area-set';
import { loadAreas } from '../areas';
import { createResolvePath, defaultDataRoot, nodeFileSource, REPO_ROOT } from '../node/files';
import { buildPopulation } from './build';
import { readCensusTotals, readWeightPoints, spreadTotals } from './census';

const sq = (w: number, s: number, e: number, n: number) => [[[w, s], [e, s], [e, n], [w, n], [w, s]]];
const areas = areaSetFromGeoJson(
	{
		type: 'FeatureCollection',
		features: [
			{ type: 'Feature', properties: { id: 'A', name: '甲' }, geometry: { type: 'Polygon', coordinates: sq(121.40, 31.20, 121.42, 31.22) } },
			{ type: 'Feature', properties: { id: 'B', name: '乙' }, geometry: { type: 'Polygon', coordinates: sq(121.42, 31.20, 121.44, 31.22) } }
		]
	},
	{ crs: 'wgs84', idField: 'id', nameField: 'name' },
	'a.geojson'
);

const sumBy = (cells: { count: number; areaIndex: Int32Array; population: Float64Array }, k: number) => {
	let s = 0;
	for (let i = 0; i < cells.count; i++) if (cells.areaIndex[i] === k) s += cells.population[i];
	return s;
};

describe('spreadTotals', () => {
	it('gives each area its total: uniformShare evenly, the rest by weight (hand computed)', () => {
		const pts = [
			{ lon: 121.405, lat: 31.205, weight: 1 },
			{ lon: 121.405, lat: 31.205, weight: 3 }, // same cell as the first
			{ lon: 121.415, lat: 31.215, weight: 4 }
		];
		const { cells, report } = spreadTotals(areas, [1000, 500], pts, 9, 0.2);
		const nA = report.perArea[0].cells;
		const c1 = cells.h3.indexOf(lonLatToCell(121.405, 31.205, 9));
		const c2 = cells.h3.indexOf(lonLatToCell(121.415, 31.215, 9));
		// A: 200 spread over nA cells, 800 by weight 4:4
		expect(cells.population[c1]).toBeCloseTo(200 / nA + 400, 9);
		expect(cells.population[c2]).toBeCloseTo(200 / nA + 400, 9);
		// B has no weight points: all uniform
		const inB = [...cells.areaIndex].map((k, i) => (k === 1 ? cells.population[i] : null)).filter((v) => v !== null);
		expect(new Set(inB.map((v) => v!.toFixed(9))).size).toBe(1);
		expect(sumBy(cells, 0)).toBeCloseTo(1000, 6);
		expect(sumBy(cells, 1)).toBeCloseTo(500, 6);
		expect(report.areasWithoutWeights).toEqual(['B']);
		expect(new Set(cells.h3).size).toBe(cells.count); // one row per cell
	});

	it("gives an area its cells by centre (checked with turf), plus cells touched by its points", () => {
		const { cells, report } = spreadTotals(areas, [1, 1], [{ lon: 121.4001, lat: 31.2001, weight: 1 }], 9, 0.5);
		let touched = 0;
		for (let i = 0; i < cells.count; i++) {
			const inside = booleanPointInPolygon([cells.lon[i], cells.lat[i]], areas.features.features[cells.areaIndex[i]].geometry as never);
			if (!inside) touched++;
		}
		expect(touched).toBe(report.perArea[0].touchedCells + report.perArea[1].touchedCells);
		expect(sumBy(cells, 0)).toBeCloseTo(1, 9);
	});

	it('moves a point whose cell belongs to the neighbour area into a cell of its own area', () => {
		// a point just inside B, in a cell whose centre lies in A (search a little west of the border)
		let p: { lon: number; lat: number } | null = null;
		for (let x = 121.4201; x < 121.4215 && !p; x += 0.00005) {
			const c = lonLatToCell(x, 31.21, 9);
			const { cells } = spreadTotals(areas, [1, 1], [], 9, 1);
			const i = cells.h3.indexOf(c);
			if (i >= 0 && cells.areaIndex[i] === 0) p = { lon: x, lat: 31.21 };
		}
		expect(p).not.toBeNull();
		const { cells, report } = spreadTotals(areas, [100, 100], [{ ...p!, weight: 1 }], 9, 0);
		expect(report.weightPointsMovedToOwnCell).toBe(1);
		expect(sumBy(cells, 1)).toBeCloseTo(100, 9);
		expect(sumBy(cells, 0)).toBeCloseTo(100, 9);
	});

	it('keeps the uniform share near weights when asked (no people on empty sea)', () => {
		const { cells, report } = spreadTotals(areas, [1000, 500], [{ lon: 121.401, lat: 31.201, weight: 1 }], 9, 0.5, 'modelled-census', 300);
		expect(report.cellsWithUniformShare).toBeLessThan(report.perArea[0].cells + report.perArea[1].cells);
		const empty = [...cells.population].filter((v, i) => v === 0 && cells.areaIndex[i] === 0).length;
		expect(empty).toBeGreaterThan(0);
		expect(sumBy(cells, 0)).toBeCloseTo(1000, 6);
		expect(sumBy(cells, 1)).toBeCloseTo(500, 6); // B has no weights: uniform everywhere
	});
});

describe('census and weight readers', () => {
	it('reads totals by code (BOM, codeOf) and names a missing code', () => {
		const csv = '\ufeffCODE,NAME,POPU\nA1,甲,1000\nB,乙,500\n';
		expect(readCensusTotals(csv, { codeField: 'CODE', populationField: 'POPU', codeOf: { A: 'A1' } }, areas, 'c.csv')).toEqual([1000, 500]);
		try {
			readCensusTotals(csv, { codeField: 'CODE', populationField: 'POPU' }, areas, 'c.csv');
			throw new Error('no error');
		} catch (e) {
			expect(e).toBeInstanceOf(KejimapError);
			expect((e as Error).message).toBe('c.csv: no row with CODE = "A" (area A 甲); map it with census.codeOf');
		}
	});

	it('filters weight points by type', () => {
		const csv = 'name,type,lon,lat\n甲小学,科教文化服务;学校;小学,121.41,31.21\n乙大学,科教文化服务;学校;高等院校,121.41,31.21\n丙培训,科教文化服务;培训机构,121.41,31.21\n';
		const ws = { format: 'csv' as const, crs: 'wgs84' as const, fields: { lon: 'lon', lat: 'lat', type: 'type' }, weight: 2, label: { zh: '学校', en: 'Schools' } };
		const { points, report } = readWeightPoints(csv, { ...ws, typeIncludes: ['学校'], typeExcludes: ['高等院校', '大学'] }, 's.csv');
		expect(points).toEqual([{ lon: 121.41, lat: 31.21, weight: 2 }]);
		expect(report).toMatchObject({ rows: 3, filteredOut: 2, kept: 1 });
	});
});

const manifestFile = path.join(REPO_ROOT, 'data/regions/shanghai.json');
describe.skipIf(!existsSync(defaultDataRoot()) || !existsSync(manifestFile))('population: real Shanghai census-weights', () => {
	it('puts each district census total (16 districts, 2020) into its cells', async () => {
		const manifest = validateRegionManifest(JSON.parse(readFileSync(manifestFile, 'utf8')), manifestFile);
		const resolve = createResolvePath(manifest, path.dirname(manifestFile));
		const files = nodeFileSource(resolve);
		const { areaSet: areas } = await loadAreas(manifest, files);
		expect(areas.areas.length).toBe(16);
		const { cells, report } = await buildPopulation(manifest, files, areas);
		// independent totals: read the census CSV here
		const lines = readFileSync(resolve(manifest.population.method === 'census-weights' ? manifest.population.census.path : ''), 'utf8').split('\n');
		const census = new Map(lines.map((l) => l.replace('\ufeff', '').split(',')).map((c) => [c[0], Number(c[2])] as const));
		let all = 0;
		areas.areas.forEach((a, k) => {
			const s = sumBy(cells, k);
			all += s;
			expect(Math.abs(s - census.get(a.id)!) / census.get(a.id)!).toBeLessThan(0.001);
		});
		console.log(`shanghai population: ${cells.count} cells, total ${Math.round(all)} (census ${report.inputTotal}); weights ${JSON.stringify(report.weights?.map((w) => [w.label, w.kept]))}`);
		expect(Math.round(all)).toBe(24_870_895);
		expect(cells.populationMethod).toBe('modelled-census');
		expect(new Set(cells.h3).size).toBe(cells.count);
		expect([...cells.areaIndex].every((k) => k >= 0)).toBe(true);
	});
});
