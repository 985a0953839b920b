/**
 * OSM nodes + ways -> RoadNetwork: keeps `highway=*` ways, reads per-mode access and one-way tags,
 * clips to `<bounds>` (raw exports carry member ways far outside the export box) and splits ways where
 * nodes are missing or outside. Every way or segment left out is counted in the report.
 */
import { KejimapError } from '../../engine/errors';
import type { Mode } from '../../engine/types';
import type { LonLatBounds, OsmData, OsmWay, RoadNetwork, RoadWay } from './types';

/** `highway` values that are not travelled roads (or are dead): never routed, whatever the mode. */
const NOT_A_ROAD = new Set(['abandoned', 'disused', 'razed', 'planned', 'no', 'bus_stop', 'platform', 'services', 'rest_area', 'emergency_bay', 'elevator']);

/** Most specific tag first: a foot=yes on an access=private way lets walkers through. */
const ACCESS_KEYS: Record<Mode, string[]> = {
	walk: ['foot', 'access'],
	cycle: ['bicycle', 'vehicle', 'access'],
	drive: ['motorcar', 'motor_vehicle', 'vehicle', 'access']
};
const DENIED = new Set(['no', 'private']);

export interface OsmConvertReport {
	nodesInFile: number;
	waysInFile: number;
	highwayWays: number;
	nonHighwayWays: number; // buildings, landuse... (not roads, not counted as excluded)
	duplicateNodeIds: number;
	missingNodeRefs: number; // refs to nodes absent from the file (the way is split there)
	waysMissingNodes: number;
	clip: {
		bounds: LonLatBounds;
		nodesOutside: number; // distinct highway nodes outside the box
		segmentsDropped: number;
		waysPartlyClipped: number;
		waysOutside: number; // highway ways with no segment inside
	} | null;
	roadWays: number; // RoadWay pieces produced (a clipped way may give several)
	nodesUsed: number;
}

export interface OsmConvertOptions {
	clipToBounds?: boolean;
	file?: string;
}

/** Per-mode bar from access tags, or undefined when the mode may use the way. */
function accessBar(tags: Record<string, string>, mode: Mode): string | undefined {
	for (const k of ACCESS_KEYS[mode]) {
		const v = tags[k];
		if (v === undefined) continue;
		return DENIED.has(v) ? `${k}=${v}` : undefined;
	}
	return undefined;
}

/** One-way for cars: 1 along the way, -1 against, 0 both; 'reversible' when it changes with the hour. */
export function onewayOf(tags: Record<string, string>): 0 | 1 | -1 | 'reversible' {
	const v = tags.oneway;
	if (v === 'yes' || v === 'true' || v === '1') return 1;
	if (v === '-1' || v === 'reverse') return -1;
	if (v === 'reversible' || v === 'alternating') return 'reversible';
	if (v === 'no' || v === 'false' || v === '0') return 0;
	// implied one-way (OSM wiki, as in OSRM's car profile)
	if (tags.junction === 'roundabout' || tags.junction === 'circular' || tags.highway === 'motorway') return 1;
	return 0;
}

function barsOf(way: OsmWay): Partial<Record<Mode, string>> | undefined {
	const t = way.tags;
	const bars: Partial<Record<Mode, string>> = {};
	let any = false;
	const all = t.area === 'yes' ? 'area=yes' : NOT_A_ROAD.has(t.highway) ? `highway=${t.highway}` : undefined;
	for (const m of ['walk', 'cycle', 'drive'] as Mode[]) {
		const bar = all ?? accessBar(t, m) ?? (m === 'drive' && onewayOf(t) === 'reversible' ? `oneway=${t.oneway}` : undefined);
		if (bar) {
			bars[m] = bar;
			any = true;
		}
	}
	return any ? bars : undefined;
}

export function osmToRoadNetwork(osm: OsmData, options: OsmConvertOptions = {}): { network: RoadNetwork; report: OsmConvertReport } {
	const file = options.file ?? 'OSM file';
	const indexOf = new Map<number, number>();
	let duplicateNodeIds = 0;
	for (let i = 0; i < osm.nodeIds.length; i++) {
		if (indexOf.has(osm.nodeIds[i])) duplicateNodeIds++;
		indexOf.set(osm.nodeIds[i], i); // the later version wins, as in an OSM change sequence
	}
	let bounds: LonLatBounds | null = null;
	if (options.clipToBounds) {
		if (!osm.bounds)
			throw new KejimapError('FILE_MALFORMED', `${file}: network.clipToBounds is set but the file has no <bounds> element`, { file, field: 'network.clipToBounds' });
		bounds = osm.bounds;
	}
	const inside = (i: number) =>
		!bounds || (osm.lon[i] >= bounds.minLon && osm.lon[i] <= bounds.maxLon && osm.lat[i] >= bounds.minLat && osm.lat[i] <= bounds.maxLat);

	const newIndex = new Int32Array(osm.nodeIds.length).fill(-1);
	const lon: number[] = [];
	const lat: number[] = [];
	const use = (i: number): number => {
		if (newIndex[i] < 0) {
			newIndex[i] = lon.length;
			lon.push(osm.lon[i]);
			lat.push(osm.lat[i]);
		}
		return newIndex[i];
	};

	const ways: RoadWay[] = [];
	const outsideNodes = new Set<number>();
	let highwayWays = 0,
		nonHighwayWays = 0,
		missingNodeRefs = 0,
		waysMissingNodes = 0,
		segmentsDropped = 0,
		waysPartlyClipped = 0,
		waysOutside = 0;

	for (const w of osm.ways) {
		if (!w.tags.highway) {
			nonHighwayWays++;
			continue;
		}
		highwayWays++;
		const cls = w.tags.highway;
		const onewayRaw = onewayOf(w.tags);
		const oneway = onewayRaw === 'reversible' ? 0 : onewayRaw;
		const barred = barsOf(w);
		const idx = w.refs.map((r) => indexOf.get(r) ?? -1);
		const missing = idx.filter((i) => i < 0).length;
		if (missing) {
			missingNodeRefs += missing;
			waysMissingNodes++;
		}
		for (const i of idx) if (i >= 0 && !inside(i)) outsideNodes.add(i);
		// runs of consecutive usable segments
		let run: number[] = [];
		let kept = 0,
			dropped = 0;
		const flush = () => {
			if (run.length >= 2) ways.push({ refs: run.map(use), roadClass: cls, oneway, barred, sourceId: w.id });
			run = [];
		};
		for (let k = 0; k + 1 < idx.length; k++) {
			const a = idx[k],
				b = idx[k + 1];
			const ok = a >= 0 && b >= 0 && inside(a) && inside(b);
			if (ok) {
				if (run.length === 0) run.push(a);
				run.push(b);
				kept++;
			} else {
				if (a >= 0 && b >= 0) dropped++;
				flush();
			}
		}
		flush();
		segmentsDropped += dropped;
		if (bounds && dropped > 0) {
			if (kept > 0) waysPartlyClipped++;
			else waysOutside++;
		}
	}
	const network: RoadNetwork = { lon: Float64Array.from(lon), lat: Float64Array.from(lat), ways };
	const report: OsmConvertReport = {
		nodesInFile: osm.nodeIds.length,
		waysInFile: osm.ways.length,
		highwayWays,
		nonHighwayWays,
		duplicateNodeIds,
		missingNodeRefs,
		waysMissingNodes,
		clip: bounds ? { bounds, nodesOutside: outsideNodes.size, segmentsDropped, waysPartlyClipped, waysOutside } : null,
		roadWays: ways.length,
		nodesUsed: lon.length
	};
	return { network, report };
}
