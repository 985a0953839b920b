/**
 * Bytes of a user's file -> text. Excel in China saves CSV as GBK (GB18030 is its superset): UTF-8 is tried
 * strictly first, and only bytes that are not valid UTF-8 are read as GB18030 (TextDecoder, no extra library).
 */
import { KejimapError } from '../../engine/errors';

export type TextEncodingChoice = 'auto' | 'utf-8' | 'gbk';
export const TEXT_ENCODINGS: readonly TextEncodingChoice[] = ['auto', 'utf-8', 'gbk'];

export function decodeText(bytes: Uint8Array, encoding: TextEncodingChoice, file: string): { text: string; encoding: 'utf-8' | 'gb18030' } {
	const strict = (label: string) => new TextDecoder(label, { fatal: true, ignoreBOM: false }).decode(bytes);
	if (encoding !== 'gbk') {
		try {
			return { text: strict('utf-8'), encoding: 'utf-8' };
		} catch {
			if (encoding === 'utf-8')
				throw new KejimapError('ENCODING_UNKNOWN', `${file}: not valid UTF-8 text; if it was saved by Excel in Chinese, choose the GBK encoding`, { file });
		}
	}
	try {
		return { text: strict('gb18030'), encoding: 'gb18030' };
	} catch {
		throw new KejimapError('ENCODING_UNKNOWN', `${file}: neither UTF-8 nor GBK/GB18030 text: save it as CSV UTF-8 and try again`, { file });
	}
}
