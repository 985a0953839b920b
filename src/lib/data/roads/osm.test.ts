import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KejimapError } from '../../engine/errors';
import { buildModeGraphFromWays } from './mode-graph';
import { onewayOf, osmToRoadNetwork } from './osm-ways';
import { parseOsmXml } from './osm-xml';
import { arcOf, dijkstraS, graphProblems, nodeAt } from './testing';

const fixture = readFileSync(path.resolve(__dirname, '../../../../tests/fixtures/roads/small.osm'));

// Hand maths: every fixture segment is 0.001 degree at the equator,
// L = 6371008.8 m * pi / 180 * 0.001 = 111.19508 m (along lat 0.001 the cosine factor differs by 1.5e-10).
const L = 111.19508;
const S = {
	walk: 88.95606, // L / 1.25 m/s
	cycle: 33.35852, // L / (12 km/h)
	cycleFootway: 80.06046, // L / (5 km/h)
	driveResidential: 20.01511, // L / (20 km/h)
	drivePrimary: 10.00756, // L / (40 km/h)
	driveTertiary: 13.34341, // L / (30 km/h)
	driveMotorway: 5.00378 // L / (80 km/h)
};
const at: Record<number, [number, number]> = {
	1: [0, 0],
	2: [0.001, 0],
	3: [0.002, 0],
	4: [0.002, 0.001],
	5: [0.001, 0.001],
	6: [0, 0.001],
	8: [0.001, 0.002],
	9: [0.002, 0.002]
};

