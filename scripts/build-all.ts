/** Build every region in data/regions (unchanged ones are skipped) and write data/build/index.json. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_REGION_ID, type BuildIndex } from '../src/lib/engine/built-region';
import type { Mode } from '../src/lib/engine/types';
import { terminalSafe } from '../src/lib/data/export/terminal';
import { KejimapError } from '../src/lib/engine/errors';
import { buildRegion } from './build-region';
import { listRegionIds } from './lib/load-region';
import { buildRoot, dataRoot, hasSourceData } from './lib/paths';
import { loadSession } from './lib/load-built';
import { writePopulationModels } from '../src/lib/data/node/population-models';

async function main() {
	if (!hasSourceData() && process.argv.includes('--if-available')) {
		console.log(`notice: no source data at ${dataRoot}: regions not built; tests that need real data will be skipped.`);
		return;
	}
	if (!hasSourceData()) {
		console.error(`error: source data not found at ${dataRoot}. Set KEJIMAP_DATA to the folder holding the datasets (see README "Data").`);
		process.exit(2);
	}
	// --if-available: `npm test` builds the real regions when the source data is present (skipped when unchanged)
	const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
	const force = process.argv.includes('--force');
	const known = listRegionIds();
	const unknown = only.filter((id) => !known.includes(id) && !id.endsWith('.json'));
	if (unknown.length) {
		console.error(terminalSafe(`error: unknown region(s) ${unknown.join(', ')}; known regions: ${known.join(', ')}`));
		process.exit(2);
	}
	const ids = only.length ? only : known;
	const index: BuildIndex = { regions: [] };
	let failed = 0;
	for (const id of ids) {
		try {
			const { built } = await buildRegion(id, { force });
			// alternative population models over the same cells, for the app's comparison (kj-export)
			const cells = loadSession(built.id, []).cells;
			writePopulationModels(built.id, cells, built.areas.length, path.join(buildRoot, built.id), dataRoot);
			index.regions.push({
				id: built.id,
				name: built.name,
				hasNetwork: built.hasNetwork,
				modes: Object.keys(built.files.graphs) as Mode[],
				populationMethod: built.populationMethod,
				...(built.id === DEFAULT_REGION_ID ? { default: true } : {})
			});
		} catch (e) {
			failed++;
			// a KejimapError is the user's to fix: one line; anything else is a bug: the stack helps
			console.error(terminalSafe(`[${id}] FAILED: ${e instanceof KejimapError ? e.message : ((e as Error).stack ?? e)}`));
		}
	}
	mkdirSync(buildRoot, { recursive: true });
	if (!only.length) {
		index.regions.sort((a, b) => Number(!!b.default) - Number(!!a.default) || a.id.localeCompare(b.id));
		writeFileSync(path.join(buildRoot, 'index.json'), JSON.stringify(index, null, 1));
	}
	console.log(`${index.regions.length} region(s) ready in ${buildRoot}${failed ? `, ${failed} failed` : ''}`);
	if (failed) process.exit(2);
}

main();
