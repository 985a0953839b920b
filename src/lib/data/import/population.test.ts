/**
 * Population import: GeoTIFF windows against sums computed here from the pixels, a header claiming 10^9 pixels
 * refused before any pixel is read, truncated files, tables with points (with and without census control) and
 * area codes (the census controls where it exists), every rejected row by line.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { writeArrayBuffer } from 'geotiff';
import { describe, expect, it } from 'vitest';
import { lonLatToCell } from '../../engine/geo/h3';
import type { CellTable } from '../../engine/types';
import { areaSetFromGeoJson } from '../area-set';
import { defaultDataRoot, readBinaryFile } from '../node/files';
import { rasterToCells } from '../population/raster';
import { importPopulationRaster, importPopulationTable, isRasterFile } from './population';
import { claimTiffSize } from './testing';

function makeTiff(values: number[], width: number, height: number, west: number, north: number, px: number): ArrayBuffer {
	return writeArrayBuffer(Float32Array.from(values), {
		width,
		height,
		ModelPixelScale: [px, px, 0],
		ModelTiepoint: [0, 0, 0, west, north, 0],
		GeographicTypeGeoKey: 4326,
		GTModelTypeGeoKey: 2,
		GTRasterTypeGeoKey: 1,
		GDAL_NODATA: '-9999'
	} as never);
}

const square = (w: number, s: number, e: number, n: number) => [[[w, s], [e, s], [e, n], [w, n], [w, s]]];
const areas = areaSetFromGeoJson(
	{
		type: 'FeatureCollection',
		features: [
			{ type: 'Feature', properties: { id: '310101', name: '甲区' }, geometry: { type: 'Polygon', coordinates: square(121.4, 31.2, 121.42, 31.25) } },
			{ type: 'Feature', properties: { id: '310104', name: '乙区' }, geometry: { type: 'Polygon', coordinates: square(121.42, 31.2, 121.44, 31.25) } }
		]
	},
	{ crs: 'wgs84', idField: 'id', nameField: 'name' },
	'areas'
);
const bbox: [number, number, number, number] = [121.4, 31.2, 121.44, 31.25];
const emptyCells: CellTable = { resolution: 9, count: 0, h3: [], lon: new Float64Array(), lat: new Float64Array(), population: new Float64Array(), areaIndex: new Int32Array(), populationMethod: 'uniform' };
const base = { areas, bbox, resolution: 9, censusTotals: null, currentCells: emptyCells };
const sumArea = (c: CellTable, k: number) => c.population.reduce((s, v, i) => s + (c.areaIndex[i] === k ? v : 0), 0);

describe('GeoTIFF by windows', () => {
	const w = 80;
	const h = 60;
	const px = 0.001;
	const values = Array.from({ length: w * h }, (_, i) => (i % 9 === 0 ? -9999 : (i % 17) + 0.25));
	const tif = makeTiff(values, w, h, 121.38, 31.26, px);

	it('reads only the window over the bbox, in strips, and sums exactly the pixels in it', async () => {
		const box: [number, number, number, number] = [121.405, 31.215, 121.425, 31.235];
		const { report, cells } = await rasterToCells(tif, 9, { bbox: box });
		const [c0, r0, c1, r1] = report.window;
		// independent: the window from the geometry (one pixel of margin), and its sum
		expect([c0, r0, c1, r1]).toEqual([Math.floor((box[0] - 121.38) / px) - 1, Math.floor((31.26 - box[3]) / px) - 1, Math.ceil((box[2] - 121.38) / px) + 1, Math.ceil((31.26 - box[1]) / px) + 1]);
		let sum = 0;
		for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) if (values[r * w + c] >= 0) sum += values[r * w + c];
		expect(report.rasterSum).toBeCloseTo(sum, 6);
		expect(cells.population.reduce((s, v) => s + v, 0)).toBeCloseTo(sum, 6);
		expect(report.pixels).toBe((c1 - c0) * (r1 - r0));
		expect(report.pixels).toBeLessThan(w * h / 4);
	});

	// geotiff.js reads a Blob with FileReader: browsers and workers have it, Node does not (the e2e covers it)
	it.skipIf(typeof FileReader === 'undefined')('a Blob (the user\'s File) gives the same cells as its bytes', async () => {
		const box: [number, number, number, number] = [121.405, 31.215, 121.425, 31.235];
		expect((await rasterToCells(new Blob([tif]), 9, { bbox: box })).cells).toEqual((await rasterToCells(tif, 9, { bbox: box })).cells);
	});

	it('a header claiming 10^9 pixels is refused with a message, before reading; a window of it is not', async () => {
		const huge = claimTiffSize(tif, 40_000, 25_000);
		await expect(rasterToCells(huge, 9, { file: 'huge.tif' })).rejects.toMatchObject({ code: 'FILE_TOO_LARGE', message: expect.stringMatching(/huge\.tif: 40000 x 25000 = 1\.0e\+9 pixels/) });
		// the region's window of the same header is small: it is read (the few real pixels are there, the rest fails as truncated)
		await expect(importPopulationRaster(huge, { ...base, file: 'huge.tif' })).rejects.toMatchObject({ name: 'KejimapError' });
	});

	it('a truncated file gives a clear error, not a crash', async () => {
		await expect(rasterToCells(tif.slice(0, 200), 9, { file: 'cut.tif' })).rejects.toMatchObject({ name: 'KejimapError', message: expect.stringMatching(/^cut\.tif: /) });
		expect(isRasterFile('x.bin', new Uint8Array(tif.slice(0, 4)))).toBe(true);
	});

	it('census totals stay in control: the raster only spreads each area total', async () => {
		const r = await importPopulationRaster(tif, { ...base, file: 'p.tif', censusTotals: [1000, 2500] });
		expect(r.method).toBe('raster-weights-census');
		expect(sumArea(r.cells, 0)).toBeCloseTo(1000, 6);
		expect(sumArea(r.cells, 1)).toBeCloseTo(2500, 6);
		const raw = await importPopulationRaster(tif, { ...base, file: 'p.tif' });
		expect(raw.method).toBe('raster');
		expect(raw.cells.populationMethod).toBe('raster');
	});

	const wuhan = path.join(defaultDataRoot(), 'wuhan-worldpop-age20plus-age60plus-100m/wuhan_worldpop_age20plus_100m.tif');
	it.skipIf(!existsSync(wuhan))('real WorldPop Wuhan: a window equals the whole-file read restricted to the window', async () => {
		const buf = readBinaryFile(wuhan);
		const box: [number, number, number, number] = [114.25, 30.55, 114.35, 30.65];
		const win = await rasterToCells(buf, 9, { bbox: box });
		const all = await rasterToCells(buf, 9);
		expect(win.report.pixels).toBeLessThan(all.report.pixels / 10);
		// cells well inside the box hold the same population either way
		const inner = (lon: number, lat: number) => lon > 114.26 && lon < 114.34 && lat > 30.56 && lat < 30.64;
		const pick = (c: typeof all.cells) => new Map(c.h3.map((h, i) => [h, c.population[i]] as const).filter(([, ], i) => inner(c.lon[i], c.lat[i])));
		const a = pick(all.cells);
		const b = pick(win.cells);
		expect(b.size).toBe(a.size);
		for (const [k, v] of a) expect(b.get(k)).toBeCloseTo(v, 6);
		console.log(`wuhan window: ${win.report.pixels} of ${all.report.pixels} pixels read, ${b.size} inner cells identical`);
	});
});

describe('population tables', () => {
	const csv = ['名称,经度,纬度,人口', '甲村,121.405,31.21,1200', '乙村,121.41,31.22,800', '丙村,121.43,31.23,"3,000"', '丁村,121.43,31.24,-5', '戊村,121.6,31.24,100', '己村,abc,31.2,100'].join('\n');

	it('points without census: each figure goes to its cell; bad rows are listed by line', () => {
		const r = importPopulationTable(csv, { ...base, file: 'v.csv' });
		expect(r.kind).toBe('points');
		expect(r.rejected.map((x) => [x.line, x.code])).toEqual([
			[5, 'value-not-number'],
			[6, 'outside-region'],
			[7, 'coord-not-number']
		]);
		expect(sumArea(r.cells, 0)).toBeCloseTo(2000, 9);
		expect(sumArea(r.cells, 1)).toBeCloseTo(3000, 9);
		const c = r.cells.h3.indexOf(lonLatToCell(121.405, 31.21, 9));
		expect(r.cells.population[c]).toBe(1200);
	});

	it('points with census: the census total of each area is kept, spread by the points', () => {
		const r = importPopulationTable(csv, { ...base, file: 'v.csv', censusTotals: [10_000, 20_000] });
		expect(r.method).toBe('points-weights-census');
		expect(sumArea(r.cells, 0)).toBeCloseTo(10_000, 6);
		expect(sumArea(r.cells, 1)).toBeCloseTo(20_000, 6);
		const a = r.cells.population[r.cells.h3.indexOf(lonLatToCell(121.405, 31.21, 9))];
		const b = r.cells.population[r.cells.h3.indexOf(lonLatToCell(121.41, 31.22, 9))];
		expect(a / b).toBeCloseTo(1200 / 800, 9);
	});

	it('area codes: village codes add up to their district; the census controls where it exists', () => {
		const cur = importPopulationTable(csv, { ...base, file: 'v.csv' }).cells;
		const t = ['区划代码,人口', '310101001001,400', '310101001002,600', '310104002001,9000', '999999,5'].join('\n');
		const r = importPopulationTable(t, { ...base, file: 'codes.csv', currentCells: cur, censusTotals: [null, 3000] });
		expect(r.rejected.map((x) => [x.line, x.code])).toEqual([[5, 'area-unknown']]);
		expect(r.comparison).toEqual([
			{ areaId: '310101', name: '甲区', table: 1000, census: null, used: 1000 },
			{ areaId: '310104', name: '乙区', table: 9000, census: 3000, used: 3000 }
		]);
		expect(sumArea(r.cells, 0)).toBeCloseTo(1000, 9);
		expect(sumArea(r.cells, 1)).toBeCloseTo(3000, 9); // unchanged: the census's
	});

	it('a table without a population column, or without coordinates and codes, fails whole with the columns listed', () => {
		expect(() => importPopulationTable('名称,经度,纬度\n甲,121.4,31.2\n', { ...base, file: 'x.csv' })).toThrow(/x\.csv: no population column.*columns found: 名称, 经度, 纬度/);
		expect(() => importPopulationTable('名称,人口\n甲,5\n', { ...base, file: 'y.csv' })).toThrow(/y\.csv: needs coordinates/);
	});
});
