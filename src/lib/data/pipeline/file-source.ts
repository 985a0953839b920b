/**
 * Where the pipeline reads its inputs: Node files (data/node/files.ts `nodeFileSource`), or files the user picked /
 * bytes fetched in the browser (`memoryFileSource`). Paths are the manifest's paths, as written there.
 */
import { KejimapError } from '../../engine/errors';
import { decodeText, type DecodedText, type TextEncodingName } from '../import/text';

export interface FileSource {
	/** The file's text (import/text.ts: UTF-8, else GB18030). `what` names the input in the error when it is missing ("census totals"). */
	text(path: string, what?: string, encoding?: TextEncodingName): Promise<string>;
	/** The same, saying which encoding was used and whether it was guessed (reported with the source); see decodedText. */
	decoded?(path: string, what?: string, encoding?: TextEncodingName): Promise<DecodedText>;
	/** The file's bytes. */
	bytes(path: string, what?: string): Promise<Uint8Array>;
	/** How the file is named in reports and messages (Node: its absolute path). */
	label(path: string): string;
}

/** A source's text with its encoding (sources without `decoded` are taken as UTF-8 text). */
export async function decodedText(files: FileSource, path: string, what?: string, encoding?: TextEncodingName): Promise<DecodedText> {
	if (files.decoded) return files.decoded(path, what, encoding);
	return { text: await files.text(path, what, encoding), encoding: 'utf-8', guessed: false };
}

export type MemoryFile = string | Uint8Array | ArrayBuffer | Blob;

/** The bytes as an ArrayBuffer of exactly their length (a view may share a larger buffer). */
export function exactArrayBuffer(b: Uint8Array): ArrayBuffer {
	if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer) return b.buffer;
	return b.slice().buffer as ArrayBuffer;
}

function asBytes(b: Uint8Array | ArrayBuffer): Uint8Array {
	return b instanceof Uint8Array ? b : new Uint8Array(b);
}

/** A FileSource over files already in memory (browser `File`s are Blobs, read only when a stage asks). */
export function memoryFileSource(files: Record<string, MemoryFile>): FileSource {
	const get = (path: string, what?: string): MemoryFile => {
		const f = Object.hasOwn(files, path) ? files[path] : undefined;
		if (f === undefined)
			throw new KejimapError('FILE_MISSING', `${what ? `${what}: ` : ''}file not given: ${path} (files given: ${Object.keys(files).join(', ') || 'none'})`, {
				file: path
			});
		return f;
	};
	const decoded = async (path: string, what?: string, encoding?: TextEncodingName): Promise<DecodedText> => {
		const f = get(path, what);
		if (typeof f === 'string') return { text: f, encoding: 'utf-8', guessed: false }; // already text
		const bytes = f instanceof Blob ? new Uint8Array(await f.arrayBuffer()) : asBytes(f);
		return decodeText(bytes, path, encoding);
	};
	return {
		decoded,
		text: async (path, what, encoding) => (await decoded(path, what, encoding)).text,
		async bytes(path, what) {
			const f = get(path, what);
			if (typeof f === 'string') return new TextEncoder().encode(f);
			if (f instanceof Blob) return new Uint8Array(await f.arrayBuffer());
			return asBytes(f);
		},
		label: (path) => path
	};
}
