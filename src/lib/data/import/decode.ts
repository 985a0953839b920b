/**
 * The encoding the user picks for an import (auto / UTF-8 / GBK), onto the one decoder (text.ts): auto tries UTF-8
 * strictly and falls back to GB18030, a superset of GBK.
 */
import { decodeText as decodeWith, type TextEncodingName } from './text';

export type TextEncodingChoice = 'auto' | 'utf-8' | 'gbk';
export const ENCODING_CHOICES: readonly TextEncodingChoice[] = ['auto', 'utf-8', 'gbk'];

const NAMES: Record<TextEncodingChoice, TextEncodingName | undefined> = { auto: undefined, 'utf-8': 'utf-8', gbk: 'gb18030' };

export function decodeText(bytes: Uint8Array, choice: TextEncodingChoice, file: string): { text: string; encoding: TextEncodingName; guessed: boolean } {
	return decodeWith(bytes, file, NAMES[choice]);
}
