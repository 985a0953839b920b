import { describe, expect, it } from 'vitest';
import { haversineM } from '../../engine/geo/measure';
import { DRIVE, WALK } from '../../engine/modes';
import { KejimapError } from '../../engine/errors';
import { parseGeojsonGraph } from './geojson-graph';
import { buildModeGraphFromWays } from './mode-graph';
import { arcOf, dijkstraS, graphProblems, nodeAt } from './testing';
import type { RoadNetwork, RoadWay } from './types';

const M_PER_DEG = 111195.08; // at the equator: 6371008.8 * pi / 180
const deg = (m: number) => m / M_PER_DEG;

/** Build a network from polylines given as [lon, lat] lists (shared points = shared nodes). */
function networkOf(lines: [number, number][][], roadClass: string | null = null): RoadNetwork {
	const key = new Map<string, number>();
	const lon: number[] = [];
	const lat: number[] = [];
	const ways: RoadWay[] = lines.map((pts) => ({
		roadClass,
		oneway: 0,
		refs: pts.map(([x, y]) => {
			const k = `${x},${y}`;
			if (!key.has(k)) {
				key.set(k, lon.length);
				lon.push(x);
				lat.push(y);
			}
			return key.get(k)!;
		})
	}));
	return { lon: Float64Array.from(lon), lat: Float64Array.from(lat), ways };
}

// Piece A: three nodes along the equator; piece B starts 30 m east of A's end; piece C 80 m east of B's end.
const A: [number, number][] = [
	[0, 0],
	[0.001, 0],
	[0.002, 0]
];
const bStart = 0.002 + deg(30);
const B: [number, number][] = [
	[bStart, 0],
	[bStart + 0.001, 0]
];
const cStart = bStart + 0.001 + deg(80);
const C: [number, number][] = [
	[cStart, 0],
	[cStart + 0.001, 0]
];

