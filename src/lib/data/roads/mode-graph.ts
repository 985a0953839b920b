/**
 * RoadNetwork -> routing graph of one mode (pure: runs in Node and in the browser importer).
 * Ways are split at every node into straight arcs (length = haversine, weight = length / class speed);
 * classes and tags a mode may not use are left out and counted; dead ends of a fragmented network are
 * bridged to the nearest point of another component (traced rural networks have gaps where imagery was
 * cloudy); tiny components can be dropped; nodes are renumbered along a Hilbert curve for locality.
 */
import Flatbush from 'flatbush';
import { buildCsr, renumberHilbert, weakComponents } from '../../engine/graph/csr';
import { haversineM, metresPerDegree } from '../../engine/geo/measure';
import { PROFILES, speedForClass, type ModeProfile } from '../../engine/modes';
import type { CsrGraph, Mode } from '../../engine/types';
import type { BridgeStats, ComponentStats, ModeGraphReport, RoadNetwork } from './types';

export interface ModeGraphOptions {
	/** join dead ends to another component closer than this (metres); 0 = no bridging */
	bridgeGapM?: number;
	/** drop components with fewer nodes than this after bridging (0 or 1 = keep all) */
	minComponentNodes?: number;
	/** speeds and access (default: PROFILES[mode]) */
	profile?: ModeProfile;
}

/** A bridge lands on an existing node when it would fall this close to it (metres). */
const SNAP_TO_NODE_M = 1;

/** Growable arc list; arcs are deduplicated by (from, to), keeping the fastest. */
class ArcStore {
	from: number[] = [];
	to: number[] = [];
	lengthM: number[] = [];
	weightS: number[] = [];
	bridge: boolean[] = [];
	duplicates = 0;
	// open-addressing hash (from, to) -> arc index + 1 (0 = empty); a JS Map of pair keys was the build's hot spot
	private table = new Int32Array(1 << 12);
	private mask = (1 << 12) - 1;
	private slot(a: number, b: number): number {
		let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b)) & this.mask;
		for (;;) {
			const k = this.table[h];
			if (k === 0 || (this.from[k - 1] === a && this.to[k - 1] === b)) return h;
			h = (h + 1) & this.mask;
		}
	}
	private grow(): void {
		const size = this.table.length * 2;
		this.table = new Int32Array(size);
		this.mask = size - 1;
		for (let i = 0; i < this.from.length; i++) this.table[this.slot(this.from[i], this.to[i])] = i + 1;
	}
	find(a: number, b: number): number {
		return this.table[this.slot(a, b)] - 1;
	}
	add(a: number, b: number, lengthM: number, weightS: number, bridge = false): void {
		const h = this.slot(a, b);
		const i = this.table[h] - 1;
		if (i >= 0) {
			this.duplicates++;
			if (weightS < this.weightS[i]) {
				this.weightS[i] = weightS;
				this.lengthM[i] = lengthM;
				this.bridge[i] = bridge;
			}
			return;
		}
		this.table[h] = this.from.length + 1;
		this.from.push(a);
		this.to.push(b);
		this.lengthM.push(lengthM);
		this.weightS.push(weightS);
		this.bridge.push(bridge);
		if (this.from.length * 2 > this.table.length) this.grow();
	}
	/** Re-point arc i (a -> old) to a -> b (used when a segment is cut for a bridge; b must be a new node). */
	retarget(i: number, b: number, lengthM: number, weightS: number): void {
		this.to[i] = b;
		this.lengthM[i] = lengthM;
		this.weightS[i] = weightS;
		// linear probing cannot delete in place: rebuild (cuts are few)
		this.table.fill(0);
		for (let j = 0; j < this.from.length; j++) this.table[this.slot(this.from[j], this.to[j])] = j + 1;
	}
	get count(): number {
		return this.from.length;
	}
}

interface WorkGraph {
	lon: number[];
	lat: number[];
	arcs: ArcStore;
}

function toCsr(mode: Mode, w: WorkGraph, symmetric: boolean, keepArc?: (i: number) => boolean): CsrGraph {
	const m = w.arcs.count;
	const from = new Uint32Array(m),
		to = new Uint32Array(m),
		weightS = new Float32Array(m),
		lengthM = new Float32Array(m);
	let k = 0;
	for (let i = 0; i < m; i++) {
		if (keepArc && !keepArc(i)) continue;
		from[k] = w.arcs.from[i];
		to[k] = w.arcs.to[i];
		weightS[k] = w.arcs.weightS[i];
		lengthM[k] = w.arcs.lengthM[i];
		k++;
	}
	return buildCsr({
		mode,
		lon: Float64Array.from(w.lon),
		lat: Float64Array.from(w.lat),
		arcs: { from, to, weightS, lengthM, count: k },
		symmetric,
		component: new Int32Array(w.lon.length) // filled by the caller with weakComponents
	});
}

