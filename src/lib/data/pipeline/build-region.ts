/**
 * Build one region in memory: areas, road graphs per mode, facilities, population cells, and the files the app and
 * the CLI read (graph-<mode>.bin, cells.bin, facilities.json, areas.geojson) as bytes. Inputs come through a
 * FileSource, so the same code runs in Node (scripts/build-region.ts writes the files) and in the import worker
 * (which keeps them in IndexedDB). Nothing is written here and the manifest is never rewritten.
 */
import type { BuiltRegion } from '../../engine/built-region';
import { KejimapError } from '../../engine/errors';
import { serializeGraph } from '../../engine/graph/serialize';
import { serializeCells } from '../../engine/io/cells';
import type { RegionManifest } from '../../engine/region';
import type { CellTable, CsrGraph, Facility, Mode } from '../../engine/types';
import { loadAreas, type AreaSet } from '../areas';
import { buildElderly } from '../elderly';
import { buildFacilities } from '../facilities/build';
import { buildPopulation, type NetworkLengthPoints } from '../population/build';
import { buildModeGraphs } from '../roads/build-graph';
import type { Log } from '../source';
import { cropCells, expandBbox, type Bbox } from './crop';
import type { FileSource } from './file-source';
import { ROAD_SAMPLE_STEP_M, roadLengthPoints } from './road-weights';

/** Clinics just outside a small region still serve its edge: facilities are taken from a box 500 m wider. */
const FACILITY_MARGIN_M = 500;

export const PIPELINE_STAGES = ['areas', 'roads', 'facilities', 'population'] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

export interface BuildRegionOptions {
	/** content hash of the inputs (the Node wrapper hashes files; the worker hashes the user's bytes) */
	inputHash: string;
	log?: Log;
	/** ISO time stamp written into the region (default: now) */
	builtAt?: string;
	/** called before each stage; may throw to cancel (the worker's checkpoint) */
	beforeStage?: (stage: PipelineStage, index: number) => void | Promise<void>;
}

export interface RegionBuild {
	region: BuiltRegion;
	areas: AreaSet;
	graphs: Partial<Record<Mode, CsrGraph>>;
	facilities: Facility[];
	cells: CellTable;
	/** the region's files by name (region.files), exactly as written to data/build/<id>/ */
	files: Record<string, Uint8Array>;
}

export function bboxOfAreas(areas: AreaSet): Bbox {
	const b: Bbox = [Infinity, Infinity, -Infinity, -Infinity];
	for (const f of areas.features.features)
		for (const poly of f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates)
			for (const ring of poly)
				for (const p of ring) {
					if (p[0] < b[0]) b[0] = p[0];
					if (p[1] < b[1]) b[1] = p[1];
					if (p[0] > b[2]) b[2] = p[0];
					if (p[1] > b[3]) b[3] = p[1];
				}
	return b;
}

/** The files of a region (graph-<mode>.bin, cells.bin, facilities.json, areas.geojson), in the order their sizes are listed. */
export function encodeRegionFiles(
	data: Pick<RegionBuild, 'graphs' | 'cells' | 'facilities' | 'areas'>,
	/** planning input (data/elderly.ts), written as elderly.json when the region has it */
	elderly?: unknown
): {
	files: Record<string, Uint8Array>;
	bytes: Record<string, number>;
	graphFiles: Partial<Record<Mode, string>>;
} {
	const files: Record<string, Uint8Array> = {};
	const bytes: Record<string, number> = {};
	const encoder = new TextEncoder();
	const put = (name: string, data: string | ArrayBuffer) => {
		files[name] = typeof data === 'string' ? encoder.encode(data) : new Uint8Array(data);
		bytes[name] = files[name].byteLength;
	};
	const graphFiles: Partial<Record<Mode, string>> = {};
	for (const [mode, g] of Object.entries(data.graphs) as [Mode, CsrGraph][]) {
		graphFiles[mode] = `graph-${mode}.bin`;
		put(graphFiles[mode]!, serializeGraph(g));
	}
	put('cells.bin', serializeCells(data.cells));
	put('facilities.json', JSON.stringify(data.facilities));
	put('areas.geojson', JSON.stringify(data.areas.features));
	if (elderly) put('elderly.json', JSON.stringify(elderly));
	return { files, bytes, graphFiles };
}