describe('gap bridging (synthetic)', () => {
	it('joins a 30 m gap, not an 80 m gap, with a 50 m threshold', () => {
		const { graph: g, report: r } = buildModeGraphFromWays(networkOf([A, B, C]), 'walk', { bridgeGapM: 50 });
		expect(graphProblems(g)).toEqual([]);
		expect(r.componentsBefore.count).toBe(3);
		expect(r.componentsAfterBridging.count).toBe(2);
		expect(r.bridging).toMatchObject({ gapM: 50, bridges: 1, splitArcs: 0, passes: 2 });
		expect(r.bridging!.bridgedM).toBeCloseTo(30, 2);
		const a2 = nodeAt(g, 0.002, 0),
			b0 = nodeAt(g, bStart, 0),
			c0 = nodeAt(g, cStart, 0);
		expect(arcOf(g, a2, b0)!.lengthM).toBeCloseTo(30, 2);
		expect(arcOf(g, a2, b0)!.weightS).toBeCloseTo(30 / WALK.defaultSpeedMps, 2); // 24 s
		expect(arcOf(g, b0, a2)!.weightS).toBeCloseTo(24, 2);
		expect(g.component[a2]).toBe(g.component[b0]);
		expect(g.component[c0]).not.toBe(g.component[b0]);
		expect(dijkstraS(g, nodeAt(g, 0, 0))[c0]).toBe(Infinity);
		expect(r.bridgeKm).toBeCloseTo(0.03, 5);
		expect(r.componentsAfterBridging.largestNodes).toBe(5);
	});

	it('joins nothing when the threshold is below the gap, and nothing when bridging is off', () => {
		expect(buildModeGraphFromWays(networkOf([A, B]), 'walk', { bridgeGapM: 29 }).report.bridging!.bridges).toBe(0);
		const off = buildModeGraphFromWays(networkOf([A, B]), 'walk').report;
		expect(off.bridging).toBeNull();
		expect(off.componentsAfterBridging.count).toBe(2);
	});

	it('lands a bridge mid-segment by cutting the segment (T-junction gap)', () => {
		// D runs north from a point 30 m north of the middle of A's second segment
		const D: [number, number][] = [
			[0.0015, deg(30)],
			[0.0015, deg(30) + 0.001]
		];
		const { graph: g, report: r } = buildModeGraphFromWays(networkOf([A, D]), 'walk', { bridgeGapM: 50 });
		expect(graphProblems(g)).toEqual([]);
		expect(r.bridging).toMatchObject({ bridges: 1, splitArcs: 1 });
		expect(g.nodeCount).toBe(6); // 3 + 2 + the cut point
		const mid = nodeAt(g, 0.0015, 0);
		expect(mid).toBeGreaterThanOrEqual(0);
		const a1 = nodeAt(g, 0.001, 0);
		expect(arcOf(g, a1, mid)!.lengthM).toBeCloseTo(M_PER_DEG * 0.0005, 1);
		expect(arcOf(g, a1, nodeAt(g, 0.002, 0))).toBeNull(); // replaced by the two halves
		const t = dijkstraS(g, nodeAt(g, 0, 0))[nodeAt(g, 0.0015, deg(30))];
		expect(t).toBeCloseTo((M_PER_DEG * 0.0015 + 30) / WALK.defaultSpeedMps, 1);
		expect(r.roadKm).toBeCloseTo((M_PER_DEG * 0.003) / 1000, 5); // cutting does not change road length
	});

	it('adds no redundant bridge between pieces already joined (Kruskal order)', () => {
		// E ends 20 m north of the middle of the A-B gap: 25 m from both ends, closer than the 30 m A-B gap
		const E: [number, number][] = [
			[0.002 + deg(15), deg(20)],
			[0.002 + deg(15), deg(20) + 0.001]
		];
		const { graph: g, report: r } = buildModeGraphFromWays(networkOf([A, B, E]), 'walk', { bridgeGapM: 50 });
		expect(graphProblems(g)).toEqual([]);
		expect(r.componentsBefore.count).toBe(3);
		expect(r.componentsAfterBridging.count).toBe(1);
		expect(r.bridging!.bridges).toBe(2); // E-A and E-B; the 30 m A-B bridge would close a cycle
		expect(r.bridging!.bridgedM).toBeCloseTo(50, 1);
		expect(arcOf(g, nodeAt(g, 0.002, 0), nodeAt(g, bStart, 0))).toBeNull();
	});

	it('bridges both ways at the default speed in a directed drive graph', () => {
		const net = networkOf([A, B], 'primary');
		for (const w of net.ways) w.oneway = 1;
		const { graph: g, report: r } = buildModeGraphFromWays(net, 'drive', { bridgeGapM: 50 });
		expect(graphProblems(g)).toEqual([]);
		expect(r.oneWayLinks).toBe(3);
		const a2 = nodeAt(g, 0.002, 0),
			b0 = nodeAt(g, bStart, 0);
		expect(arcOf(g, a2, b0)!.weightS).toBeCloseTo(30 / DRIVE.defaultSpeedMps, 2); // 3.6 s at 30 km/h
		expect(arcOf(g, b0, a2)!.weightS).toBeCloseTo(3.6, 2);
		expect(arcOf(g, nodeAt(g, 0.001, 0), nodeAt(g, 0.002, 0))!.weightS).toBeCloseTo((M_PER_DEG * 0.001) / DRIVE.speedByClassMps.primary!, 3);
	});

	it('drops components smaller than minComponentNodes and reports them', () => {
		const far: [number, number][] = [
			[1, 1],
			[1.001, 1]
		];
		const { graph: g, report: r } = buildModeGraphFromWays(networkOf([A, far]), 'walk', { minComponentNodes: 3 });
		expect(g.nodeCount).toBe(3);
		expect(r.dropped).toMatchObject({ minComponentNodes: 3, components: 1, nodes: 2 });
		expect(r.dropped.roadKm).toBeCloseTo(haversineM(1, 1, 1.001, 1) / 1000, 6);
		expect(r.componentsFinal.count).toBe(1);
		expect(Array.from(g.component)).toEqual([0, 0, 0]);
	});

	it('numbers components by size (0 = largest) after Hilbert renumbering', () => {
		const { graph: g, report: r } = buildModeGraphFromWays(networkOf([B, A]), 'walk');
		expect(r.componentsFinal.count).toBe(2);
		expect(r.componentsFinal.histogram).toMatchObject({ '2-9': 2 });
		expect(g.component[nodeAt(g, 0.001, 0)]).toBe(0); // A has 3 nodes
		expect(g.component[nodeAt(g, bStart, 0)]).toBe(1);
	});
});