const BUCKETS: [string, number][] = [
	['1', 1],
	['2-9', 9],
	['10-99', 99],
	['100-999', 999],
	['1000-9999', 9999],
	['10000+', Infinity]
];

/** Component stats; road length counts each undirected link once and leaves bridges out. */
function componentStats(w: WorkGraph, component: Int32Array, sizes: number[]): ComponentStats {
	const lengthOf = new Float64Array(sizes.length);
	let total = 0;
	const a = w.arcs;
	for (let i = 0; i < a.count; i++) {
		if (a.bridge[i]) continue;
		const rev = a.find(a.to[i], a.from[i]);
		if (rev >= 0 && a.from[i] > a.to[i]) continue; // the other direction counts it
		lengthOf[component[a.from[i]]] += a.lengthM[i];
		total += a.lengthM[i];
	}
	const histogram: Record<string, number> = {};
	for (const [name] of BUCKETS) histogram[name] = 0;
	for (const s of sizes) histogram[BUCKETS.find(([, max]) => s <= max)![0]]++;
	const n = w.lon.length;
	return {
		count: sizes.length,
		largestNodes: sizes[0] ?? 0,
		largestShareNodes: n ? (sizes[0] ?? 0) / n : 0,
		largestShareLength: total ? lengthOf[0] / total : 0,
		histogram
	};
}

function undirectedDegree(w: WorkGraph): Int32Array {
	const deg = new Int32Array(w.lon.length);
	const a = w.arcs;
	for (let i = 0; i < a.count; i++) {
		if (a.from[i] === a.to[i]) continue;
		const rev = a.find(a.to[i], a.from[i]);
		if (rev >= 0 && a.from[i] > a.to[i]) continue;
		deg[a.from[i]]++;
		deg[a.to[i]]++;
	}
	return deg;
}

interface BridgeCandidate {
	deadEnd: number;
	seg: number; // index into segA / segB
	t: number; // position on the segment, 0 = segA, 1 = segB
	distM: number;
	targetComp: number;
}

/**
 * One bridging pass: every dead end proposes the nearest point of each other component within gapM;
 * proposals are taken shortest first while they join two different groups (Kruskal), so no two
 * bridges close a cycle between components. Returns the number of bridges added.
 */
