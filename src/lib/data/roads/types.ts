/**
 * Road data between the readers (OSM XML / PBF, node+edge GeoJSON) and the per-mode graph builder.
 * Pure data: no Node or DOM types, so the browser importer reuses every reader.
 */
import type { Mode } from '../../engine/types';

/** [west, south, east, north] in WGS84 degrees, as in an OSM `<bounds>` element. */
export interface LonLatBounds {
	minLon: number;
	minLat: number;
	maxLon: number;
	maxLat: number;
}

export interface OsmWay {
	id: number;
	refs: number[]; // OSM node ids, in way order
	tags: Record<string, string>; // only the keys the router reads (see OSM_ROUTING_TAGS)
}

/** Nodes and ways of an OSM file (relations are not read: routing needs none). Ids are OSM ids (< 2^53). */
export interface OsmData {
	bounds: LonLatBounds | null;
	nodeIds: Float64Array;
	lon: Float64Array;
	lat: Float64Array;
	ways: OsmWay[];
}

/** The way tags kept by the readers; the rest (names, lanes, surfaces...) is not needed for travel times. */
export const OSM_ROUTING_TAGS: readonly string[] = [
	'highway',
	'oneway',
	'junction',
	'access',
	'foot',
	'bicycle',
	'motor_vehicle',
	'motorcar',
	'vehicle',
	'area'
];

/** One road polyline over node indices of a RoadNetwork. Consecutive refs are one straight segment. */
export interface RoadWay {
	refs: ArrayLike<number>; // indices into RoadNetwork.lon / lat
	roadClass: string | null; // OSM highway value, or null when the source has no class
	/** 1 = one-way along refs, -1 = one-way against refs, 0 = both ways. Only modes that respect one-way read it. */
	oneway: 0 | 1 | -1;
	/** modes barred by the way's own tags, with the reason (e.g. { drive: 'access=private' }) */
	barred?: Partial<Record<Mode, string>>;
	sourceId?: number; // OSM way id or edge feature index, for messages
}

/** A source-neutral road network: node coordinates (WGS84) and polylines over them. */
export interface RoadNetwork {
	lon: Float64Array;
	lat: Float64Array;
	ways: RoadWay[];
}

/** Size histogram of weak components, by node count. */
export interface ComponentStats {
	count: number;
	largestNodes: number;
	largestShareNodes: number; // 0..1 of the graph's nodes
	largestShareLength: number; // 0..1 of the graph's road length (one direction per link)
	/** components by node count: "1", "2-9", "10-99", "100-999", "1000-9999", "10000+" */
	histogram: Record<string, number>;
}

export interface BridgeStats {
	gapM: number;
	bridges: number;
	bridgedM: number; // total straight-line length of the bridges (one direction)
	longestBridgeM: number;
	splitArcs: number; // road segments cut so a bridge could land mid-segment
	cutNodes: number; // nodes added where those cuts fall
	deadEnds: number; // dead-end nodes considered (first pass)
	passes: number; // bridging passes run; the last one adds nothing (fixed point)
}

export interface ModeGraphReport {
	mode: Mode;
	nodeCount: number;
	arcCount: number;
	roadKm: number; // length of the road links kept (each link once, whatever its directions), bridges excluded
	bridgeKm: number;
	waysUsed: number;
	/** ways not used by this mode, by reason ("class=motorway", "access=private", "foot=no", "area=yes"...) */
	excludedWays: Record<string, number>;
	oneWayLinks: number; // links usable in one direction only (drive)
	duplicateArcs: number; // parallel arcs between the same two nodes merged (shortest kept)
	componentsBefore: ComponentStats;
	componentsAfterBridging: ComponentStats;
	componentsFinal: ComponentStats;
	bridging: BridgeStats | null;
	dropped: { minComponentNodes: number; components: number; nodes: number; roadKm: number };
	speedsMps: { default: number; byClassUsed: Record<string, number> };
	timingMs: number;
}
