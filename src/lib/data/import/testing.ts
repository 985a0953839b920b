/** Test helpers for the importers: a GBK encoder (Node has none) built by inverting the platform's GB18030 decoder; a TIFF whose header lies about its size. */
let table: Map<string, number[]> | null = null;

/** Two-byte GBK code points (lead 0x81-0xFE, trail 0x40-0xFE except 0x7F); ASCII passes through. */
export function encodeGbk(text: string): Uint8Array {
	if (!table) {
		table = new Map();
		const dec = new TextDecoder('gb18030');
		for (let a = 0x81; a <= 0xfe; a++)
			for (let b = 0x40; b <= 0xfe; b++) {
				if (b === 0x7f) continue;
				const ch = dec.decode(new Uint8Array([a, b]));
				if (ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, [a, b]);
			}
	}
	const out: number[] = [];
	for (const ch of text) {
		const c = ch.codePointAt(0)!;
		if (c < 0x80) out.push(c);
		else {
			const bytes = table.get(ch);
			if (!bytes) throw new Error(`encodeGbk: no GBK code for ${ch}`);
			out.push(...bytes);
		}
	}
	return new Uint8Array(out);
}

/** The same small TIFF with its ImageWidth / ImageLength tags rewritten (the pixel data stays tiny). */
export function claimTiffSize(buf: ArrayBuffer, width: number, height: number): ArrayBuffer {
	const out = buf.slice(0);
	const v = new DataView(out);
	const le = v.getUint16(0) === 0x4949;
	const ifd = v.getUint32(4, le);
	const n = v.getUint16(ifd, le);
	for (let i = 0; i < n; i++) {
		const e = ifd + 2 + i * 12;
		const tag = v.getUint16(e, le);
		const type = v.getUint16(e + 2, le);
		if (tag !== 256 && tag !== 257) continue;
		const val = tag === 256 ? width : height;
		if (type === 3) v.setUint16(e + 8, val, le);
		else v.setUint32(e + 8, val, le);
	}
	return out;
}