function bridgePass(w: WorkGraph, gapM: number, speedMps: number, stats: BridgeStats): number {
	const csr = toCsr('walk', w, false);
	const { component, sizes } = weakComponents(csr);
	const deg = undirectedDegree(w);
	const a = w.arcs;
	// undirected segments
	const segA: number[] = [];
	const segB: number[] = [];
	for (let i = 0; i < a.count; i++) {
		const u = a.from[i],
			v = a.to[i];
		if (u === v) continue;
		if (u > v && a.find(v, u) >= 0) continue;
		segA.push(Math.min(u, v));
		segB.push(Math.max(u, v));
	}
	if (segA.length === 0) return 0;
	let latSum = 0;
	for (const y of w.lat) latSum += y;
	const lat0 = latSum / w.lat.length;
	const { mPerDegLon, mPerDegLat } = metresPerDegree(lat0);
	const px = (i: number) => w.lon[i] * mPerDegLon;
	const py = (i: number) => w.lat[i] * mPerDegLat;
	const index = new Flatbush(segA.length);
	for (let s = 0; s < segA.length; s++) {
		const x0 = px(segA[s]),
			y0 = py(segA[s]),
			x1 = px(segB[s]),
			y1 = py(segB[s]);
		index.add(Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1));
	}
	index.finish();

	const candidates: BridgeCandidate[] = [];
	let deadEnds = 0;
	const slack = gapM * 0.02 + 1; // the local projection is not exact over a county: search a little wider, filter with haversine
	for (let d = 0; d < deg.length; d++) {
		if (deg[d] !== 1) continue;
		deadEnds++;
		const x = px(d),
			y = py(d);
		const best = new Map<number, BridgeCandidate>();
		for (const s of index.search(x - gapM - slack, y - gapM - slack, x + gapM + slack, y + gapM + slack)) {
			const c = component[segA[s]];
			if (c === component[d]) continue;
			const x0 = px(segA[s]),
				y0 = py(segA[s]);
			const dx = px(segB[s]) - x0,
				dy = py(segB[s]) - y0;
			const len2 = dx * dx + dy * dy;
			const t = len2 > 0 ? Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / len2)) : 0;
			const qLon = w.lon[segA[s]] + t * (w.lon[segB[s]] - w.lon[segA[s]]);
			const qLat = w.lat[segA[s]] + t * (w.lat[segB[s]] - w.lat[segA[s]]);
			const distM = haversineM(w.lon[d], w.lat[d], qLon, qLat);
			if (distM > gapM) continue;
			const prev = best.get(c);
			if (!prev || distM < prev.distM) best.set(c, { deadEnd: d, seg: s, t, distM, targetComp: c });
		}
		for (const cand of best.values()) candidates.push(cand);
	}
	if (stats.deadEnds === 0) stats.deadEnds = deadEnds;
	candidates.sort((p, q) => p.distM - q.distM || p.deadEnd - q.deadEnd || p.seg - q.seg);

	const parent = Int32Array.from({ length: sizes.length }, (_, i) => i);
	const find = (x: number): number => {
		while (parent[x] !== x) x = parent[x] = parent[parent[x]];
		return x;
	};
	const accepted: BridgeCandidate[] = [];
	for (const c of candidates) {
		const r1 = find(component[c.deadEnd]),
			r2 = find(c.targetComp);
		if (r1 === r2) continue;
		parent[r1] = r2;
		accepted.push(c);
	}

	// where each bridge lands: an existing end node, or a new node cutting the segment
	const landing = new Array<number>(accepted.length);
	const cuts = new Map<number, { t: number; bridges: number[] }[]>();
	accepted.forEach((c, k) => {
		const segLenM = haversineM(w.lon[segA[c.seg]], w.lat[segA[c.seg]], w.lon[segB[c.seg]], w.lat[segB[c.seg]]);
		if (c.t * segLenM <= SNAP_TO_NODE_M) landing[k] = segA[c.seg];
		else if ((1 - c.t) * segLenM <= SNAP_TO_NODE_M) landing[k] = segB[c.seg];
		else {
			const list = cuts.get(c.seg) ?? [];
			const same = list.find((x) => Math.abs(x.t - c.t) * segLenM <= SNAP_TO_NODE_M / 100);
			if (same) same.bridges.push(k);
			else list.push({ t: c.t, bridges: [k] });
			cuts.set(c.seg, list);
		}
	});
	for (const [s, list] of cuts) {
		list.sort((p, q) => p.t - q.t);
		const u = segA[s],
			v = segB[s];
		const chain = [u];
		const ts = [0];
		for (const cut of list) {
			const id = w.lon.length;
			w.lon.push(w.lon[u] + cut.t * (w.lon[v] - w.lon[u]));
			w.lat.push(w.lat[u] + cut.t * (w.lat[v] - w.lat[u]));
			for (const k of cut.bridges) landing[k] = id;
			stats.cutNodes++;
			chain.push(id);
			ts.push(cut.t);
		}
		chain.push(v);
		ts.push(1);
		stats.splitArcs++;
		// cut each direction that exists, sharing the new nodes; pieces keep the arc's speed
		for (const [from, to, forward] of [
			[u, v, true],
			[v, u, false]
		] as [number, number, boolean][]) {
			const i = a.find(from, to);
			if (i < 0) continue;
			const len = a.lengthM[i],
				wt = a.weightS[i];
			const nodes = forward ? chain : chain.slice().reverse();
			const tt = forward ? ts : ts.map((t) => 1 - t).reverse();
			a.retarget(i, nodes[1], len * (tt[1] - tt[0]), wt * (tt[1] - tt[0]));
			for (let j = 1; j + 1 < nodes.length; j++) a.add(nodes[j], nodes[j + 1], len * (tt[j + 1] - tt[j]), wt * (tt[j + 1] - tt[j]));
		}
	}
	accepted.forEach((c, k) => {
		const to = landing[k];
		const lenM = haversineM(w.lon[c.deadEnd], w.lat[c.deadEnd], w.lon[to], w.lat[to]);
		a.add(c.deadEnd, to, lenM, lenM / speedMps, true);
		a.add(to, c.deadEnd, lenM, lenM / speedMps, true);
		stats.bridgedM += lenM;
		stats.longestBridgeM = Math.max(stats.longestBridgeM, lenM);
	});
	stats.bridges += accepted.length;
	return accepted.length;
}

