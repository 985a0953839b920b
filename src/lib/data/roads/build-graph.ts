/**
 * Roads stage of the pipeline: region manifest -> one routing graph per mode + a JSON-able report, reading the
 * network through a FileSource (Node files or the user's file in the worker).
 */
import { KejimapError } from '../../engine/errors';
import { toWgs84 } from '../../engine/geo/crs';
import type { Crs, RegionManifest } from '../../engine/region';
import { MODES, type CsrGraph, type Mode } from '../../engine/types';
import type { FileSource } from '../pipeline/file-source';
import type { Log } from '../source';
import { parseGeojsonGraph, type GeojsonGraphReport } from './geojson-graph';
import { buildModeGraphFromWays } from './mode-graph';
import { inflateZlib } from './inflate';
import { parseOsmPbf } from './osm-pbf';
import { osmToRoadNetwork, type OsmConvertReport } from './osm-ways';
import { parseOsmXml } from './osm-xml';
import type { LonLatBounds, ModeGraphReport, RoadNetwork } from './types';

export { buildModeGraphFromWays } from './mode-graph';

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

function km(x: number): string {
	return x.toFixed(1);
}

/** Build the routing graphs of every mode the manifest asks for (default: walk, cycle, drive). */
export async function buildModeGraphs(
	manifest: Pick<RegionManifest, 'id' | 'network' | 'networkModes'>,
	files: FileSource,
	log: Log
): Promise<{ graphs: Partial<Record<Mode, CsrGraph>>; report: RoadsReport }> {
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
		const nodesFile = files.label(net.nodesPath);
		const edgesFile = files.label(net.edgesPath);
		report.files = [nodesFile, edgesFile];
		const r = parseGeojsonGraph(await files.bytes(net.nodesPath, 'road network'), await files.bytes(net.edgesPath, 'road network'), {
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
		const file = files.label(net.path);
		report.files = [file];
		const bytes = await files.bytes(net.path, 'road network');
		const osm = net.format === 'osm-pbf' ? parseOsmPbf(bytes, inflateZlib, { file }) : parseOsmXml(bytes, { file });
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
