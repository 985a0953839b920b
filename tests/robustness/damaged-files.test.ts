/**
 * Robustness suite, damaged files (issue 9 class 8): real PBF / GeoTIFF / GeoJSON / CSV / OSM XML from
 * ../shared/data with bytes truncated, flipped, zeroed, inserted, deleted or swapped, plus synthetic files that
 * always run. Every reader must give a result or a KejimapError naming the file (and the byte or row when known),
 * never a raw zlib / pbf / geotiff / JSON exception, and within bounded time.
 */
import { readFileSync } from 'node:fs';
import { writeArrayBuffer } from 'geotiff';
import { afterAll, describe, expect, it } from 'vitest';
import { areaSetFromGeoJson } from '../../src/lib/data/area-set';
import { readFacilitySource } from '../../src/lib/data/facilities/sources';
import { decodeText } from '../../src/lib/data/import/text';
import { rasterToCells } from '../../src/lib/data/population/raster';
import { parseGeojsonGraph } from '../../src/lib/data/roads/geojson-graph';
import { inflateZlib } from '../../src/lib/data/roads/inflate';
import { parseOsmPbf } from '../../src/lib/data/roads/osm-pbf';
import { parseOsmXml } from '../../src/lib/data/roads/osm-xml';
import { encodeOsmPbf } from '../../src/lib/data/roads/testing/osm-pbf-encoder';
import type { OsmData } from '../../src/lib/data/roads/types';
import type { FacilitySource } from '../../src/lib/engine/region';
import { damagedVariants, expectKejimapErrorAsync, realFile, resultOrKejimapError, syntheticRegionFiles, tally } from './helpers';

const count = tally();
afterAll(() => count.print('damaged-files'));
/** a hang guard, not a timing test: each damaged file is read well within this */
const PER_FILE_MS = 10_000;

async function sweep<T>(cls: string, variants: { label: string; bytes: Uint8Array }[], read: (b: Uint8Array) => T | Promise<T>, check?: (v: T) => void) {
	let errors = 0;
	for (const v of variants) {
		count.add(cls);
		const t = performance.now();
		const r = await resultOrKejimapError(() => read(v.bytes), { file: true }, `${cls} ${v.label}`);
		expect(performance.now() - t, `${v.label}: bounded time`).toBeLessThan(PER_FILE_MS);
		if (r.ok) check?.(r.value);
		else errors++;
	}
	return errors;
}

const enc = new TextEncoder();

/** A baseline 2 x 2 8-bit TIFF with no GeoTIFF tags (what an image editor saves). */
function plainTiff(): ArrayBuffer {
	const tags: [number, number, number][] = [
		[256, 3, 2], // ImageWidth
		[257, 3, 2], // ImageLength
		[258, 3, 8], // BitsPerSample
		[259, 3, 1], // Compression: none
		[262, 3, 1], // Photometric: black is zero
		[273, 4, 8 + 2 + 8 * 12 + 4], // StripOffsets
		[278, 3, 2], // RowsPerStrip
		[279, 4, 4] // StripByteCounts
	];
	const buf = new ArrayBuffer(8 + 2 + tags.length * 12 + 4 + 4);
	const v = new DataView(buf);
	v.setUint16(0, 0x4949, true);
	v.setUint16(2, 42, true);
	v.setUint32(4, 8, true);
	v.setUint16(8, tags.length, true);
	tags.forEach(([tag, type, value], i) => {
		const o = 10 + i * 12;
		v.setUint16(o, tag, true);
		v.setUint16(o + 2, type, true);
		v.setUint32(o + 4, 1, true);
		if (type === 3) v.setUint16(o + 8, value, true);
		else v.setUint32(o + 8, value, true);
	});
	new Uint8Array(buf).set([1, 2, 3, 4], 8 + 2 + tags.length * 12 + 4);
	return buf;
}
const syntheticOsm = (): OsmData => {
	const n = 200;
	const ids = Float64Array.from({ length: n }, (_, i) => i + 1);
	return {
		bounds: { minLon: 121.4, minLat: 31.2, maxLon: 121.42, maxLat: 31.22 },
		nodeIds: ids,
		lon: Float64Array.from(ids, (i) => 121.4 + (i % 20) * 0.001),
		lat: Float64Array.from(ids, (i) => 31.2 + Math.floor(i / 20) * 0.001),
		ways: Array.from({ length: 19 }, (_, w) => ({ id: w + 1, refs: Array.from({ length: 10 }, (_, k) => w * 10 + k + 1), tags: { highway: 'residential' } }))
	} as unknown as OsmData;
};