/** Build the routing graph of one mode from a RoadNetwork. */
export function buildModeGraphFromWays(net: RoadNetwork, mode: Mode, options: ModeGraphOptions = {}): { graph: CsrGraph; report: ModeGraphReport } {
	const t0 = performance.now();
	const profile = options.profile ?? PROFILES[mode];
	const symmetric = !profile.respectsOneway;
	// local node ids: only nodes some usable way touches
	const local = new Int32Array(net.lon.length).fill(-1);
	const w: WorkGraph = { lon: [], lat: [], arcs: new ArcStore() };
	const idOf = (i: number) => {
		if (local[i] < 0) {
			local[i] = w.lon.length;
			w.lon.push(net.lon[i]);
			w.lat.push(net.lat[i]);
		}
		return local[i];
	};
	const excludedWays: Record<string, number> = {};
	const exclude = (why: string) => (excludedWays[why] = (excludedWays[why] ?? 0) + 1);
	const byClassUsed: Record<string, number> = {};
	let waysUsed = 0;

	for (const way of net.ways) {
		const bar = way.barred?.[mode];
		if (bar) {
			exclude(bar);
			continue;
		}
		const speed = speedForClass(profile, way.roadClass);
		if (speed === null) {
			exclude(`class=${way.roadClass}`);
			continue;
		}
		if (!(speed > 0)) throw new Error(`speed for class ${way.roadClass} in mode ${mode} must be > 0`);
		if (way.roadClass) byClassUsed[way.roadClass] = speed;
		waysUsed++;
		const dir = profile.respectsOneway ? way.oneway : 0;
		for (let k = 0; k + 1 < way.refs.length; k++) {
			const r0 = way.refs[k],
				r1 = way.refs[k + 1];
			if (r0 === r1) continue; // repeated node: no segment
			const lenM = haversineM(net.lon[r0], net.lat[r0], net.lon[r1], net.lat[r1]);
			const a = idOf(r0),
				b = idOf(r1);
			if (dir >= 0) w.arcs.add(a, b, lenM, lenM / speed);
			if (dir <= 0) w.arcs.add(b, a, lenM, lenM / speed);
		}
	}

	let comps = weakComponents(toCsr(mode, w, symmetric));
	const componentsBefore = componentStats(w, comps.component, comps.sizes);

	const gapM = options.bridgeGapM ?? 0;
	let bridging: BridgeStats | null = null;
	if (gapM > 0 && w.lon.length > 0) {
		bridging = { gapM, bridges: 0, bridgedM: 0, longestBridgeM: 0, splitArcs: 0, cutNodes: 0, deadEnds: 0, passes: 0 };
		// one Kruskal pass reaches the fixed point; the loop proves it (the second pass must add nothing)
		while (bridging.passes < 5) {
			bridging.passes++;
			if (bridgePass(w, gapM, profile.defaultSpeedMps, bridging) === 0) break;
		}
		comps = weakComponents(toCsr(mode, w, symmetric));
	}
	const componentsAfterBridging = componentStats(w, comps.component, comps.sizes);

	// drop small components
	const minNodes = options.minComponentNodes ?? 0;
	const keep = new Int32Array(w.lon.length).fill(-1);
	const kept: WorkGraph = { lon: [], lat: [], arcs: new ArcStore() };
	let droppedComponents = 0;
	for (const s of comps.sizes) if (s < minNodes) droppedComponents++;
	for (let i = 0; i < w.lon.length; i++)
		if (comps.sizes[comps.component[i]] >= minNodes) {
			keep[i] = kept.lon.length;
			kept.lon.push(w.lon[i]);
			kept.lat.push(w.lat[i]);
		}
	const droppedNodes = w.lon.length - kept.lon.length;
	let droppedM = 0;
	for (let i = 0; i < w.arcs.count; i++) {
		const u = w.arcs.from[i],
			v = w.arcs.to[i];
		if (keep[u] >= 0) kept.arcs.add(keep[u], keep[v], w.arcs.lengthM[i], w.arcs.weightS[i], w.arcs.bridge[i]);
		else if (!w.arcs.bridge[i] && !(u > v && w.arcs.find(v, u) >= 0)) droppedM += w.arcs.lengthM[i];
	}

	let graph = toCsr(mode, kept, symmetric);
	const finalComps = weakComponents(graph);
	graph.component = finalComps.component;
	graph = renumberHilbert(graph).graph;
	const componentsFinal = componentStats(kept, finalComps.component, finalComps.sizes);

	let roadM = 0,
		bridgeM = 0,
		oneWayLinks = 0;
	const ka = kept.arcs;
	for (let i = 0; i < ka.count; i++) {
		const rev = ka.find(ka.to[i], ka.from[i]);
		if (rev < 0) oneWayLinks++;
		if (rev >= 0 && ka.from[i] > ka.to[i]) continue;
		if (ka.bridge[i]) bridgeM += ka.lengthM[i];
		else roadM += ka.lengthM[i];
	}

	const report: ModeGraphReport = {
		mode,
		nodeCount: graph.nodeCount,
		arcCount: graph.arcCount,
		roadKm: roadM / 1000,
		bridgeKm: bridgeM / 1000,
		waysUsed,
		excludedWays,
		oneWayLinks,
		duplicateArcs: w.arcs.duplicates,
		componentsBefore,
		componentsAfterBridging,
		componentsFinal,
		bridging,
		dropped: { minComponentNodes: minNodes, components: droppedComponents, nodes: droppedNodes, roadKm: droppedM / 1000 },
		speedsMps: { default: profile.defaultSpeedMps, byClassUsed },
		timingMs: Math.round(performance.now() - t0)
	};
	return { graph, report };
}
