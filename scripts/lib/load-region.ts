/** Find, read, merge (`extends`) and validate a region manifest; resolve its data paths (Node only). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { KejimapError } from '../../src/lib/engine/errors';
import { validateRegionManifest, type RegionManifest } from '../../src/lib/engine/region';
import { dataRoot, regionsDir, repoRoot } from './paths';

export interface LoadedRegion {
	manifest: RegionManifest;
	manifestPath: string;
	/** absolute path of a path named in the manifest */
	resolvePath: (p: string) => string;
	/** the manifest and every manifest it extends (inputs of the run: never overwritten) */
	manifestFiles: string[];
}

function readJson(file: string): Record<string, unknown> {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch {
		throw new KejimapError('FILE_MISSING', `region manifest not found: ${file}`, { file });
	}
	try {
		return JSON.parse(text) as Record<string, unknown>;
	} catch (e) {
		throw new KejimapError('FILE_MALFORMED', `${file}: not valid JSON (${(e as Error).message})`, { file });
	}
}

/** Read a manifest with its `extends` chain merged (top-level fields of the child replace the parent's). */
export function readManifestJson(file: string, seen: string[] = []): Record<string, unknown> {
	const abs = path.resolve(file);
	if (seen.includes(abs)) throw new KejimapError('REGION_INVALID', `${file}: "extends" forms a cycle (${[...seen, abs].join(' -> ')})`, { file, field: 'extends' });
	seen.push(abs);
	const raw = readJson(abs);
	if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
	if (raw.extends === undefined) return raw;
	if (typeof raw.extends !== 'string' || raw.extends === '')
		throw new KejimapError('REGION_INVALID', `${file}: field "extends" must be the file name of another manifest`, { file, field: 'extends' });
	const parent = readManifestJson(path.resolve(path.dirname(abs), raw.extends), seen);
	const merged: Record<string, unknown> = { ...parent, ...raw };
	delete merged.extends;
	return merged;
}

export function listRegionIds(): string[] {
	return readdirSync(regionsDir)
		.filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
		.map((f) => f.replace(/\.json$/, ''))
		.sort();
}

/** `nameOrFile`: a region id from data/regions, or a path to a manifest JSON. */
export function loadRegion(nameOrFile: string): LoadedRegion {
	let file: string;
	if (nameOrFile.endsWith('.json') || nameOrFile.includes('/')) file = path.resolve(nameOrFile);
	else {
		file = path.join(regionsDir, `${nameOrFile}.json`);
		if (!existsSync(file))
			throw new KejimapError('REGION_UNKNOWN', `unknown region "${nameOrFile}"; known regions: ${listRegionIds().join(', ')}`);
	}
	const manifestFiles: string[] = [];
	const manifest = validateRegionManifest(readManifestJson(file, manifestFiles), path.relative(repoRoot, file) || file);
	const root = manifest.dataRoot ? path.resolve(path.dirname(file), manifest.dataRoot) : dataRoot;
	const resolvePath = (p: string) => (path.isAbsolute(p) ? p : path.join(root, p));
	return { manifest, manifestPath: file, resolvePath, manifestFiles };
}