describe('OSM PBF', () => {
	const xml = realFile('shanghai-osm-extracts/huangpu_peoples_square_drive_osmnx.osm');
	const sources: [string, OsmData][] = [['synthetic', syntheticOsm()]];
	if (xml) sources.push(['real (Huangpu OSM extract, encoded as PBF)', parseOsmXml(readFileSync(xml), { file: xml })]);
	else console.log('[robustness] no source data: real PBF cases skipped, synthetic ones run');
	for (const [label, osm] of sources)
		it(`${label}: damaged copies end in a result or one error naming the file and byte`, async () => {
			const pbf = encodeOsmPbf(osm, { nodesPerBlock: 2000, waysPerBlock: 200 });
			expect(parseOsmPbf(pbf, inflateZlib, { file: 'x.pbf' }).ways.length).toBe(osm.ways.length);
			const errors = await sweep('8 PBF', damagedVariants(pbf, label === 'synthetic' ? 60 : 140, 11), (b) => parseOsmPbf(b, inflateZlib, { file: 'roads.pbf' }));
			expect(errors).toBeGreaterThan(0);
		}, 120_000);
});

describe('GeoTIFF', () => {
	const synthetic = new Uint8Array(
		writeArrayBuffer(Float32Array.from({ length: 400 }, (_, i) => i % 7), {
			width: 20,
			height: 20,
			ModelPixelScale: [0.001, 0.001, 0],
			ModelTiepoint: [0, 0, 0, 121.4, 31.22, 0],
			GeographicTypeGeoKey: 4326,
			GTModelTypeGeoKey: 2,
			GTRasterTypeGeoKey: 1
		} as never)
	);
	const tifs: [string, Uint8Array][] = [['synthetic', synthetic]];
	const real = realFile('shanghai-worldpop2020-1km/shanghai_worldpop2020_1km_pop.tif');
	if (real) tifs.push(['real (WorldPop 1 km, compressed)', new Uint8Array(readFileSync(real))]);
	for (const [label, tif] of tifs)
		it(`${label}: damaged copies end in a result with finite figures or one error naming the file`, async () => {
			await sweep('8 TIFF', damagedVariants(tif, 60, 5), (b) => rasterToCells(b.slice().buffer as ArrayBuffer, 9, { file: 'pop.tif' }), (r) => {
				expect(Number.isFinite(r.report.cellSum)).toBe(true);
				expect(r.report.cellSum).toBeGreaterThan(0);
			});
		}, 120_000);
	it('rasters that are valid TIFFs but not usable population grids', async () => {
		const bad: [string, number[], Record<string, unknown>][] = [
			['+Infinity pixel only', [Infinity, Infinity, Infinity, Infinity], {}],
			['all zero', [0, 0, 0, 0], {}],
			['all negative', [-1, -2, -3, -4], {}],
			['all NaN', [NaN, NaN, NaN, NaN], {}],
			['origin outside the world', [1, 2, 3, 4], { ModelTiepoint: [0, 0, 0, 500, 31.2, 0] }],
			['projected CRS', [1, 2, 3, 4], { ProjectedCSTypeGeoKey: 32651, GeographicTypeGeoKey: undefined, GTModelTypeGeoKey: 1 }]
		];
		for (const [label, values, meta] of bad) {
			count.add('3 raster');
			const md: Record<string, unknown> = { width: 2, height: 2, ModelPixelScale: [0.001, 0.001, 0], ModelTiepoint: [0, 0, 0, 121.4, 31.22, 0], GeographicTypeGeoKey: 4326, GTModelTypeGeoKey: 2, GTRasterTypeGeoKey: 1, ...meta };
			for (const k of Object.keys(md)) if (md[k] === undefined) delete md[k];
			const buf = writeArrayBuffer(Float32Array.from(values), md as never);
			const r = await resultOrKejimapError(() => rasterToCells(buf, 9, { file: 'pop.tif' }), { file: 'pop.tif', code: ['FILE_EMPTY', 'FILE_MALFORMED'] }, label);
			expect(r.ok, `${label}: must be refused`).toBe(false);
		}
		count.add('8 TIFF');
		await expectKejimapErrorAsync(() => rasterToCells(plainTiff(), 9, { file: 'plain.tif' }), { file: 'plain.tif', code: 'FILE_MALFORMED' }, 'plain TIFF');
		// a +Infinity pixel beside real ones is skipped and counted, never summed into Infinity / NaN%
		const buf = writeArrayBuffer(Float32Array.from([Infinity, 5, 5, 5]), { width: 2, height: 2, ModelPixelScale: [0.001, 0.001, 0], ModelTiepoint: [0, 0, 0, 121.4, 31.22, 0], GeographicTypeGeoKey: 4326, GTModelTypeGeoKey: 2, GTRasterTypeGeoKey: 1 } as never);
		const ok = await rasterToCells(buf, 9, { file: 'pop.tif' });
		expect(ok.report.invalidPixels).toBe(1);
		expect(ok.report.cellSum).toBe(15);
	});
});

