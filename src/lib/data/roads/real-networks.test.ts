/**
 * The roads stage on every real network in shared/data: counts against SOURCE.md and an independent
 * union-find over the raw files, structural checks, and the property "no network time is shorter than
 * the straight line at the mode's top speed". Prints the figures the README quotes.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deserializeGraph, serializeGraph } from '../../engine/graph/serialize';
import { haversineM } from '../../engine/geo/measure';
import { PROFILES } from '../../engine/modes';
import type { NetworkSource, RegionManifest } from '../../engine/region';
import { MODES, type CsrGraph, type Mode } from '../../engine/types';
import { nodeFileSource } from '../node/files';
import { buildModeGraphs, type RoadsReport } from './build-graph';
import { dijkstraS, graphProblems } from './testing';

const dataRoot = process.env.KEJIMAP_DATA ?? path.resolve(__dirname, '../../../../../shared/data');

function manifestWith(network: NetworkSource): RegionManifest {
	return { id: 'test', name: { zh: '测试', en: 'test' }, h3Resolution: 9, network, facilities: [], attribution: [] } as unknown as RegionManifest;
}

async function build(network: NetworkSource) {
	const logs: string[] = [];
	const t0 = performance.now();
	const r = await buildModeGraphs(manifestWith(network), nodeFileSource((p) => path.resolve(dataRoot, p)), (m) => logs.push(m));
	return { ...r, logs, ms: performance.now() - t0 };
}

function mulberry32(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function topSpeedMps(mode: Mode): number {
	const p = PROFILES[mode];
	return Math.max(p.defaultSpeedMps, ...Object.values(p.speedByClassMps).filter((v): v is number => v !== null));
}

/** From random sources: every reached node is no faster than the straight line at top speed; walk/cycle reach their whole component. */
function checkTimes(g: CsrGraph, sources: number, seed: number): { pairs: number; minRatio: number; problems: string[] } {
	const rand = mulberry32(seed);
	const vmax = topSpeedMps(g.mode);
	const problems: string[] = [];
	let pairs = 0,
		minRatio = Infinity;
	for (let s = 0; s < sources; s++) {
		const src = Math.floor(rand() * g.nodeCount);
		const dist = dijkstraS(g, src);
		for (let v = 0; v < g.nodeCount; v++) {
			const reached = dist[v] < Infinity;
			if (g.symmetric && reached !== (g.component[v] === g.component[src])) problems.push(`${src}->${v}: reached ${reached}, components ${g.component[src]}/${g.component[v]}`);
			if (!reached || v === src) continue;
			const straightM = haversineM(g.lon[src], g.lat[src], g.lon[v], g.lat[v]);
			// float32 weights: allow 1e-6 relative
			if (dist[v] * vmax * (1 + 1e-6) + 1e-6 < straightM) problems.push(`${src}->${v}: ${dist[v]} s at ${vmax} m/s < ${straightM} m straight`);
			minRatio = Math.min(minRatio, (dist[v] * vmax) / Math.max(straightM, 1e-9));
			pairs++;
		}
	}
	return { pairs, minRatio, problems: problems.slice(0, 10) };
}

function checkGraphs(graphs: Partial<Record<Mode, CsrGraph>>, report: RoadsReport, name: string) {
	for (const mode of MODES) {
		const g = graphs[mode]!;
		const r = report.modes[mode]!;
		expect(graphProblems(g), `${name}/${mode}`).toEqual([]);
		expect(g.mode).toBe(mode);
		expect(g.symmetric).toBe(mode !== 'drive');
		expect([g.nodeCount, g.arcCount]).toEqual([r.nodeCount, r.arcCount]);
		// component 0 is the largest
		const sizes = new Map<number, number>();
		for (const c of g.component) sizes.set(c, (sizes.get(c) ?? 0) + 1);
		expect(sizes.size).toBe(r.componentsFinal.count);
		expect(sizes.get(0)).toBe(Math.max(...sizes.values()));
		// lengths: each link once + bridges = arc lengths, symmetric graphs hold every link twice
		if (g.symmetric) {
			let sumM = 0;
			for (const x of g.lengthM) sumM += x;
			expect(sumM / 2 / 1000).toBeCloseTo(r.roadKm + r.bridgeKm, 1);
		}
		const copy = deserializeGraph(serializeGraph(g));
		expect(copy.weightS).toEqual(g.weightS);
		expect(copy.component).toEqual(g.component);
		const t = checkTimes(g, 8, 42 + g.nodeCount);
		expect(t.problems, `${name}/${mode}`).toEqual([]);
		expect(t.pairs).toBeGreaterThan(0);
		console.log(`  ${name}/${mode}: ${t.pairs} node pairs checked, min (network time x top speed) / straight line = ${t.minRatio.toFixed(3)}`);
	}
}

