/**
 * OSM PBF reader (https://wiki.openstreetmap.org/wiki/PBF_Format): a file is a sequence of
 * [u32 big-endian length][BlobHeader][Blob]; blobs hold an OSMHeader (bbox, required features) or an
 * OSMData PrimitiveBlock (string table, groups of Nodes / DenseNodes / Ways / Relations).
 * Pure: decompression is injected (`inflate`), node:zlib in Node, DecompressionStream in the browser.
 */
import Pbf from 'pbf';
import { KejimapError, wrapReaderError } from '../../engine/errors';
import { F64Column, type OsmReadOptions } from './osm-xml';
import { OSM_ROUTING_TAGS, type LonLatBounds, type OsmData, type OsmWay } from './types';

/** zlib (RFC 1950) decompression; rawSize is the size the file announces (a hint, may be 0). */
export type Inflate = (bytes: Uint8Array, rawSize: number) => Uint8Array;
export type InflateAsync = (bytes: Uint8Array, rawSize: number) => Uint8Array | Promise<Uint8Array>;

const MAX_HEADER_BYTES = 64 * 1024;
const MAX_BLOB_BYTES = 32 * 1024 * 1024;
const SUPPORTED_FEATURES = new Set(['OsmSchema-V0.6', 'DenseNodes']);

interface RawBlob {
	type: string;
	offset: number; // byte offset of the blob header in the file, for messages
	raw: Uint8Array | null;
	zlib: Uint8Array | null;
	rawSize: number;
	otherCompression: string | null;
}

const COMPRESSION_NAMES: Record<number, string> = { 4: 'lzma', 5: 'bzip2', 6: 'lz4', 7: 'zstd' };

function malformed(file: string, msg: string): never {
	throw new KejimapError('FILE_MALFORMED', `${file}: ${msg}`, { file });
}

/** Split the file into blobs without decompressing them. */
function splitBlobs(bytes: Uint8Array, file: string): RawBlob[] {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const blobs: RawBlob[] = [];
	let pos = 0;
	while (pos < bytes.length) {
		if (pos + 4 > bytes.length) malformed(file, `truncated at byte ${pos} (no room for a blob header length)`);
		const headerLen = view.getUint32(pos, false);
		if (headerLen === 0 || headerLen > MAX_HEADER_BYTES)
			malformed(file, `byte ${pos}: blob header length ${headerLen} is out of range: is this an OSM PBF file?`);
		const hStart = pos + 4;
		if (hStart + headerLen > bytes.length) malformed(file, `truncated blob header at byte ${pos}`);
		const header = new Pbf(bytes.subarray(hStart, hStart + headerLen)).readFields(
			(tag, h: { type: string; datasize: number }, pbf) => {
				if (tag === 1) h.type = pbf.readString();
				else if (tag === 3) h.datasize = pbf.readVarint(true);
			},
			{ type: '', datasize: -1 }
		);
		if (header.datasize < 0 || header.datasize > MAX_BLOB_BYTES) malformed(file, `byte ${pos}: blob size ${header.datasize} is out of range`);
		const bStart = hStart + headerLen;
		const bEnd = bStart + header.datasize;
		if (bEnd > bytes.length) malformed(file, `truncated blob at byte ${bStart} (needs ${header.datasize} bytes)`);
		const blob: RawBlob = { type: header.type, offset: pos, raw: null, zlib: null, rawSize: 0, otherCompression: null };
		new Pbf(bytes.subarray(bStart, bEnd)).readFields(
			(tag, b: RawBlob, pbf) => {
				if (tag === 1) b.raw = pbf.readBytes();
				else if (tag === 2) b.rawSize = pbf.readVarint(true);
				else if (tag === 3) b.zlib = pbf.readBytes();
				else if (COMPRESSION_NAMES[tag]) b.otherCompression = COMPRESSION_NAMES[tag];
			},
			blob
		);
		blobs.push(blob);
		pos = bEnd;
	}
	return blobs;
}

function blobPayloadPlan(b: RawBlob, file: string): { raw: Uint8Array } | { zlib: Uint8Array } {
	if (b.raw) return { raw: b.raw };
	if (b.zlib) return { zlib: b.zlib };
	if (b.otherCompression)
		malformed(file, `blob at byte ${b.offset} uses ${b.otherCompression} compression; only zlib and uncompressed blobs are supported (re-encode with osmium cat)`);
	return malformed(file, `blob at byte ${b.offset} has no data`);
}

