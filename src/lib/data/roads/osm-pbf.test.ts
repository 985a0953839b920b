import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inflateZlib } from './inflate';
import { blob, encodeOsmPbf } from './testing/osm-pbf-encoder';
import { inflateWithDecompressionStream, parseOsmPbf, parseOsmPbfAsync } from './osm-pbf';
import { parseOsmXml } from './osm-xml';
import type { OsmData, OsmWay } from './types';

/**
 * A small OSM PBF encoder written from the format spec (independent of the reader): header block with
 * bbox, data blocks with a string table, DenseNodes (delta ids/lat/lon), plain Nodes, Ways (delta refs),
 * configurable granularity / offsets, zlib or raw blobs.
 */

const handWays: OsmWay[] = [
	{ id: 10, refs: [5, 12345678901, 7], tags: { highway: 'residential', oneway: 'yes' } },
	{ id: 9876543210, refs: [7, 5], tags: { highway: 'footway', foot: 'designated', 名称: '无' } },
	{ id: 12, refs: [8, 8, 5], tags: {} }
];
const hand: OsmData = {
	bounds: { minLon: 121.4, minLat: 31.2, maxLon: 121.5, maxLat: 31.3 },
	nodeIds: Float64Array.from([5, 7, 8, 12345678901]),
	lon: Float64Array.from([121.4668624, 121.4672027, -0.0000001, 179.9999999]),
	lat: Float64Array.from([31.2205022, 31.2218061, -89.9999999, 0]),
	ways: handWays
};
const keepAll = { keepTags: ['highway', 'oneway', 'foot', '名称'] };

describe('parseOsmPbf (hand-made dataset, test encoder)', () => {
	it('returns exactly the encoded nodes, ways, tags and bounds', () => {
		const bytes = encodeOsmPbf(hand, { nodesPerBlock: 3, waysPerBlock: 2 });
		expect(parseOsmPbf(bytes, inflateZlib, keepAll)).toEqual(hand);
	});
	it('honours granularity and lat/lon offsets, plain Node messages and raw blobs', () => {
		const coarse: OsmData = {
			...hand,
			lon: Float64Array.from([121.123456, 121.5, 121.000001, 120.999999]),
			lat: Float64Array.from([31.654321, 31.5, 31.000001, 30.999999])
		};
		for (const opts of [
			{ granularity: 1000, latOffset: 500_000_000, lonOffset: -250_000_000 },
			{ granularity: 1000, plainNodes: true, compress: false }
		]) {
			expect(parseOsmPbf(encodeOsmPbf(coarse, opts), inflateZlib, keepAll)).toEqual(coarse);
		}
	});
	it('keeps only the routing tags by default', () => {
		const r = parseOsmPbf(encodeOsmPbf(hand), inflateZlib);
		expect(r.ways[1].tags).toEqual({ highway: 'footway', foot: 'designated' });
	});
	it('works with the async DecompressionStream inflate (the browser path)', async () => {
		const bytes = encodeOsmPbf(hand, { nodesPerBlock: 2 });
		expect(await parseOsmPbfAsync(bytes, inflateWithDecompressionStream, keepAll)).toEqual(hand);
	});
	it('reports malformed files with clear messages', () => {
		const bytes = encodeOsmPbf(hand);
		expect(() => parseOsmPbf(bytes.subarray(0, bytes.length - 5), inflateZlib, { file: 't.pbf' })).toThrow(/t\.pbf: truncated blob/);
		expect(() => parseOsmPbf(new TextEncoder().encode('<?xml version="1.0"?><osm>'), inflateZlib, { file: 'x.pbf' })).toThrow(
			/x\.pbf: byte 0: blob header length .* is this an OSM PBF file/
		);
		const history = encodeOsmPbf(hand, { requiredFeatures: ['OsmSchema-V0.6', 'HistoricalInformation'] });
		expect(() => parseOsmPbf(history, inflateZlib)).toThrow(/unsupported features: HistoricalInformation/);
		const lzma = blob('OSMHeader', new Uint8Array([1, 2, 3]), true, 'lzma');
		expect(() => parseOsmPbf(lzma, inflateZlib, { file: 'l.pbf' })).toThrow(/l\.pbf: blob at byte 0 uses lzma compression/);
	});
});

const dataRoot = process.env.KEJIMAP_DATA ?? path.resolve(__dirname, '../../../../../shared/data');
const tongji = path.join(dataRoot, 'shanghai-osm-extracts/yangpu_tongji_siping_raw.osm');

describe.skipIf(!existsSync(tongji))('PBF round trip of a real OSM extract (Tongji, Shanghai)', () => {
	it('XML -> test PBF encoder -> parseOsmPbf gives the same nodes and ways', () => {
		const fromXml = parseOsmXml(readFileSync(tongji), { file: tongji });
		expect(fromXml.nodeIds.length).toBe(4241); // SOURCE.md (osmium fileinfo)
		expect(fromXml.ways.length).toBe(563);
		const pbf = encodeOsmPbf(fromXml, { nodesPerBlock: 1000, waysPerBlock: 100 });
		const fromPbf = parseOsmPbf(pbf, inflateZlib, { file: 'tongji.pbf' });
		expect(fromPbf.nodeIds).toEqual(fromXml.nodeIds);
		expect(fromPbf.lon).toEqual(fromXml.lon); // exact: nanodegree integers divided once
		expect(fromPbf.lat).toEqual(fromXml.lat);
		expect(fromPbf.ways).toEqual(fromXml.ways);
		expect(fromPbf.bounds).toEqual(fromXml.bounds);
		console.log(`Tongji: XML ${readFileSync(tongji).length} bytes -> PBF ${pbf.length} bytes`);
	});
});

describe('buildModeGraphs reads osm-pbf like osm-xml', () => {
	it('gives the same graphs from the fixture as XML and as PBF', async () => {
		const { buildModeGraphs } = await import('./build-graph');
		const xml = readFileSync(path.resolve(__dirname, '../../../../tests/fixtures/roads/small.osm'));
		const pbf = encodeOsmPbf(parseOsmXml(xml));
		const manifest = (format: 'osm-xml' | 'osm-pbf') =>
			({ id: 't', network: { format, path: 'small', clipToBounds: true }, networkModes: ['walk', 'drive'] }) as unknown as Parameters<typeof buildModeGraphs>[0];
		const { memoryFileSource } = await import('../pipeline/file-source');
		const a = await buildModeGraphs(manifest('osm-xml'), memoryFileSource({ small: xml }), () => {});
		const b = await buildModeGraphs(manifest('osm-pbf'), memoryFileSource({ small: pbf }), () => {});
		expect(Object.keys(b.graphs)).toEqual(['walk', 'drive']);
		expect(b.graphs).toEqual(a.graphs);
		expect(b.report.osm!.clip).toEqual(a.report.osm!.clip);
		expect(b.report.files).toEqual(['small']);
	});
});