function summary(name: string, report: RoadsReport, ms: number): string {
	const lines = [`${name}: built in ${ms.toFixed(0)} ms (read ${report.readMs} ms)`];
	for (const mode of MODES) {
		const r = report.modes[mode]!;
		const b = r.bridging;
		const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
		lines.push(
			`  ${mode}: ${r.nodeCount} nodes, ${r.arcCount} arcs, ${r.roadKm.toFixed(1)} km; components ${r.componentsBefore.count} ` +
				`(largest ${pct(r.componentsBefore.largestShareNodes)} of nodes, ${pct(r.componentsBefore.largestShareLength)} of km)` +
				(b
					? ` -> ${r.componentsAfterBridging.count} after ${b.bridges} bridges of ${(b.bridgedM / 1000).toFixed(2)} km (largest ${pct(r.componentsAfterBridging.largestShareNodes)} / ${pct(r.componentsAfterBridging.largestShareLength)})`
					: '') +
				`; dropped ${r.dropped.components} comps / ${r.dropped.nodes} nodes / ${r.dropped.roadKm.toFixed(2)} km; final ${r.componentsFinal.count} comps; excluded ${JSON.stringify(r.excludedWays)}; ${r.timingMs} ms`
		);
	}
	return lines.join('\n');
}

/** Components of the raw u/v graph and the largest one's share of nodes and of length_m: an independent count. */
function rawComponents(nodesFile: string, edgesFile: string) {
	const nodes = JSON.parse(readFileSync(nodesFile, 'utf8')).features as { properties: { id: number } }[];
	const edges = JSON.parse(readFileSync(edgesFile, 'utf8')).features as { properties: { u: number; v: number; length_m: number } }[];
	const parent = new Map<number, number>(nodes.map((n) => [n.properties.id, n.properties.id]));
	const find = (x: number): number => (parent.get(x) === x ? x : (parent.set(x, find(parent.get(x)!)), parent.get(x)!));
	for (const e of edges) parent.set(find(e.properties.u), find(e.properties.v));
	const size = new Map<number, number>();
	const len = new Map<number, number>();
	let total = 0;
	for (const n of nodes) size.set(find(n.properties.id), (size.get(find(n.properties.id)) ?? 0) + 1);
	const seen = new Set<string>();
	for (const e of edges) {
		// the graph counts a two-way road once: count each unordered node pair once here too
		const { u, v } = e.properties;
		const key = u < v ? `${u}|${v}` : `${v}|${u}`;
		if (seen.has(key)) continue;
		seen.add(key);
		const r = find(e.properties.u);
		len.set(r, (len.get(r) ?? 0) + e.properties.length_m);
		total += e.properties.length_m;
	}
	const biggest = [...size.entries()].sort((a, b) => b[1] - a[1])[0][0];
	return { count: size.size, nodeShare: size.get(biggest)! / nodes.length, lengthShare: len.get(biggest)! / total, pairKm: total / 1000 };
}

const SH = 'shanghai-osm-extracts';
const osmCases = [
	{ name: 'huangpu', file: `${SH}/huangpu_peoples_square_drive_osmnx.osm`, clip: false, nodes: 2958, ways: 796 },
	{ name: 'tongji', file: `${SH}/yangpu_tongji_siping_raw.osm`, clip: true, nodes: 4241, ways: 563 },
	{ name: 'shu', file: `${SH}/baoshan_shu_campus_raw.osm`, clip: true, nodes: 3958, ways: 428 }
];

describe.skipIf(!existsSync(path.join(dataRoot, SH)))('real OSM extracts (Shanghai)', () => {
	for (const c of osmCases)
		it(`${c.name}: reads ${c.nodes} nodes / ${c.ways} ways and builds three sane graphs`, async () => {
			const { graphs, report, ms } = await build({ format: 'osm-xml', path: c.file, clipToBounds: c.clip });
			console.log(summary(c.name, report, ms));
			expect(report.osm).toMatchObject({ nodesInFile: c.nodes, waysInFile: c.ways, missingNodeRefs: 0, duplicateNodeIds: 0 });
			if (c.clip) {
				const b = report.osm!.bounds!;
				expect(report.osm!.clip!.segmentsDropped).toBeGreaterThan(0);
				for (const mode of MODES) {
					const g = graphs[mode]!;
					for (let i = 0; i < g.nodeCount; i++) {
						expect(g.lon[i] >= b.minLon && g.lon[i] <= b.maxLon && g.lat[i] >= b.minLat && g.lat[i] <= b.maxLat).toBe(true);
					}
				}
				// raw exports hold footways: the walk graph is larger than the drive graph
				expect(report.modes.walk!.roadKm).toBeGreaterThan(report.modes.drive!.roadKm);
				expect(report.modes.drive!.excludedWays['class=footway']).toBeGreaterThan(0);
			} else {
				// OSMnx drive export: every way is drivable, so walk and drive share nodes and length
				expect(report.modes.walk!.nodeCount).toBe(report.modes.drive!.nodeCount);
				expect(report.modes.drive!.oneWayLinks).toBeGreaterThan(1000);
			}
			for (const mode of MODES) expect(report.modes[mode]!.nodeCount).toBeLessThanOrEqual(c.nodes);
			checkGraphs(graphs, report, c.name);
		});
});