function checkInflated(out: Uint8Array, b: RawBlob, file: string): Uint8Array {
	if (b.rawSize > 0 && out.length !== b.rawSize)
		malformed(file, `blob at byte ${b.offset}: inflated to ${out.length} bytes, the file announces ${b.rawSize}`);
	return out;
}

/** Accumulates nodes and ways over blocks. */
class OsmSink {
	ids = new F64Column();
	lon = new F64Column();
	lat = new F64Column();
	ways: OsmWay[] = [];
	bounds: LonLatBounds | null = null;
	sawHeader = false;
	readonly keep: Set<string>;
	private readonly dec = new TextDecoder('utf-8');
	constructor(
		readonly file: string,
		keepTags: readonly string[]
	) {
		this.keep = new Set(keepTags);
	}

	readBlock(b: RawBlob, data: Uint8Array): void {
		if (b.type === 'OSMHeader') this.readHeader(data, b);
		else if (b.type === 'OSMData') this.readPrimitiveBlock(data);
		// other blob types are allowed by the format and skipped
	}

	private readHeader(data: Uint8Array, b: RawBlob): void {
		this.sawHeader = true;
		const h = new Pbf(data).readFields(
			(tag, r: { bbox: number[] | null; required: string[] }, pbf) => {
				if (tag === 1) {
					const box = pbf.readMessage(
						(t, bb: number[], p) => {
							if (t >= 1 && t <= 4) bb[t - 1] = p.readSVarint();
						},
						[NaN, NaN, NaN, NaN]
					);
					r.bbox = box;
				} else if (tag === 4) r.required.push(pbf.readString());
			},
			{ bbox: null, required: [] }
		);
		const bad = h.required.filter((f) => !SUPPORTED_FEATURES.has(f));
		if (bad.length) malformed(this.file, `header at byte ${b.offset} requires unsupported features: ${bad.join(', ')}`);
		if (h.bbox && h.bbox.every(Number.isFinite)) {
			const [left, right, top, bottom] = h.bbox;
			this.bounds = { minLon: left / 1e9, maxLon: right / 1e9, maxLat: top / 1e9, minLat: bottom / 1e9 };
		}
	}

	private readPrimitiveBlock(data: Uint8Array): void {
		const pbf = new Pbf(data);
		const block = { strings: [] as string[], groups: [] as number[], granularity: 100, latOffset: 0, lonOffset: 0 };
		// Groups come before granularity/offsets in field order, so note where they are and read them after.
		pbf.readFields((tag, r: typeof block, p) => {
			if (tag === 1) {
				p.readMessage((t, s: string[], q) => {
					if (t === 1) s.push(this.dec.decode(q.readBytes()));
				}, r.strings);
			} else if (tag === 2) {
				r.groups.push(p.pos);
			} else if (tag === 17) r.granularity = p.readVarint(true);
			else if (tag === 19) r.latOffset = p.readVarint(true);
			else if (tag === 20) r.lonOffset = p.readVarint(true);
		}, block);
		for (const start of block.groups) {
			pbf.pos = start;
			pbf.readMessage((tag, _r: null, p) => {
				if (tag === 1) this.readNode(p, block);
				else if (tag === 2) this.readDense(p, block);
				else if (tag === 3) this.readWay(p, block.strings);
			}, null);
		}
	}

	private coord(v: number, offset: number, granularity: number): number {
		// integer nanodegrees divided once: gives the double nearest the decimal OSM value
		return (offset + granularity * v) / 1e9;
	}

	private readNode(p: Pbf, blk: { granularity: number; latOffset: number; lonOffset: number }): void {
		const n = p.readMessage(
			(t, r: { id: number; lat: number; lon: number }, q) => {
				if (t === 1) r.id = q.readSVarint();
				else if (t === 8) r.lat = q.readSVarint();
				else if (t === 9) r.lon = q.readSVarint();
			},
			{ id: 0, lat: 0, lon: 0 }
		);
		this.ids.push(n.id);
		this.lon.push(this.coord(n.lon, blk.lonOffset, blk.granularity));
		this.lat.push(this.coord(n.lat, blk.latOffset, blk.granularity));
	}

