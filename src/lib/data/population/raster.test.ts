import { writeArrayBuffer } from 'geotiff';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromArrayBuffer } from 'geotiff';
import { KejimapError } from '../../engine/errors';
import { lonLatToCell } from '../../engine/geo/h3';
import { defaultDataRoot, readBinaryFile } from '../node/files';
import { rasterToCells } from './raster';

/** A small Float32 GeoTIFF in EPSG:4326: `values` row-major, top-left corner at (west, north). */
function makeTiff(values: number[], width: number, height: number, west: number, north: number, px: number, nodata = -9999): ArrayBuffer {
	return writeArrayBuffer(Float32Array.from(values), {
		width,
		height,
		ModelPixelScale: [px, px, 0],
		ModelTiepoint: [0, 0, 0, west, north, 0],
		GeographicTypeGeoKey: 4326,
		GTModelTypeGeoKey: 2,
		GTRasterTypeGeoKey: 1,
		GDAL_NODATA: String(nodata)
	} as never);
}

describe('rasterToCells: synthetic GeoTIFF', () => {
	it('sums each valid pixel into the cell of its centre, skipping nodata and negatives', async () => {
		const w = 40;
		const h = 30;
		const px = 0.001; // ~100 m
		const values: number[] = [];
		for (let i = 0; i < w * h; i++) values.push(i % 7 === 0 ? -9999 : i % 11 === 0 ? -5 : (i % 13) + 0.5);
		const buf = makeTiff(values, w, h, 121.4, 31.25, px);
		const { cells, report } = await rasterToCells(buf, 9);
		// independent: the expected cell sums computed here from the same pixel centres
		const expected = new Map<string, number>();
		let sum = 0;
		for (let r = 0; r < h; r++)
			for (let c = 0; c < w; c++) {
				const v = values[r * w + c];
				if (v < 0) continue;
				sum += v;
				const cell = lonLatToCell(121.4 + (c + 0.5) * px, 31.25 - (r + 0.5) * px, 9);
				expected.set(cell, (expected.get(cell) ?? 0) + v);
			}
		expect(report.nodataPixels).toBe(values.filter((v) => v === -9999).length);
		expect(report.invalidPixels).toBe(values.filter((v) => v === -5).length);
		expect(report.rasterSum).toBeCloseTo(sum, 6);
		expect(report.cellSum).toBeCloseTo(sum, 6);
		expect(cells.h3.length).toBe(expected.size);
		cells.h3.forEach((c, i) => expect(cells.population[i]).toBeCloseTo(expected.get(c)!, 4));
		expect(report.raster.bbox.map((x) => +x.toFixed(6))).toEqual([121.4, 31.22, 121.44, 31.25]);
	});

	it('applies the scale and rejects files that are not GeoTIFFs', async () => {
		const buf = makeTiff([1, 2, 3, 4], 2, 2, 121.4, 31.25, 0.001);
		const { report } = await rasterToCells(buf, 9, { scale: 1.5 });
		expect(report.cellSum).toBeCloseTo(15, 9);
		await expect(rasterToCells(new TextEncoder().encode('not a tiff').buffer as ArrayBuffer, 9, { file: 'x.tif' })).rejects.toBeInstanceOf(KejimapError);
	});
});

const wuhan = path.join(defaultDataRoot(), 'wuhan-worldpop-age20plus-age60plus-100m/wuhan_worldpop_age20plus_100m.tif');
describe.skipIf(!existsSync(wuhan))('rasterToCells: real WorldPop Wuhan (age 20+)', () => {
	it('keeps the raster sum (9,491,334) in the cells', async () => {
		const buf = readBinaryFile(wuhan);
		const { cells, report } = await rasterToCells(buf, 9, { file: wuhan });
		// independent direct sum of the raster
		const img = await (await fromArrayBuffer(buf)).getImage();
		const band = (await img.readRasters({ samples: [0] }))[0] as Float32Array;
		const nodata = img.getGDALNoData();
		let direct = 0;
		for (const v of band) if (v !== nodata && v > 0) direct += v;
		let cellSum = 0;
		for (const v of cells.population) cellSum += v;
		console.log(`wuhan raster: direct sum ${direct.toFixed(0)}, cells ${cells.h3.length}, cell sum ${cellSum.toFixed(0)}, valid pixels ${report.validPixels}`);
		expect(Math.abs(direct - 9_491_334)).toBeLessThan(1);
		expect(Math.abs(cellSum - direct) / direct).toBeLessThan(0.001);
		expect(report.raster.epsg).toBe(4326);
		expect(report.validPixels).toBe(494_676);
		expect(cells.h3.length).toBeGreaterThan(40_000);
	});
});
