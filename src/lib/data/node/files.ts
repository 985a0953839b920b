/**
 * Node-only file access for the data pipeline. The parsers in src/lib/data/*.ts take text or ArrayBuffers,
 * so the browser import can reuse them; only this folder touches the file system.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KejimapError } from '../../engine/errors';
import type { RegionManifest } from '../../engine/region';
import { decodeText, type DecodedText, type TextEncodingName } from '../import/text';
import type { FileSource } from '../pipeline/file-source';
import type { ResolvePath } from '../source';

/** Repository root (this file is src/lib/data/node/files.ts). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** $KEJIMAP_DATA, else ../shared/data next to the repository. */
export function defaultDataRoot(): string {
	const env = process.env.KEJIMAP_DATA;
	return env && env.length > 0 ? path.resolve(env) : path.resolve(REPO_ROOT, '../shared/data');
}

/**
 * The data root of a region: manifest.dataRoot if set (a relative one resolves against the manifest's folder,
 * or the repository root when the folder is unknown), else defaultDataRoot().
 */
export function dataRootOf(manifest: Pick<RegionManifest, 'dataRoot'>, manifestDir?: string): string {
	if (manifest.dataRoot) return path.resolve(manifestDir ?? REPO_ROOT, manifest.dataRoot);
	return defaultDataRoot();
}

/** resolvePath for the stage functions: absolute paths pass through, relative ones join the data root. */
export function createResolvePath(manifest: Pick<RegionManifest, 'dataRoot'>, manifestDir?: string): ResolvePath {
	const root = dataRootOf(manifest, manifestDir);
	return (p: string) => (path.isAbsolute(p) ? p : path.resolve(root, p));
}

function missing(absPath: string, what?: string): never {
	throw new KejimapError('FILE_MISSING', `${what ? `${what}: ` : ''}file not found: ${absPath} (set KEJIMAP_DATA or the manifest's dataRoot?)`, {
		file: absPath
	});
}

function readBytes(absPath: string, what?: string): Buffer {
	if (!existsSync(absPath)) missing(absPath, what);
	try {
		return readFileSync(absPath);
	} catch (e) {
		const code = (e as NodeJS.ErrnoException).code;
		const why = code === 'EISDIR' ? 'is a folder, not a file' : code === 'EACCES' || code === 'EPERM' ? 'no permission to read it' : `cannot be read (${code ?? (e as Error).message})`;
		throw new KejimapError('FILE_MISSING', `${what ? `${what}: ` : ''}${absPath} ${why}`, { file: absPath });
	}
}

/** Text of a data file, decoded by the one rule in import/text.ts (UTF-8, else GB18030; `encoding` overrides). */
export function readDecodedFile(absPath: string, what?: string, encoding?: TextEncodingName): DecodedText {
	return decodeText(readBytes(absPath, what), absPath, encoding);
}

export function readTextFile(absPath: string, what?: string, encoding?: TextEncodingName): string {
	return readDecodedFile(absPath, what, encoding).text;
}

/** The file as an ArrayBuffer of exactly its bytes (Node's Buffer may share a larger pool). */
export function readBinaryFile(absPath: string, what?: string): ArrayBuffer {
	const b = readBytes(absPath, what);
	return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/** The pipeline's FileSource over the file system: manifest paths resolved by `resolvePath`, named by their absolute path. */
export function nodeFileSource(resolvePath: ResolvePath): FileSource {
	return {
		text: async (p, what, encoding) => readTextFile(resolvePath(p), what, encoding),
		decoded: async (p, what, encoding) => readDecodedFile(resolvePath(p), what, encoding),
		bytes: async (p, what) => new Uint8Array(readBinaryFile(resolvePath(p), what)),
		label: resolvePath
	};
}