	private readDense(p: Pbf, blk: { granularity: number; latOffset: number; lonOffset: number }): void {
		const d = p.readMessage(
			(t, r: { id: number[]; lat: number[]; lon: number[] }, q) => {
				if (t === 1) q.readPackedSVarint(r.id);
				else if (t === 8) q.readPackedSVarint(r.lat);
				else if (t === 9) q.readPackedSVarint(r.lon);
			},
			{ id: [], lat: [], lon: [] }
		);
		if (d.lat.length !== d.id.length || d.lon.length !== d.id.length)
			malformed(this.file, `DenseNodes with ${d.id.length} ids but ${d.lat.length} lats and ${d.lon.length} lons`);
		let id = 0,
			lat = 0,
			lon = 0;
		for (let i = 0; i < d.id.length; i++) {
			id += d.id[i];
			lat += d.lat[i];
			lon += d.lon[i];
			this.ids.push(id);
			this.lon.push(this.coord(lon, blk.lonOffset, blk.granularity));
			this.lat.push(this.coord(lat, blk.latOffset, blk.granularity));
		}
	}

	private readWay(p: Pbf, strings: string[]): void {
		const w = p.readMessage(
			(t, r: { id: number; keys: number[]; vals: number[]; refs: number[] }, q) => {
				if (t === 1) r.id = q.readVarint(true);
				else if (t === 2) q.readPackedVarint(r.keys);
				else if (t === 3) q.readPackedVarint(r.vals);
				else if (t === 8) q.readPackedSVarint(r.refs);
			},
			{ id: 0, keys: [], vals: [], refs: [] }
		);
		if (w.keys.length !== w.vals.length) malformed(this.file, `way ${w.id}: ${w.keys.length} tag keys but ${w.vals.length} values`);
		const tags: Record<string, string> = {};
		for (let i = 0; i < w.keys.length; i++) {
			const k = strings[w.keys[i]];
			if (k === undefined || strings[w.vals[i]] === undefined) malformed(this.file, `way ${w.id}: tag index outside the string table`);
			if (this.keep.has(k)) tags[k] = strings[w.vals[i]];
		}
		let ref = 0;
		for (let i = 0; i < w.refs.length; i++) w.refs[i] = ref += w.refs[i];
		this.ways.push({ id: w.id, refs: w.refs, tags });
	}

	result(): OsmData {
		if (!this.sawHeader) malformed(this.file, 'no OSMHeader blob: is this an OSM PBF file?');
		return { bounds: this.bounds, nodeIds: this.ids.toArray(), lon: this.lon.toArray(), lat: this.lat.toArray(), ways: this.ways };
	}
}

/** pbf / zlib errors (truncated varints, bad checksums, RangeErrors) as one message naming the file and the blob's byte. */
function damaged(e: unknown, file: string, offset: number): KejimapError {
	return wrapReaderError(e, 'FILE_MALFORMED', file, 'damaged OSM PBF', { offset });
}

/** Read an OSM PBF with a synchronous inflate (`inflateZlib` from ./inflate). */
export function parseOsmPbf(bytes: Uint8Array, inflate: Inflate, options: OsmReadOptions = {}): OsmData {
	const file = options.file ?? 'OSM PBF';
	const sink = new OsmSink(file, options.keepTags ?? OSM_ROUTING_TAGS);
	let at = 0;
	try {
		for (const b of splitBlobs(bytes, file)) {
			at = b.offset;
			const plan = blobPayloadPlan(b, file);
			sink.readBlock(b, 'raw' in plan ? plan.raw : checkInflated(inflate(plan.zlib, b.rawSize), b, file));
		}
		return sink.result();
	} catch (e) {
		throw damaged(e, file, at);
	}
}

/** Same, with an asynchronous inflate (browser: `inflateWithDecompressionStream`). */
export async function parseOsmPbfAsync(bytes: Uint8Array, inflate: InflateAsync, options: OsmReadOptions = {}): Promise<OsmData> {
	const file = options.file ?? 'OSM PBF';
	const sink = new OsmSink(file, options.keepTags ?? OSM_ROUTING_TAGS);
	let at = 0;
	try {
		for (const b of splitBlobs(bytes, file)) {
			at = b.offset;
			const plan = blobPayloadPlan(b, file);
			sink.readBlock(b, 'raw' in plan ? plan.raw : checkInflated(await inflate(plan.zlib, b.rawSize), b, file));
		}
		return sink.result();
	} catch (e) {
		throw damaged(e, file, at);
	}
}

/** zlib inflate with the web platform's DecompressionStream (browsers, workers, Node >= 18). */
export async function inflateWithDecompressionStream(bytes: Uint8Array): Promise<Uint8Array> {
	const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate'));
	return new Uint8Array(await new Response(stream).arrayBuffer());
}