const geoCases = [
	{
		name: 'chengdu',
		dir: 'chengdu-central-road-network-osm',
		nodes: 'chengdu_roads_nodes.geojson',
		edges: 'chengdu_roads_edges.geojson',
		net: { classField: 'highway', directed: true },
		source: { nodes: 1895, edges: 3046, km: 651.9, components: 8 }
	},
	{
		name: 'lingqiu',
		dir: 'rural-shanxi-lingqiu-road-network',
		nodes: 'lingqiu_roads_2021_nodes.geojson',
		edges: 'lingqiu_roads_2021_edges.geojson',
		net: { bridgeGapM: 50, minComponentNodes: 5 },
		source: { nodes: 11847, edges: 12593, km: 2237.3, components: 289 }
	},
	{
		name: 'xixiang',
		dir: 'rural-shaanxi-xixiang-road-network',
		nodes: 'xixiang_roads_2021_nodes.geojson',
		edges: 'xixiang_roads_2021_edges.geojson',
		net: { bridgeGapM: 50, minComponentNodes: 5 },
		source: { nodes: 13059, edges: 13738, km: 3027.8, components: 266 }
	}
];

for (const c of geoCases)
	describe.skipIf(!existsSync(path.join(dataRoot, c.dir)))(`real node+edge network: ${c.name}`, () => {
		it(`matches SOURCE.md (${c.source.nodes} nodes, ${c.source.edges} edges, ${c.source.km} km, ${c.source.components} components) and builds three sane graphs`, async () => {
			const nodesPath = `${c.dir}/${c.nodes}`,
				edgesPath = `${c.dir}/${c.edges}`;
			const { graphs, report, ms } = await build({ format: 'geojson-graph', nodesPath, edgesPath, ...c.net });
			console.log(summary(c.name, report, ms));
			const raw = rawComponents(path.join(dataRoot, nodesPath), path.join(dataRoot, edgesPath));
			const gj = report.geojson!;
			expect(gj).toMatchObject({ nodeFeatures: c.source.nodes, edgeFeatures: c.source.edges, edgesUsed: c.source.edges, unreferencedNodes: 0, skipped: {} });
			expect(gj.geometryLengthKm).toBeCloseTo(c.source.km, 0);
			if (c.name !== 'chengdu') expect(gj.givenLengthKm!).toBeCloseTo(raw.pairKm, 6); // undirected: one edge per pair
			expect(report.modes.walk!.roadKm + report.modes.walk!.dropped.roadKm).toBeCloseTo(raw.pairKm, 1);
			expect(raw.count).toBe(c.source.components);
			for (const mode of MODES) {
				const r = report.modes[mode]!;
				expect(r.componentsBefore.count).toBe(raw.count);
				expect(r.componentsBefore.largestShareLength).toBeCloseTo(raw.lengthShare, 2);
				if (r.bridging) {
					// each bridge joins two groups (Kruskal): components fall by exactly the bridge count
					expect(r.componentsAfterBridging.count).toBe(r.componentsBefore.count - r.bridging.bridges);
					expect(r.bridging.longestBridgeM).toBeLessThanOrEqual(c.net.bridgeGapM!);
					expect(r.componentsAfterBridging.largestShareLength).toBeGreaterThanOrEqual(r.componentsBefore.largestShareLength);
				} else expect(r.componentsFinal.count).toBe(raw.count);
				// every file node is in the graph, plus the shape points inside edges and the points where bridges cut a segment
				expect(r.nodeCount).toBe(c.source.nodes + gj.shapeNodes + (r.bridging?.cutNodes ?? 0) - r.dropped.nodes);
			}
			if (c.name === 'chengdu') {
				// directed drive graph: the arcs hold every directed edge once
				let driveM = 0;
				for (const x of graphs.drive!.lengthM) driveM += x;
				expect(driveM / 1000).toBeCloseTo(gj.geometryLengthKm, 0);
				expect(report.modes.drive!.oneWayLinks).toBeGreaterThan(1000);
				expect(report.modes.walk!.componentsBefore.largestShareNodes).toBeGreaterThan(0.9);
				expect(raw.nodeShare).toBeCloseTo(0.86, 2); // SOURCE.md: largest component 86% of nodes
			} else {
				expect(raw.nodeShare).toBeCloseTo(c.name === 'lingqiu' ? 0.41 : 0.65, 2); // SOURCE.md
				expect(report.modes.walk!.bridging!.bridges).toBeGreaterThan(0);
			}
			checkGraphs(graphs, report, c.name);
		});
	});
