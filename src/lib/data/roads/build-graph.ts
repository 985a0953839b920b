/**
 * Roads stage of the pipeline (Node): region manifest -> one routing graph per mode + a JSON-able report.
 * The work is done by pure functions (readers, osmToRoadNetwork, buildModeGraphFromWays in ./mode-graph);
 * this file only reads files and inflates PBF blobs with Node, so the browser importer imports those
 * pure modules directly, not this one.
 */
import { KejimapError } from '../../engine/errors';
import { toWgs84 } from '../../engine/geo/crs';
import type { Crs, RegionManifest } from '../../engine/region';
import { MODES, type CsrGraph, type Mode } from '../../engine/types';
import { readBinaryFile } from '../node/files';
import type { Log, ResolvePath } from '../source';
import { parseGeojsonGraph, type GeojsonGraphReport } from './geojson-graph';
import { buildModeGraphFromWays } from './mode-graph';
import { nodeInflate } from './node-inflate';
import { parseOsmPbf } from './osm-pbf';
import { osmToRoadNetwork, type OsmConvertReport } from './osm-ways';
import { parseOsmXml } from './osm-xml';
import type { LonLatBounds, ModeGraphReport, RoadNetwork } from './types';

export { buildModeGraphFromWays } from './mode-graph';

export type ReadFile = (absPath: string) => Uint8Array | ArrayBuffer;

export interface RoadsReport {
	format: 'osm-xml' | 'osm-pbf' | 'geojson-graph' | null; // null = the region has no network
	files: string[];
	crs: Crs;
	bridgeGapM: number;
	minComponentNodes: number;
	/** what the reader found: OSM files give node/way counts, bounds and clipping; GeoJSON graphs give edge counts */
	osm?: OsmConvertReport & { bounds: LonLatBounds | null };
	geojson?: GeojsonGraphReport;
	networkNodes: number; // nodes of the source-neutral network (before per-mode filtering)
	networkWays: number;
	modes: Partial<Record<Mode, ModeGraphReport>>;
	readMs: number;
	totalMs: number;
}

function bytesOf(b: Uint8Array | ArrayBuffer): Uint8Array {
	return b instanceof Uint8Array ? b : new Uint8Array(b);
}

function km(x: number): string {
	return x.toFixed(1);
}

/** Build the routing graphs of every mode the manifest asks for (default: walk, cycle, drive). */
export function buildModeGraphs(
	manifest: RegionManifest,
	resolvePath: ResolvePath,
	log: Log,
	readFile: ReadFile = (p) => readBinaryFile(p, 'road network')
): { graphs: Partial<Record<Mode, CsrGraph>>; report: RoadsReport } {
	const t0 = performance.now();
	const net = manifest.network;
	const modes = manifest.networkModes ?? [...MODES];
	const crs: Crs = net?.crs ?? 'wgs84';
	const report: RoadsReport = {
		format: net?.format ?? null,
		files: [],
		crs,
		bridgeGapM: net?.bridgeGapM ?? 0,
		minComponentNodes: net?.minComponentNodes ?? 0,
		networkNodes: 0,
		networkWays: 0,
		modes: {},
		readMs: 0,
		totalMs: 0
	};
	if (!net) {
		log('roads: the region has no road network (radius method only)');
		return { graphs: {}, report };
	}

	let network: RoadNetwork;
	if (net.format === 'geojson-graph') {
		if (!net.nodesPath || !net.edgesPath)
			throw new KejimapError('REGION_INVALID', `${manifest.id}: network.nodesPath and network.edgesPath are required for geojson-graph`, {
				field: 'network.nodesPath'
			});
		const nodesFile = resolvePath(net.nodesPath);
		const edgesFile = resolvePath(net.edgesPath);
		report.files = [nodesFile, edgesFile];
		const r = parseGeojsonGraph(bytesOf(readFile(nodesFile)), bytesOf(readFile(edgesFile)), {
			classField: net.classField,
			directed: net.directed,
			nodesFile,
			edgesFile
		});
		network = r.network;
		report.geojson = r.report;
		log(
			`roads: ${r.report.edgesUsed} of ${r.report.edgeFeatures} edges, ${network.lon.length} nodes (${r.report.shapeNodes} shape points), ${km(r.report.geometryLengthKm)} km` +
				(Object.keys(r.report.skipped).length ? `, skipped ${JSON.stringify(r.report.skipped)}` : '')
		);
	} else {
		if (!net.path) throw new KejimapError('REGION_INVALID', `${manifest.id}: network.path is required for ${net.format}`, { field: 'network.path' });
		const file = resolvePath(net.path);
		report.files = [file];
		const bytes = bytesOf(readFile(file));
		const osm = net.format === 'osm-pbf' ? parseOsmPbf(bytes, nodeInflate, { file }) : parseOsmXml(bytes, { file });
		const r = osmToRoadNetwork(osm, { clipToBounds: net.clipToBounds, file });
		network = r.network;
		report.osm = { ...r.report, bounds: osm.bounds };
		log(
			`roads: ${osm.nodeIds.length} nodes, ${osm.ways.length} ways read; ${r.report.highwayWays} highway ways -> ${r.report.roadWays} pieces over ${r.report.nodesUsed} nodes` +
				(r.report.clip ? `; clipped to bounds: ${r.report.clip.segmentsDropped} segments outside dropped` : '') +
				(r.report.missingNodeRefs ? `; ${r.report.missingNodeRefs} refs to missing nodes` : '')
		);
	}
	if (crs !== 'wgs84')
		for (let i = 0; i < network.lon.length; i++) [network.lon[i], network.lat[i]] = toWgs84(network.lon[i], network.lat[i], crs);
	report.networkNodes = network.lon.length;
	report.networkWays = network.ways.length;
	report.readMs = Math.round(performance.now() - t0);

	const graphs: Partial<Record<Mode, CsrGraph>> = {};
	for (const mode of modes) {
		const { graph, report: r } = buildModeGraphFromWays(network, mode, { bridgeGapM: net.bridgeGapM, minComponentNodes: net.minComponentNodes });
		graphs[mode] = graph;
		report.modes[mode] = r;
		if (r.nodeCount === 0) log(`roads/${mode}: WARNING: no road of this network may be used by ${mode} (the ${mode} graph is empty)`);
		const b = r.bridging;
		log(
			`roads/${mode}: ${r.nodeCount} nodes, ${r.arcCount} arcs, ${km(r.roadKm)} km; components ${r.componentsBefore.count} (largest ${(100 * r.componentsBefore.largestShareNodes).toFixed(0)}%)` +
				(b ? ` -> ${r.componentsAfterBridging.count} after ${b.bridges} bridges (${km(b.bridgedM / 1000)} km, largest ${(100 * r.componentsAfterBridging.largestShareNodes).toFixed(0)}%)` : '') +
				(r.dropped.nodes ? `; dropped ${r.dropped.components} components < ${r.dropped.minComponentNodes} nodes (${r.dropped.nodes} nodes)` : '') +
				(Object.keys(r.excludedWays).length ? `; ways left out ${JSON.stringify(r.excludedWays)}` : '') +
				` [${r.timingMs} ms]`
		);
	}
	report.totalMs = Math.round(performance.now() - t0);
	return { graphs, report };
}
