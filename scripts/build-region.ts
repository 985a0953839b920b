/**
 * Build one region into data/build/<id>/ (Node wrapper of src/lib/data/pipeline/build-region.ts: hash, then write).
 * Skipped when the content hash of the manifest, its input files and the pipeline code is unchanged.
 * Usage: tsx scripts/build-region.ts <region id | manifest.json> [--force]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { nodeFileSource } from '../src/lib/data/node/files';
import { buildRegionInMemory } from '../src/lib/data/pipeline/build-region';
import type { Log } from '../src/lib/data/source';
import type { BuiltRegion } from '../src/lib/engine/built-region';
import { KejimapError } from '../src/lib/engine/errors';
import type { RegionManifest, WeightSource } from '../src/lib/engine/region';
import { loadRegion, type LoadedRegion } from './lib/load-region';
import { buildRoot, repoRoot } from './lib/paths';

/** Files whose content decides the output: every data path in the manifest + the pipeline code. */
export function inputFiles(m: RegionManifest, resolve: (p: string) => string): string[] {
	const files: string[] = [];
	const n = m.network;
	if (n) for (const p of [n.path, n.nodesPath, n.edgesPath]) if (p) files.push(resolve(p));
	for (const f of m.facilities) files.push(resolve(f.path));
	files.push(resolve(m.areas.path));
	const pop = m.population;
	if (pop.method === 'raster') files.push(resolve(pop.path));
	if (pop.method === 'census-weights') {
		files.push(resolve(pop.census.path));
		for (const w of pop.weights) if (w.kind !== 'network-length') files.push(resolve((w as WeightSource).path));
	}
	for (const e of [m.elderly?.careHomes, m.elderly?.ages]) if (e) files.push(resolve(e.path));
	return files;
}

/** The code that decides the output: engine, data and this wrapper (not the other scripts: editing the bench rebuilds nothing). */
function codeFiles(): string[] {
	const out: string[] = [path.join(repoRoot, 'scripts/build-region.ts')];
	const walk = (dir: string) => {
		for (const e of readdirSync(dir, { withFileTypes: true })) {
			const p = path.join(dir, e.name);
			if (e.isDirectory()) walk(p);
			else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) out.push(p);
		}
	};
	for (const d of ['src/lib/engine', 'src/lib/data', 'scripts/lib']) walk(path.join(repoRoot, d));
	return out.sort();
}

export function computeInputHash(region: LoadedRegion): string {
	const h = createHash('sha256');
	h.update(JSON.stringify(region.manifest));
	const inputs = inputFiles(region.manifest, region.resolvePath);
	for (const f of inputs)
		if (!existsSync(f))
			throw new KejimapError('FILE_MISSING', `region "${region.manifest.id}": input file not found: ${f} (check the path in ${region.manifestPath}, or set KEJIMAP_DATA)`, { file: f });
	for (const f of [...inputs, ...codeFiles()]) {
		h.update(f);
		h.update(readFileSync(f));
	}
	return h.digest('hex').slice(0, 16);
}

/** Files earlier versions of the pipeline wrote to read back (the pipeline now keeps them in memory). */
const STALE_FILES = ['derived-areas.geojson', 'derived-road-weights.csv'];

export async function buildRegion(nameOrFile: string, opts: { force?: boolean; log?: Log; outRoot?: string } = {}): Promise<{ built: BuiltRegion; skipped: boolean }> {
	const log = opts.log ?? ((m: string) => console.log(m));
	const region = loadRegion(nameOrFile);
	const id = region.manifest.id;
	const outDir = path.join(opts.outRoot ?? buildRoot, id);
	const inputHash = computeInputHash(region);
	const regionJson = path.join(outDir, 'region.json');
	if (!opts.force && existsSync(regionJson)) {
		const prev = JSON.parse(readFileSync(regionJson, 'utf8')) as BuiltRegion;
		if (prev.inputHash === inputHash) {
			log(`[${id}] unchanged (hash ${inputHash}): skipped`);
			return { built: prev, skipped: true };
		}
	}
	const build = await buildRegionInMemory(region.manifest, nodeFileSource(region.resolvePath), { inputHash, log });
	mkdirSync(outDir, { recursive: true });
	for (const [name, data] of Object.entries(build.files)) writeFileSync(path.join(outDir, name), data);
	for (const name of STALE_FILES) rmSync(path.join(outDir, name), { force: true });
	writeFileSync(regionJson, JSON.stringify(build.region, null, 1));
	log(`[${id}] written to ${path.relative(repoRoot, outDir)}`);
	return { built: build.region, skipped: false };
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
	const args = process.argv.slice(2);
	const name = args.find((a) => !a.startsWith('--'));
	if (!name) {
		console.error('usage: tsx scripts/build-region.ts <region id | manifest.json> [--force]');
		process.exit(2);
	}
	buildRegion(name, { force: args.includes('--force') }).catch((e) => {
		if (!(e instanceof KejimapError)) throw e;
		console.error(`error: ${e.message}`);
		process.exit(2);
	});
}
