/** Node-only zlib inflate for parseOsmPbf (the browser uses inflateWithDecompressionStream). */
import { inflateSync } from 'node:zlib';

export function nodeInflate(bytes: Uint8Array): Uint8Array {
	const out = inflateSync(bytes);
	return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
