/**
 * Where the pipeline reads its inputs: Node files (data/node/files.ts `nodeFileSource`), or files the user picked /
 * bytes fetched in the browser (`memoryFileSource`). Paths are the manifest's paths, as written there.
 */
import { KejimapError } from '../../engine/errors';

export interface FileSource {
	/** The file decoded as UTF-8. `what` names the input in the error when it is missing ("census totals"). */
	text(path: string, what?: string): Promise<string>;
	/** The file's bytes. */
	bytes(path: string, what?: string): Promise<Uint8Array>;
	/** How the file is named in reports and messages (Node: its absolute path). */
	label(path: string): string;
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
	return {
		async text(path, what) {
			const f = get(path, what);
			if (typeof f === 'string') return f;
			if (f instanceof Blob) return f.text();
			return new TextDecoder('utf-8').decode(asBytes(f));
		},
		async bytes(path, what) {
			const f = get(path, what);
			if (typeof f === 'string') return new TextEncoder().encode(f);
			if (f instanceof Blob) return new Uint8Array(await f.arrayBuffer());
			return asBytes(f);
		},
		label: (path) => path
	};
}
