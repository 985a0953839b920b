/**
 * Test support (not used by the app): an OSM PBF writer, so tests can turn real OSM XML into PBF bytes (and damage
 * them, tests/robustness). Dense or plain nodes, zlib / raw / lzma-marked blobs, granularity and offsets.
 */
import { deflateSync } from 'node:zlib';
import Pbf from 'pbf';
import type { LonLatBounds, OsmData } from '../types';

export interface EncodeOptions {
	nodesPerBlock?: number;
	waysPerBlock?: number;
	granularity?: number;
	latOffset?: number; // nanodegrees
	lonOffset?: number;
	compress?: boolean;
	plainNodes?: boolean; // Node messages instead of DenseNodes
	requiredFeatures?: string[];
}

export function blob(type: string, payload: Uint8Array, compress: boolean, compression: 'zlib' | 'lzma' = 'zlib'): Uint8Array {
	const b = new Pbf();
	if (!compress) b.writeBytesField(1, payload);
	else {
		b.writeVarintField(2, payload.length);
		b.writeBytesField(compression === 'zlib' ? 3 : 4, new Uint8Array(deflateSync(payload)));
	}
	const blobBytes = b.finish();
	const h = new Pbf();
	h.writeStringField(1, type);
	h.writeVarintField(3, blobBytes.length);
	const headerBytes = h.finish();
	const out = new Uint8Array(4 + headerBytes.length + blobBytes.length);
	new DataView(out.buffer).setUint32(0, headerBytes.length, false);
	out.set(headerBytes, 4);
	out.set(blobBytes, 4 + headerBytes.length);
	return out;
}

function deltas(xs: number[]): number[] {
	return xs.map((x, i) => (i === 0 ? x : x - xs[i - 1]));
}

export function encodeOsmPbf(data: OsmData, o: EncodeOptions = {}): Uint8Array {
	const gran = o.granularity ?? 100;
	const latOff = o.latOffset ?? 0;
	const lonOff = o.lonOffset ?? 0;
	const compress = o.compress ?? true;
	const parts: Uint8Array[] = [];
	const header = new Pbf();
	if (data.bounds) {
		const b = data.bounds;
		header.writeMessage(
			1,
			(bb: LonLatBounds, p) => {
				p.writeSVarintField(1, Math.round(bb.minLon * 1e9));
				p.writeSVarintField(2, Math.round(bb.maxLon * 1e9));
				p.writeSVarintField(3, Math.round(bb.maxLat * 1e9));
				p.writeSVarintField(4, Math.round(bb.minLat * 1e9));
			},
			b
		);
	}
	for (const f of o.requiredFeatures ?? ['OsmSchema-V0.6', 'DenseNodes']) header.writeStringField(4, f);
	header.writeStringField(16, 'kejimap-test-encoder');
	parts.push(blob('OSMHeader', header.finish(), compress));

	const toUnits = (deg: number, off: number) => {
		const v = (Math.round(deg * 1e9) - off) / gran;
		if (!Number.isInteger(v)) throw new Error(`coordinate ${deg} not representable at granularity ${gran}`);
		return v;
	};
	const block = (strings: string[], writeGroup: (p: Pbf) => void) => {
		const p = new Pbf();
		p.writeMessage(
			1,
			(s: string[], q) => {
				for (const x of s) q.writeBytesField(1, new TextEncoder().encode(x));
			},
			strings
		);
		p.writeMessage(2, (_: null, q) => writeGroup(q), null);
		if (gran !== 100) p.writeVarintField(17, gran);
		if (latOff) p.writeVarintField(19, latOff);
		if (lonOff) p.writeVarintField(20, lonOff);
		parts.push(blob('OSMData', p.finish(), compress));
	};
	const nPer = o.nodesPerBlock ?? 8000;
	for (let s = 0; s < data.nodeIds.length; s += nPer) {
		const ids = Array.from(data.nodeIds.subarray(s, s + nPer));
		const lats = Array.from(data.lat.subarray(s, s + nPer), (x) => toUnits(x, latOff));
		const lons = Array.from(data.lon.subarray(s, s + nPer), (x) => toUnits(x, lonOff));
		block([''], (g) => {
			if (o.plainNodes) {
				ids.forEach((id, i) =>
					g.writeMessage(
						1,
						(_: null, q) => {
							q.writeSVarintField(1, id);
							q.writeSVarintField(8, lats[i]);
							q.writeSVarintField(9, lons[i]);
						},
						null
					)
				);
			} else
				g.writeMessage(
					2,
					(_: null, q) => {
						q.writePackedSVarint(1, deltas(ids));
						q.writePackedSVarint(8, deltas(lats));
						q.writePackedSVarint(9, deltas(lons));
					},
					null
				);
		});
	}
	const wPer = o.waysPerBlock ?? 8000;
	for (let s = 0; s < data.ways.length; s += wPer) {
		const ways = data.ways.slice(s, s + wPer);
		const strings = [''];
		const sid = new Map<string, number>();
		const idOf = (x: string) => {
			if (!sid.has(x)) {
				sid.set(x, strings.length);
				strings.push(x);
			}
			return sid.get(x)!;
		};
		const coded = ways.map((w) => ({ w, keys: Object.keys(w.tags).map(idOf), vals: Object.values(w.tags).map(idOf) }));
		block(strings, (g) => {
			for (const { w, keys, vals } of coded)
				g.writeMessage(
					3,
					(_: null, q) => {
						q.writeVarintField(1, w.id);
						q.writePackedVarint(2, keys);
						q.writePackedVarint(3, vals);
						q.writePackedSVarint(8, deltas(w.refs));
					},
					null
				);
		});
	}
	const total = parts.reduce((n, p) => n + p.length, 0);
	const out = new Uint8Array(total);
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
}
