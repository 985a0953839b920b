/** Test helpers for the importers: a GBK encoder (Node has none) built by inverting the platform's GB18030 decoder. */
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
