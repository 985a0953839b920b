/**
 * Build one region: areas, road graphs per mode, facilities, population cells -> data/build/<id>/.
 * Skipped when the content hash of the manifest, its input files and the pipeline code is unchanged.
 * Usage: tsx scripts/build-region.ts <region id | manifest.json> [--force]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { featureCollection, point, union, voronoi, bbox as turfBbox } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import { buildModeGraphs } from '../src/lib/data/roads/build-graph';
import { buildFacilities } from '../src/lib/data/facilities/build';
import { loadAreas } from '../src/lib/data/areas';
import { buildPopulation } from '../src/lib/data/population/build';
import type { BuiltRegion } from '../src/lib/engine/built-region';
import { KejimapError } from '../src/lib/engine/errors';
import { serializeGraph } from '../src/lib/engine/graph/serialize';
import { metresPerDegree } from '../src/lib/engine/geo/measure';
import { serializeCells } from '../src/lib/engine/io/cells';
import type { RegionManifest, WeightSource } from '../src/lib/engine/region';
import type { CellTable, CsrGraph, Mode } from '../src/lib/engine/types';
import { loadRegion, type LoadedRegion } from './lib/load-region';
import { buildRoot, repoRoot } from './lib/paths';

export type Log = (msg: string) => void;

const FACILITY_MARGIN_M = 500;

function expandBbox(b: [number, number, number, number], m: number): [number, number, number, number] {
	const { mPerDegLon, mPerDegLat } = metresPerDegree((b[1] + b[3]) / 2);
	return [b[0] - m / mPerDegLon, b[1] - m / mPerDegLat, b[2] + m / mPerDegLon, b[3] + m / mPerDegLat];
}

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
	return files;
}

function codeFiles(): string[] {
	const out: string[] = [];
	const walk = (dir: string) => {
		for (const e of readdirSync(dir, { withFileTypes: true })) {
			const p = path.join(dir, e.name);
			if (e.isDirectory()) walk(p);
			else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) out.push(p);
		}
	};
	for (const d of ['src/lib/engine', 'src/lib/data', 'scripts']) walk(path.join(repoRoot, d));
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

/** Voronoi cells of the points, dissolved by group: a stand-in where no area polygons exist. */
function voronoiAreas(m: RegionManifest, resolve: (p: string) => string): FeatureCollection {
	const src = JSON.parse(readFileSync(resolve(m.areas.path), 'utf8')) as FeatureCollection<Point>;
	const pts = src.features.filter((f) => f.geometry?.type === 'Point' && f.properties?.[m.areas.idField]);
	const fc = featureCollection(pts.map((f) => point(f.geometry.coordinates, { group: String(f.properties![m.areas.idField]) })));
	const [w, s, e, n] = turfBbox(fc);
	const pad = 0.02; // ~2 km beyond the outermost points
	const cells = voronoi(fc, { bbox: [w - pad, s - pad, e + pad, n + pad] });
	const byGroup = new Map<string, Feature<Polygon | MultiPolygon>[]>();
	cells.features.forEach((c, i) => {
		if (!c) return;
		const g = fc.features[i].properties.group;
		if (!byGroup.has(g)) byGroup.set(g, []);
		byGroup.get(g)!.push(c as Feature<Polygon>);
	});
	const features: Feature[] = [];
	for (const [g, polys] of [...byGroup.entries()].sort()) {
		const merged = polys.length === 1 ? polys[0] : union(featureCollection(polys));
		if (!merged) continue;
		const id = m.areas.codes?.[g] ?? g;
		features.push({ type: 'Feature', properties: { id, name: g }, geometry: merged.geometry });
	}
	return { type: 'FeatureCollection', features };
}

/** Sample points every ~50 m along the roads: a weight source proportional to road length. */
function roadLengthPointsCsv(g: CsrGraph): { csv: string; points: number } {
	const lines = ['lon,lat'];
	const stepM = 50;
	for (let u = 0; u < g.nodeCount; u++)
		for (let e = g.offsets[u]; e < g.offsets[u + 1]; e++) {
			const v = g.targets[e];
			if (g.symmetric && v < u) continue; // each undirected road once
			const k = Math.max(1, Math.round(g.lengthM[e] / stepM));
			for (let i = 0; i < k; i++) {
				const t = (i + 0.5) / k;
				lines.push(`${(g.lon[u] + t * (g.lon[v] - g.lon[u])).toFixed(6)},${(g.lat[u] + t * (g.lat[v] - g.lat[u])).toFixed(6)}`);
			}
		}
	return { csv: lines.join('\n'), points: lines.length - 1 };
}

