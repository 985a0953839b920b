/** Where things live on disk (Node only). */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The public source data (read in place, never copied): $KEJIMAP_DATA or ../shared/data beside the repo. */
export const dataRoot = path.resolve(process.env.KEJIMAP_DATA ?? path.join(repoRoot, '../shared/data'));
/** Generated files (git-ignored). */
export const buildRoot = path.resolve(process.env.KEJIMAP_BUILD ?? path.join(repoRoot, 'data/build'));
export const regionsDir = path.join(repoRoot, 'data/regions');

export function hasSourceData(): boolean {
	return existsSync(dataRoot);
}
