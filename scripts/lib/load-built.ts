/** Load a built region from data/build/<id>/ into a CoverageSession (Node only). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateBuiltRegion, type BuiltElderly, type BuiltRegion } from '../../src/lib/engine/built-region';
import { KejimapError } from '../../src/lib/engine/errors';
import { deserializeGraph } from '../../src/lib/engine/graph/serialize';
import { toArrayBuffer } from '../../src/lib/engine/io/bundle';
import { deserializeCells } from '../../src/lib/engine/io/cells';
import { CoverageSession } from '../../src/lib/engine/session';
import type { CsrGraph, Facility, Mode } from '../../src/lib/engine/types';
import { buildRoot } from './paths';

export function readBuilt(id: string, root = buildRoot): BuiltRegion {
	const file = path.join(root, id, 'region.json');
	let raw: unknown;
	try {
		raw = JSON.parse(readFileSync(file, 'utf8'));
	} catch (e) {
		throw new KejimapError('FILE_MALFORMED', `${file}: cannot be read (${(e as Error).message}); rebuild with \`npm run data\``, { file });
	}
	return validateBuiltRegion(raw, file);
}

/** `root`: the build folder (default data/build or $KEJIMAP_BUILD). */
export function loadSession(id: string, modes?: Mode[], root = buildRoot): CoverageSession {
	const dir = path.join(root, id);
	const region = readBuilt(id, root);
	const facilities = JSON.parse(readFileSync(path.join(dir, region.files.facilities), 'utf8')) as Facility[];
	const cells = deserializeCells(toArrayBuffer(readFileSync(path.join(dir, region.files.cells))));
	const graphs: Partial<Record<Mode, CsrGraph>> = {};
	for (const [mode, file] of Object.entries(region.files.graphs) as [Mode, string][]) {
		if (modes && !modes.includes(mode)) continue;
		graphs[mode] = deserializeGraph(toArrayBuffer(readFileSync(path.join(dir, file))));
	}
	return new CoverageSession(region, facilities, cells, graphs);
}

/** The region's planning inputs for the elderly (data/build/<id>/elderly.json), or null when the manifest has none. */
export function readBuiltElderly(id: string, root = buildRoot): BuiltElderly | null {
	const region = readBuilt(id, root);
	if (!region.files.elderly) return null;
	return JSON.parse(readFileSync(path.join(root, id, region.files.elderly), 'utf8')) as BuiltElderly;
}