describe('parseOsmXml', () => {
	const osm = parseOsmXml(fixture, { file: 'small.osm' });
	it('reads nodes, ways, bounds and only the routing tags', () => {
		expect(Array.from(osm.nodeIds)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
		expect(osm.lon[6]).toBe(0.003);
		expect(osm.lat[7]).toBe(0.002);
		expect(osm.bounds).toEqual({ minLon: -0.0005, minLat: -0.0005, maxLon: 0.0025, maxLat: 0.0025 });
		expect(osm.ways.map((w) => w.id)).toEqual([101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111]);
		expect(osm.ways[0]).toEqual({ id: 101, refs: [1, 2, 3], tags: { highway: 'residential' } }); // name dropped
		expect(osm.ways[7].tags).toEqual({ highway: 'footway', foot: 'yes', bicycle: 'no' });
		expect(osm.ways[9].tags).toEqual({}); // building: no routing tag
	});
	it('gives the same result from text and from bytes', () => {
		expect(parseOsmXml(fixture.toString('utf8'))).toEqual(osm);
	});
	it('names the file and line of malformed input', () => {
		const bad = '<osm>\n<node id="1" lat="95" lon="0"/>\n</osm>';
		expect(() => parseOsmXml(bad, { file: 'bad.osm' })).toThrow(/bad\.osm, line 2: node 1: lon\/lat 0, 95 are not WGS84/);
		expect(() => parseOsmXml('<osm><node id="1" lat="0" lon="0"></osm>', { file: 'x.osm' })).toThrow(KejimapError);
		expect(() => parseOsmXml('{"type":"FeatureCollection"}', { file: 'y.osm' })).toThrow(/y\.osm/);
	});
});

describe('onewayOf', () => {
	it('reads explicit and implied one-way tags', () => {
		expect(onewayOf({ oneway: 'yes' })).toBe(1);
		expect(onewayOf({ oneway: 'true' })).toBe(1);
		expect(onewayOf({ oneway: '1' })).toBe(1);
		expect(onewayOf({ oneway: '-1' })).toBe(-1);
		expect(onewayOf({ oneway: 'no', junction: 'roundabout' })).toBe(0);
		expect(onewayOf({ junction: 'roundabout' })).toBe(1);
		expect(onewayOf({ highway: 'motorway' })).toBe(1);
		expect(onewayOf({ highway: 'primary' })).toBe(0);
		expect(onewayOf({ oneway: 'reversible' })).toBe('reversible');
	});
});

describe('OSM fixture -> graphs per mode (hand-computed)', () => {
	const osm = parseOsmXml(fixture);
	const { network, report } = osmToRoadNetwork(osm, { clipToBounds: true });

	it('clips at <bounds> and counts what it left out', () => {
		expect(report.highwayWays).toBe(10);
		expect(report.nonHighwayWays).toBe(1);
		expect(report.clip).toMatchObject({ nodesOutside: 1, segmentsDropped: 1, waysOutside: 1, waysPartlyClipped: 0 });
		expect(report.roadWays).toBe(9); // way 107 lies outside once 3-7 is cut
		expect(report.nodesUsed).toBe(8); // node 7 is gone
	});

	it('walk: 7 links both ways, motorway / private / area left out', () => {
		const { graph: g, report: r } = buildModeGraphFromWays(network, 'walk');
		expect(graphProblems(g)).toEqual([]);
		expect(g.symmetric).toBe(true);
		expect([g.nodeCount, g.arcCount]).toEqual([7, 14]);
		expect(r.excludedWays).toEqual({ 'class=motorway': 1, 'access=private': 1, 'area=yes': 1 });
		expect(nodeAt(g, ...at[6])).toBe(-1);
		const n = (k: number) => nodeAt(g, ...at[k]);
		expect(arcOf(g, n(1), n(2))!.weightS).toBeCloseTo(S.walk, 3);
		expect(arcOf(g, n(2), n(1))!.weightS).toBeCloseTo(S.walk, 3);
		expect(arcOf(g, n(4), n(3))!.lengthM).toBeCloseTo(L, 3); // one-way does not bind walkers
		expect(dijkstraS(g, n(1))[n(8)]).toBeCloseTo(3 * S.walk, 2); // 1-2-5-8
		expect(r.roadKm).toBeCloseTo((7 * L) / 1000, 5);
		expect(r.componentsFinal.count).toBe(1);
	});

	it('cycle: bicycle=no footway left out, footway pushed at 5 km/h', () => {
		const { graph: g, report: r } = buildModeGraphFromWays(network, 'cycle');
		expect(graphProblems(g)).toEqual([]);
		expect([g.nodeCount, g.arcCount]).toEqual([6, 12]);
		expect(r.excludedWays).toEqual({ 'class=motorway': 1, 'access=private': 1, 'area=yes': 1, 'bicycle=no': 1 });
		const n = (k: number) => nodeAt(g, ...at[k]);
		expect(arcOf(g, n(2), n(3))!.weightS).toBeCloseTo(S.cycle, 3);
		expect(arcOf(g, n(5), n(2))!.weightS).toBeCloseTo(S.cycleFootway, 3);
		// 1 -> 5: via footway 2-5 (33.36 + 80.06) beats 1-2-3-4-5 (4 x 33.36 = 133.43)
		expect(dijkstraS(g, n(1))[n(5)]).toBeCloseTo(S.cycle + S.cycleFootway, 2);
	});

	it('drive: one-way, reverse one-way, roundabout and implied motorway one-way', () => {
		const { graph: g, report: r } = buildModeGraphFromWays(network, 'drive');
		expect(graphProblems(g)).toEqual([]);
		expect(g.symmetric).toBe(false);
		expect([g.nodeCount, g.arcCount]).toEqual([7, 8]);
		expect(r.excludedWays).toEqual({ 'class=footway': 2, 'access=private': 1, 'area=yes': 1 });
		expect(r.oneWayLinks).toBe(4);
		const n = (k: number) => nodeAt(g, ...at[k]);
		expect(arcOf(g, n(3), n(4))!.weightS).toBeCloseTo(S.drivePrimary, 3);
		expect(arcOf(g, n(4), n(3))).toBeNull();
		expect(arcOf(g, n(5), n(4))!.weightS).toBeCloseTo(S.driveResidential, 3);
		expect(arcOf(g, n(4), n(5))).toBeNull();
		expect(arcOf(g, n(4), n(9))!.weightS).toBeCloseTo(S.driveTertiary, 3);
		expect(arcOf(g, n(9), n(4))).toBeNull();
		expect(arcOf(g, n(5), n(6))!.weightS).toBeCloseTo(S.driveMotorway, 3);
		expect(arcOf(g, n(6), n(5))).toBeNull();
		const from1 = dijkstraS(g, n(1));
		expect(from1[n(9)]).toBeCloseTo(2 * S.driveResidential + S.drivePrimary + S.driveTertiary, 2);
		expect(from1[n(5)]).toBe(Infinity); // 4 -> 5 is against the one-way
		expect(dijkstraS(g, n(5))[n(1)]).toBe(Infinity); // 6-1 is private
		expect(r.componentsFinal.count).toBe(1); // weakly connected
	});

	it('without clipping keeps the segment to node 7', () => {
		const free = osmToRoadNetwork(osm);
		expect(free.report.clip).toBeNull();
		const { graph: g } = buildModeGraphFromWays(free.network, 'walk');
		expect([g.nodeCount, g.arcCount]).toEqual([8, 16]);
	});

	it('refuses clipToBounds on a file without <bounds>', () => {
		const noBounds = { ...osm, bounds: null };
		expect(() => osmToRoadNetwork(noBounds, { clipToBounds: true, file: 'nb.osm' })).toThrow(/nb\.osm: network.clipToBounds is set/);
	});

	it('splits ways at missing nodes and counts them', () => {
		const holes = { ...osm, ways: [{ id: 1, refs: [1, 2, 999, 3, 4], tags: { highway: 'residential' } }] };
		const r = osmToRoadNetwork(holes);
		expect(r.report.missingNodeRefs).toBe(1);
		expect(r.network.ways.map((w) => Array.from(w.refs).length)).toEqual([2, 2]);
	});
});