function cropCells(cells: CellTable, bbox: [number, number, number, number]): { cells: CellTable; dropped: number; droppedPopulation: number } {
	const keep: number[] = [];
	let droppedPopulation = 0;
	for (let i = 0; i < cells.count; i++) {
		const inside = cells.lon[i] >= bbox[0] && cells.lon[i] <= bbox[2] && cells.lat[i] >= bbox[1] && cells.lat[i] <= bbox[3];
		if (inside) keep.push(i);
		else droppedPopulation += cells.population[i];
	}
	const pick = <T extends Float64Array | Int32Array>(a: T, C: { new (n: number): T }) => {
		const out = new C(keep.length);
		keep.forEach((k, j) => (out[j] = a[k]));
		return out;
	};
	return {
		cells: {
			...cells,
			count: keep.length,
			h3: keep.map((k) => cells.h3[k]),
			lon: pick(cells.lon, Float64Array),
			lat: pick(cells.lat, Float64Array),
			population: pick(cells.population, Float64Array),
			areaIndex: pick(cells.areaIndex, Int32Array)
		},
		dropped: cells.count - keep.length,
		droppedPopulation: Math.round(droppedPopulation)
	};
}

export async function buildRegion(nameOrFile: string, opts: { force?: boolean; log?: Log } = {}): Promise<{ built: BuiltRegion; skipped: boolean }> {
	const log = opts.log ?? ((m: string) => console.log(m));
	const region = loadRegion(nameOrFile);
	const m0 = region.manifest;
	const outDir = path.join(buildRoot, m0.id);
	const inputHash = computeInputHash(region);
	const regionJson = path.join(outDir, 'region.json');
	if (!opts.force && existsSync(regionJson)) {
		const prev = JSON.parse(readFileSync(regionJson, 'utf8')) as BuiltRegion;
		if (prev.inputHash === inputHash) {
			log(`[${m0.id}] unchanged (hash ${inputHash}): skipped`);
			return { built: prev, skipped: true };
		}
	}
	mkdirSync(outDir, { recursive: true });
	const t0 = performance.now();
	const step = (name: string) => {
		const s = performance.now();
		log(`[${m0.id}] ${name} ...`);
		return () => log(`[${m0.id}] ${name} done in ${((performance.now() - s) / 1000).toFixed(1)} s`);
	};
	const reports: Record<string, unknown> = {};
	let manifest: RegionManifest = m0;

	// Areas (derived polygons first when the region has none)
	let done = step('areas');
	if (manifest.areas.format === 'voronoi-points') {
		const fc = voronoiAreas(manifest, region.resolvePath);
		const derived = path.join(outDir, 'derived-areas.geojson');
		writeFileSync(derived, JSON.stringify(fc));
		manifest = { ...manifest, areas: { ...manifest.areas, format: 'geojson', path: derived, idField: 'id', nameField: 'name', include: undefined } };
		reports.areasDerived = { method: 'voronoi-points', areas: fc.features.length, note: 'approximate areas: Voronoi cells of the admin points, dissolved by area' };
	}
	const areaSet = loadAreas(manifest, region.resolvePath);
	if (manifest.areas.names) for (const a of areaSet.areas) a.name = manifest.areas.names[a.id] ?? a.name;
	for (const f of areaSet.features.features) {
		const p = f.properties as { id: string; name: string };
		p.name = manifest.areas.names?.[p.id] ?? p.name;
	}
	done();

	// Roads
	const graphs: Partial<Record<Mode, CsrGraph>> = {};
	if (manifest.network) {
		done = step('road graphs');
		const r = await buildModeGraphs(manifest, region.resolvePath, log);
		Object.assign(graphs, r.graphs);
		reports.roads = r.report;
		done();
	}

	// Facilities
	done = step('facilities');
	// Clinics just outside a small region still serve its edge: take facilities from a box 500 m wider.
	const facManifest = manifest.bbox ? { ...manifest, bbox: expandBbox(manifest.bbox, FACILITY_MARGIN_M) } : manifest;
	const fac = await buildFacilities(facManifest, region.resolvePath, areaSet, log);
	reports.facilities = fac.report;
	done();

	// Population (road-length weights are sampled from the built graph)
	done = step('population');
	let popManifest = manifest;
	if (manifest.population.method === 'census-weights' && manifest.population.weights.some((w) => w.kind === 'network-length')) {
		const g = graphs.walk ?? graphs.cycle ?? graphs.drive;
		if (!g)
			throw new KejimapError('REGION_INVALID', `${region.manifestPath}: field "population.weights" uses "network-length", which needs a road network ("network" is null)`, {
				file: region.manifestPath,
				field: 'population.weights'
			});
		const { csv, points } = roadLengthPointsCsv(g);
		const file = path.join(outDir, 'derived-road-weights.csv');
		writeFileSync(file, csv);
		reports.roadWeights = { points, stepM: 50 };
		popManifest = {
			...manifest,
			population: {
				...manifest.population,
				weights: manifest.population.weights.map((w) =>
					w.kind === 'network-length'
						? ({ kind: 'points', path: file, format: 'csv', crs: 'wgs84', fields: { lon: 'lon', lat: 'lat' }, weight: w.weight, label: w.label } satisfies WeightSource)
						: w
				)
			}
		};
	}
	const pop = await buildPopulation(popManifest, region.resolvePath, areaSet, log);
	let cells = pop.cells;
	reports.population = pop.report;
	if (manifest.bbox) {
		const c = cropCells(cells, manifest.bbox);
		cells = c.cells;
		reports.crop = { bbox: manifest.bbox, cellsDropped: c.dropped, populationOutsideBbox: c.droppedPopulation, cellsKept: cells.count };
		if (cells.count === 0)
			throw new KejimapError('FILE_EMPTY', `${region.manifestPath}: field "bbox" [${manifest.bbox.join(', ')}] holds none of the ${c.dropped} population cells of the areas; check the bbox (west, south, east, north)`, {
				file: region.manifestPath,
				field: 'bbox'
			});
	}
	const totalPopulation = cells.population.reduce((s, x) => s + x, 0);
	if (!(totalPopulation > 0) || !Number.isFinite(totalPopulation))
		throw new KejimapError('FILE_EMPTY', `${region.manifestPath}: the population source gives ${totalPopulation} people in the areas; coverage shares would be meaningless`, {
			file: region.manifestPath,
			field: 'population'
		});
	done();

	// Write
	const bytes: Record<string, number> = {};
	const write = (name: string, data: string | ArrayBuffer) => {
		const buf = typeof data === 'string' ? Buffer.from(data) : Buffer.from(new Uint8Array(data));
		writeFileSync(path.join(outDir, name), buf);
		bytes[name] = buf.byteLength;
	};
	const graphFiles: Partial<Record<Mode, string>> = {};
	for (const [mode, g] of Object.entries(graphs) as [Mode, CsrGraph][]) {
		graphFiles[mode] = `graph-${mode}.bin`;
		write(graphFiles[mode]!, serializeGraph(g));
	}
	write('cells.bin', serializeCells(cells));
	write('facilities.json', JSON.stringify(fac.facilities));
	write('areas.geojson', JSON.stringify(areaSet.features));
	const bbox = manifest.bbox ?? (turfBbox(areaSet.features) as [number, number, number, number]);
	const built: BuiltRegion = {
		formatVersion: 1,
		id: m0.id,
		name: m0.name,
		manifest: m0,
		inputHash,
		builtAt: new Date().toISOString(),
		bbox,
		files: { graphs: graphFiles, cells: 'cells.bin', facilities: 'facilities.json', areas: 'areas.geojson' },
		areas: areaSet.areas,
		areaLevel: m0.areas.level,
		hasNetwork: Object.keys(graphs).length > 0,
		populationMethod: cells.populationMethod,
		populationLabel: m0.population.label,
		modelledFacilities: m0.facilities.filter((f) => f.modelled && f.role === 'facilities').map((f) => f.label),
		reports,
		bytes
	};
	writeFileSync(regionJson, JSON.stringify(built, null, 1));
	log(`[${m0.id}] built in ${((performance.now() - t0) / 1000).toFixed(1)} s -> ${path.relative(repoRoot, outDir)}`);
	return { built, skipped: false };
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