describe('GeoJSON and CSV text', () => {
	const fences = realFile('shanghai-admin-boundaries/shanghai_district_fences_2016_wgs84.geojson');
	const areaTexts: [string, Uint8Array][] = [['synthetic', enc.encode(syntheticRegionFiles()['areas.geojson'] as string)]];
	if (fences) areaTexts.push(['real (Shanghai district fences)', new Uint8Array(readFileSync(fences))]);
	for (const [label, bytes] of areaTexts)
		it(`areas, ${label}: damaged copies`, async () => {
			const src = label === 'synthetic' ? { crs: 'wgs84' as const, idField: 'code', nameField: 'name' } : { crs: 'wgs84' as const, idField: 'adcode', nameField: 'name' };
			await sweep('8 GeoJSON', damagedVariants(bytes, 40, 3), (b) => areaSetFromGeoJson(decodeText(b, 'areas.geojson').text, src, 'areas.geojson'));
		}, 120_000);
	it('road graph GeoJSON: damaged copies', async () => {
		const nodes = { type: 'FeatureCollection', features: [1, 2, 3].map((id) => ({ type: 'Feature', properties: { osmid: id }, geometry: { type: 'Point', coordinates: [121.4 + id * 0.001, 31.2] } })) };
		const edges = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { u: 1, v: 2 }, geometry: { type: 'LineString', coordinates: [[121.401, 31.2], [121.402, 31.2]] } }] };
		const e = enc.encode(JSON.stringify(edges));
		await sweep('8 GeoJSON', damagedVariants(e, 30, 9), (b) => parseGeojsonGraph(enc.encode(JSON.stringify(nodes)), b, { nodesFile: 'nodes.geojson', edgesFile: 'edges.geojson' }));
		const odd: unknown[] = [{ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { u: 1, v: 2 }, geometry: { type: 'LineString', coordinates: 'x' } }] }, { type: 'FeatureCollection', features: [null] }, { type: 'FeatureCollection', features: [{ type: 'Feature', properties: null, geometry: null }] }];
		for (const o of odd) {
			count.add('8 GeoJSON');
			await resultOrKejimapError(() => parseGeojsonGraph(nodes, o as object, { nodesFile: 'nodes.geojson', edgesFile: 'edges.geojson' }), { file: true }, JSON.stringify(o));
		}
	});
	const poi = realFile('shanghai-health-facilities-amap/shanghai_medical_poi_amap_wgs84.csv');
	const csvTexts: [string, Uint8Array][] = [['synthetic', enc.encode(syntheticRegionFiles()['facilities.csv'] as string)]];
	if (poi) csvTexts.push(['real (Amap medical POIs, first 300 rows)', enc.encode(readFileSync(poi, 'utf8').split('\n').slice(0, 301).join('\n'))]);
	const src: Pick<FacilitySource, 'id' | 'format' | 'crs' | 'fields' | 'where'> = { id: 'x', format: 'csv', crs: 'wgs84', fields: { name: 'name', lon: 'lon', lat: 'lat' } };
	for (const [label, bytes] of csvTexts)
		it(`facility CSV, ${label}: damaged copies`, async () => {
			await sweep('8 CSV', damagedVariants(bytes, 40, 4), (b) => readFacilitySource(decodeText(b, 'f.csv').text, src, 'f.csv'));
		}, 60_000);
	const osmXml = realFile('shanghai-osm-extracts/yangpu_tongji_siping_raw.osm');
	it('OSM XML: damaged copies', async () => {
		const base = osmXml ? new Uint8Array(readFileSync(osmXml)).slice(0, 200_000) : enc.encode('<?xml version="1.0"?><osm><node id="1" lat="31.2" lon="121.4"/><way id="2"><nd ref="1"/><tag k="highway" v="residential"/></way></osm>');
		await sweep('8 OSM XML', damagedVariants(base, 30, 8), (b) => parseOsmXml(b, { file: 'roads.osm' }));
	}, 60_000);
});