describe('parseGeojsonGraph', () => {
	const nodes = {
		type: 'FeatureCollection',
		features: [
			[0, 0],
			[0.001, 0],
			[0.002, 0],
			[5, 5]
		].map((c, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: c }, properties: { id: i } }))
	};
	const edge = (u: number, v: number, coords: number[][] | null, props: Record<string, unknown> = {}) => ({
		type: 'Feature',
		geometry: coords ? { type: 'LineString', coordinates: coords } : null,
		properties: { u, v, ...props }
	});
	const bend = [0.0005, 0.0001];
	const edges = {
		type: 'FeatureCollection',
		features: [
			edge(0, 1, [[0, 0], bend, [0.001, 0]], { highway: 'primary', length_m: 114 }),
			edge(1, 0, [[0.001, 0], bend, [0, 0]], { highway: 'primary', length_m: 114 }), // the other direction, same shape
			edge(1, 2, [[0.002, 0], [0.0015, 0], [0.001, 0]], { highway: "['secondary', 'tertiary']" }), // drawn v -> u
			edge(2, 99, null) // unknown node
		]
	};

	it('shares shape points between the two directions, turns reversed lines, reads class lists', () => {
		const { network, report } = parseGeojsonGraph(JSON.stringify(nodes), new TextEncoder().encode(JSON.stringify(edges)), {
			classField: 'highway',
			directed: true
		});
		expect(report).toMatchObject({
			nodeFeatures: 4,
			edgeFeatures: 4,
			edgesUsed: 3,
			skipped: { 'unknown-node-id': 1 },
			unreferencedNodes: 1,
			shapeNodes: 2,
			reversedGeometry: 1,
			endpointMismatch: 0,
			classes: { primary: 2, secondary: 1 }
		});
		expect(network.lon.length).toBe(5);
		expect(network.ways.map((w) => w.roadClass)).toEqual(['primary', 'primary', 'secondary']);
		const bendLen = haversineM(0, 0, bend[0], bend[1]) + haversineM(bend[0], bend[1], 0.001, 0);
		expect(report.geometryLengthKm).toBeCloseTo((2 * bendLen + M_PER_DEG * 0.001) / 1000, 6);

		const drive = buildModeGraphFromWays(network, 'drive').graph;
		expect([drive.nodeCount, drive.arcCount]).toEqual([5, 6]); // 0<->bend<->1 both ways, 1->mid->2 one way
		expect(arcOf(drive, nodeAt(drive, 0.0015, 0), nodeAt(drive, 0.001, 0))).toBeNull();
		const walk = buildModeGraphFromWays(network, 'walk').graph;
		expect([walk.nodeCount, walk.arcCount]).toEqual([5, 8]);
		expect(graphProblems(walk)).toEqual([]);
	});

	it('names the file and feature of a missing field', () => {
		const bad = { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: null, properties: { v: 1 } }] };
		expect(() => parseGeojsonGraph(nodes, bad, { edgesFile: 'e.geojson' })).toThrow(/e\.geojson, feature 0: property "u"/);
		expect(() => parseGeojsonGraph(nodes, bad)).toThrow(KejimapError);
		expect(() => parseGeojsonGraph('{"type":"FeatureCollection","features":[{"properties":{"id":1}}]}', edges, { nodesFile: 'n.geojson' })).toThrow(
			/n\.geojson, feature 0 \(id 1\): needs a Point/
		);
		expect(() => parseGeojsonGraph('not json', edges, { nodesFile: 'n.geojson' })).toThrow(/n\.geojson: not valid JSON/);
	});
});
