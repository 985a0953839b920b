/**
 * Writing a file the user asked for (CLI --cells / --facilities) without ever destroying one: a path that is an
 * input of the run (the manifest, a source file, a built file; also through a link) or a folder is refused, the
 * data goes to a temporary file in the same folder and is renamed over the target only when complete, and a
 * missing folder or an unwritable path is one KejimapError line.
 */
import { existsSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { KejimapError } from '../../engine/errors';

function identity(p: string): string | null {
	try {
		const s = statSync(p);
		return `${s.dev}:${s.ino}`;
	} catch {
		return null;
	}
}

/** Throws OUTPUT_REFUSED / FILE_MISSING naming `what` (e.g. "--cells") and the path; never leaves a partial file. */
export function writeOutputFile(target: string, content: string | Uint8Array, what: string, inputs: readonly string[] = []): void {
	const abs = path.resolve(target);
	const refuse = (why: string): never => {
		throw new KejimapError('OUTPUT_REFUSED', `${what} ${target}: ${why}`, { file: abs, field: what });
	};
	if (target.trim() === '') refuse('empty path');
	if (existsSync(abs) && statSync(abs).isDirectory()) refuse('is a folder; give a file name, e.g. out/cells.csv');
	const self = identity(abs);
	const absInputs = inputs.map((p) => path.resolve(p));
	if (absInputs.includes(abs) || (self !== null && absInputs.some((p) => identity(p) === self)))
		refuse('is an input of this run (manifest, source data or built region); choose another file');
	const dir = path.dirname(abs);
	if (!existsSync(dir)) throw new KejimapError('FILE_MISSING', `${what} ${target}: folder ${dir} does not exist`, { file: abs, field: what });
	if (!statSync(dir).isDirectory()) refuse(`${dir} is not a folder`);
	const tmp = path.join(dir, `.${path.basename(abs)}.${process.pid}.tmp`);
	try {
		writeFileSync(tmp, content);
		renameSync(tmp, abs);
	} catch (e) {
		try {
			if (existsSync(tmp)) unlinkSync(tmp);
		} catch {
			// nothing more to clean
		}
		const code = (e as NodeJS.ErrnoException).code;
		const why = code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'no permission to write there' : code === 'ENOSPC' ? 'disk full' : `cannot write (${code ?? (e as Error).message})`;
		refuse(why);
	}
}
