/**
 * One ArrayBuffer holding named typed-array columns plus a JSON header, so a graph or a cell
 * table is written as one file and moved to a worker as one transferable (flatbush's habit).
 *
 * Layout: magic "KJMB" | u32 version | u32 headerBytes | header JSON (UTF-8, padded to 8) | columns (each 8-aligned)
 */

export type ColumnArray =
	| Float64Array
	| Float32Array
	| Int32Array
	| Uint32Array
	| Uint16Array
	| Int16Array
	| Uint8Array
	| Int8Array;

const CTORS = {
	f64: Float64Array,
	f32: Float32Array,
	i32: Int32Array,
	u32: Uint32Array,
	u16: Uint16Array,
	i16: Int16Array,
	u8: Uint8Array,
	i8: Int8Array
} as const;
type DType = keyof typeof CTORS;

interface ColumnHeader {
	name: string;
	dtype: DType;
	length: number;
	byteOffset: number;
}
interface BundleHeader {
	meta: unknown;
	columns: ColumnHeader[];
}

const MAGIC = 0x424d4a4b; // "KJMB" little-endian
const VERSION = 1;

function dtypeOf(a: ColumnArray): DType {
	for (const [k, C] of Object.entries(CTORS)) if (a instanceof C) return k as DType;
	throw new Error('unsupported column type');
}

const align8 = (n: number) => (n + 7) & ~7;

export function encodeBundle(meta: unknown, columns: Record<string, ColumnArray>): ArrayBuffer {
	const names = Object.keys(columns);
	// Header size depends on offsets, which depend on header size: compute offsets relative to the data start.
	let rel = 0;
	const cols: ColumnHeader[] = names.map((name) => {
		const a = columns[name];
		const h = { name, dtype: dtypeOf(a), length: a.length, byteOffset: rel };
		rel = align8(rel + a.byteLength);
		return h;
	});
	const headerJson = new TextEncoder().encode(JSON.stringify({ meta, columns: cols } satisfies BundleHeader));
	const dataStart = align8(12 + headerJson.byteLength);
	const buf = new ArrayBuffer(dataStart + rel);
	const dv = new DataView(buf);
	dv.setUint32(0, MAGIC, true);
	dv.setUint32(4, VERSION, true);
	dv.setUint32(8, headerJson.byteLength, true);
	new Uint8Array(buf, 12, headerJson.byteLength).set(headerJson);
	for (const c of cols) {
		const a = columns[c.name];
		new Uint8Array(buf, dataStart + c.byteOffset, a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
	}
	return buf;
}

export interface DecodedBundle<M = unknown> {
	meta: M;
	columns: Record<string, ColumnArray>;
}

/** Columns are views on `buf` (no copy). */
export function decodeBundle<M = unknown>(buf: ArrayBuffer): DecodedBundle<M> {
	if (buf.byteLength < 12) throw new Error('bundle: file too short');
	const dv = new DataView(buf);
	if (dv.getUint32(0, true) !== MAGIC) throw new Error('bundle: not a Kejimap bundle (bad magic)');
	const version = dv.getUint32(4, true);
	if (version !== VERSION) throw new Error(`bundle: version ${version} not supported`);
	const headerBytes = dv.getUint32(8, true);
	const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 12, headerBytes))) as BundleHeader;
	const dataStart = align8(12 + headerBytes);
	const columns: Record<string, ColumnArray> = {};
	for (const c of header.columns) {
		const C = CTORS[c.dtype];
		columns[c.name] = new C(buf, dataStart + c.byteOffset, c.length);
	}
	return { meta: header.meta as M, columns };
}

/** Node Buffer -> exact ArrayBuffer (Buffers may share a pool). */
export function toArrayBuffer(b: Uint8Array): ArrayBuffer {
	return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}