export async function buildRegionInMemory(manifest: RegionManifest, source: FileSource, opts: BuildRegionOptions): Promise<RegionBuild> {
	const log = opts.log ?? (() => {});
	const id = manifest.id;
	const t0 = performance.now();
	let stageIndex = 0;
	const step = async (name: PipelineStage) => {
		await opts.beforeStage?.(name, stageIndex++);
		const s = performance.now();
		log(`[${id}] ${name} ...`);
		return () => log(`[${id}] ${name} done in ${((performance.now() - s) / 1000).toFixed(1)} s`);
	};
	const reports: Record<string, unknown> = {};

	let done = await step('areas');
	const { areaSet, derived } = await loadAreas(manifest, source);
	if (derived) reports.areasDerived = derived;
	done();

	const graphs: Partial<Record<Mode, CsrGraph>> = {};
	done = await step('roads');
	if (manifest.network) {
		const r = await buildModeGraphs(manifest, source, log);
		Object.assign(graphs, r.graphs);
		reports.roads = r.report;
	}
	done();

	done = await step('facilities');
	const facManifest = manifest.bbox ? { ...manifest, bbox: expandBbox(manifest.bbox, FACILITY_MARGIN_M) } : manifest;
	const fac = await buildFacilities(facManifest, source, areaSet, log);
	reports.facilities = fac.report;
	done();

	done = await step('population');
	let networkLengthPoints: NetworkLengthPoints | undefined;
	const roadGraph = graphs.walk ?? graphs.cycle ?? graphs.drive;
	if (roadGraph)
		networkLengthPoints = (weight, label) => {
			const r = roadLengthPoints(roadGraph, weight, label);
			reports.roadWeights = { points: r.points.length, stepM: ROAD_SAMPLE_STEP_M };
			return r;
		};
	else if (manifest.population.method === 'census-weights' && manifest.population.weights.some((w) => w.kind === 'network-length'))
		throw new KejimapError('REGION_INVALID', `${id}: field "population.weights" uses "network-length", which needs a road network ("network" is null)`, { field: 'population.weights' });
	const pop = await buildPopulation(manifest, source, areaSet, log, networkLengthPoints);
	let cells = pop.cells;
	reports.population = pop.report;
	if (manifest.bbox) {
		const c = cropCells(cells, manifest.bbox);
		cells = c.cells;
		reports.crop = { bbox: manifest.bbox, cellsDropped: c.dropped, populationOutsideBbox: c.droppedPopulation, cellsKept: cells.count };
		if (cells.count === 0)
			throw new KejimapError('FILE_EMPTY', `${id}: field "bbox" [${manifest.bbox.join(', ')}] holds none of the ${c.dropped} population cells of the areas; check the bbox (west, south, east, north)`, {
				field: 'bbox'
			});
	}
	// 0 people (a raster of zeros, census totals of 0) would print "pass" or NaN% in every row
	const totalPopulation = cells.population.reduce((s, x) => s + x, 0);
	if (!(totalPopulation > 0) || !Number.isFinite(totalPopulation))
		throw new KejimapError('FILE_EMPTY', `${id}: the population source gives ${totalPopulation} people in the areas; coverage shares would be meaningless`, { field: 'population' });
	done();

	// planning inputs (optional): elderly care homes and the 60+ share per area
	const elderly = manifest.elderly ? await buildElderly(manifest.elderly, source, areaSet.areas.map((a) => a.id), manifest.bbox) : null;
	if (elderly) reports.elderly = elderly.report;

	const { files, bytes, graphFiles } = encodeRegionFiles({ graphs, cells, facilities: fac.facilities, areas: areaSet }, elderly?.data);
	const region: BuiltRegion = {
		formatVersion: 1,
		id,
		name: manifest.name,
		manifest,
		inputHash: opts.inputHash,
		builtAt: opts.builtAt ?? new Date().toISOString(),
		bbox: manifest.bbox ?? bboxOfAreas(areaSet),
		files: { graphs: graphFiles, cells: 'cells.bin', facilities: 'facilities.json', areas: 'areas.geojson', ...(elderly ? { elderly: 'elderly.json' } : {}) },
		areas: areaSet.areas,
		areaLevel: manifest.areas.level,
		hasNetwork: Object.keys(graphs).length > 0,
		populationMethod: cells.populationMethod,
		populationLabel: manifest.population.label,
		modelledFacilities: manifest.facilities.filter((f) => f.modelled && f.role === 'facilities').map((f) => f.label),
		reports,
		bytes
	};
	log(`[${id}] built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
	return { region, areas: areaSet, graphs, facilities: fac.facilities, cells, files };
}
