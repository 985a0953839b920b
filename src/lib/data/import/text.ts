/**
 * Bytes -> text for every CSV / JSON reader (pipeline and browser import): one decoder, one rule.
 * UTF-8 is decoded strictly; a file that is not valid UTF-8 is decoded as GB18030 (what Excel / WPS save as
 * "CSV" on Chinese Windows; a superset of GBK and GB2312) and the caller is told so. UTF-16 (Excel's
 * "Unicode text") is refused with a message saying how to re-save. A manifest `encoding` field overrides the guess.
 * TextDecoder('gb18030') exists in every browser and in Node 20 (full ICU), so no iconv is needed.
 */
import { KejimapError } from '../../engine/errors';
import type { TextEncodingName } from '../../engine/region';

export type { TextEncodingName };
export const TEXT_ENCODINGS: readonly TextEncodingName[] = ['utf-8', 'gb18030'];

export interface DecodedText {
	text: string;
	encoding: TextEncodingName;
	/** true when the encoding was guessed (not UTF-8 and no `encoding` given): say so to the user */
	guessed: boolean;
}

function unsupported(file: string, message: string): never {
	throw new KejimapError('ENCODING_UNSUPPORTED', `${file}: ${message}`, { file });
}

/** UTF-16 without a BOM: many NUL bytes in alternate positions (ASCII text in UTF-16 LE/BE). */
function looksUtf16(b: Uint8Array): boolean {
	const n = Math.min(b.length, 4096);
	if (n < 4) return false;
	let even = 0;
	let odd = 0;
	for (let i = 0; i < n; i++)
		if (b[i] === 0) {
			if (i % 2) odd++;
			else even++;
		}
	return Math.max(even, odd) > n / 8;
}

/** Decode a text file's bytes; throws ENCODING_UNSUPPORTED naming the file for UTF-16 and undecodable bytes. */
export function decodeText(input: ArrayBuffer | Uint8Array, file: string, encoding?: TextEncodingName): DecodedText {
	const b = input instanceof Uint8Array ? input : new Uint8Array(input);
	if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff) || looksUtf16(b))
		unsupported(file, 'the file is UTF-16 ("Unicode text"); save it as "CSV UTF-8" (Excel) or UTF-8 (WPS / a text editor) and try again');
	if (b.includes(0)) unsupported(file, 'the file holds NUL bytes: it is not a text file (a spreadsheet .xlsx, or a damaged file?)');
	const bom = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
	const body = bom ? b.subarray(3) : b;
	const strict = (enc: TextEncodingName) => new TextDecoder(enc, { fatal: true }).decode(body);
	if (encoding) {
		try {
			return { text: strict(encoding), encoding, guessed: false };
		} catch {
			unsupported(file, `the file is not valid ${encoding.toUpperCase()} (the manifest's "encoding" says ${encoding}); check the encoding the file was saved in`);
		}
	}
	try {
		return { text: strict('utf-8'), encoding: 'utf-8', guessed: false };
	} catch {
		// not UTF-8: the usual Chinese-Windows export
	}
	if (bom) unsupported(file, 'the file starts with a UTF-8 mark but holds bytes that are not UTF-8 (damaged file?)');
	try {
		return { text: strict('gb18030'), encoding: 'gb18030', guessed: true };
	} catch {
		unsupported(file, 'the file is neither UTF-8 nor GB18030/GBK; save it as UTF-8 and try again');
	}
}

/** The sentence shown when an encoding was guessed (CLI summary, build report, import screen). */
export function encodingNotice(file: string, d: DecodedText): string | null {
	return d.guessed ? `${file}: not UTF-8, read as ${d.encoding.toUpperCase()} (GBK); set "encoding" in the manifest to silence this notice` : null;
}
