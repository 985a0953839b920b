/**
 * SYNTHETIC data for benchmarks and tests — not a real place, not real facilities.
 *
 * A city-like walking graph: a jittered street grid (about 62 m blocks) with some streets missing and a
 * few diagonal shortcuts, about 3.4 directed arcs per node (the performance-notes graph: 5.1 M arcs on
 * 1.5 M nodes), weights in integer seconds at walking speed, symmetric. Coordinates sit around a fake
 * origin in the Pacific Ocean (160 E, 31 N: Shanghai's latitude, so metres per degree are realistic)
 * so a synthetic graph can never be mistaken for a Chinese city. Deterministic for a given seed.
 */
import { buildCsr, renumberHilbert, type CsrInput } from './graph/csr';
import { haversineM, metresPerDegree } from './geo/measure';
import type { FacilitySeed } from './routing/shortest-paths';
import type { CsrGraph } from './types';

export const SYNTHETIC_LABEL = 'synthetic city (generated; not real data) / 合成城市（生成数据，非真实）';

export interface SyntheticCityOptions {
	nodes?: number; // default 1,500,000
	seed?: number; // default 1
	blockM?: number; // grid spacing, default 62 m (about 700 nodes within a 15-minute walk)
	walkSpeedMps?: number; // default 1.25
	keepStreetShare?: number; // share of grid streets present, default 0.83
	diagonalShare?: number; // share of blocks crossed by a diagonal shortcut, default 0.04
	originLon?: number;
	originLat?: number;
}

/** mulberry32: small, fast, deterministic PRNG in [0, 1). */
export function createSeededRng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** The synthetic city as an arc list (row-major node ids, before renumbering): input for buildCsr. */
export function generateSyntheticArcs(opts: SyntheticCityOptions = {}): CsrInput {
	const n = opts.nodes ?? 1_500_000;
	const rng = createSeededRng(opts.seed ?? 1);
	const blockM = opts.blockM ?? 62;
	const speed = opts.walkSpeedMps ?? 1.25;
	const keep = opts.keepStreetShare ?? 0.83;
	const diag = opts.diagonalShare ?? 0.04;
	const lon0 = opts.originLon ?? 160;
	const lat0 = opts.originLat ?? 31;
	const W = Math.max(1, Math.ceil(Math.sqrt(n)));
	const { mPerDegLon, mPerDegLat } = metresPerDegree(lat0);

	// metres in a local frame, then degrees
	const xM = new Float64Array(n),
		yM = new Float64Array(n);
	const lon = new Float64Array(n),
		lat = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		const gx = i % W,
			gy = (i - gx) / W;
		xM[i] = (gx + (rng() - 0.5) * 0.5) * blockM;
		yM[i] = (gy + (rng() - 0.5) * 0.5) * blockM;
		lon[i] = lon0 + xM[i] / mPerDegLon;
		lat[i] = lat0 + yM[i] / mPerDegLat;
	}
	// pass 1: which streets exist (bit 0 east, bit 1 north, bit 2 north-east diagonal)
	const streets = new Uint8Array(n);
	let edges = 0;
	for (let i = 0; i < n; i++) {
		const gx = i % W;
		let b = 0;
		if (gx + 1 < W && i + 1 < n && rng() < keep) b |= 1;
		if (i + W < n && rng() < keep) b |= 2;
		if (gx + 1 < W && i + W + 1 < n && rng() < diag) b |= 4;
		streets[i] = b;
		edges += (b & 1) + ((b >> 1) & 1) + ((b >> 2) & 1);
	}
	const m = 2 * edges;
	const from = new Uint32Array(m),
		to = new Uint32Array(m);
	const weightS = new Float32Array(m),
		lengthM = new Float32Array(m);
	let k = 0;
	const add = (a: number, b: number) => {
		const len = haversineM(lon[a], lat[a], lon[b], lat[b]); // consistent with the coordinates
		const w = Math.max(1, Math.round(len / speed)); // integer seconds, like the performance-notes graph
		from[k] = a;
		to[k] = b;
		weightS[k] = w;
		lengthM[k++] = len;
		from[k] = b;
		to[k] = a;
		weightS[k] = w;
		lengthM[k++] = len;
	};
	for (let i = 0; i < n; i++) {
		const b = streets[i];
		if (b & 1) add(i, i + 1);
		if (b & 2) add(i, i + W);
		if (b & 4) add(i, i + W + 1);
	}
	return { mode: 'walk', lon, lat, symmetric: true, arcs: { from, to, weightS, lengthM, count: m } };
}

/** SYNTHETIC city graph, built and Hilbert-renumbered like a real network. */
export function generateSyntheticCity(opts: SyntheticCityOptions = {}): CsrGraph {
	return renumberHilbert(buildCsr(generateSyntheticArcs(opts))).graph;
}

/** A synthetic facility: a seed (usable directly by the routing kernels) plus where it stands. */
export interface SyntheticFacility extends FacilitySeed {
	lon: number;
	lat: number;
}

/**
 * A facility at fraction t along a random arc of `node` (or of a random node when node < 0), with an
 * access leg of 0-50 m walked at accessSpeedMps. Returns null if the node has no arcs.
 */
export function syntheticSite(g: CsrGraph, facility: number, node: number, rng: () => number, accessSpeedMps = 1.25): SyntheticFacility | null {
	const u = node >= 0 ? node : Math.floor(rng() * g.nodeCount);
	const deg = g.offsets[u + 1] - g.offsets[u];
	if (deg === 0) return null;
	const e = g.offsets[u] + Math.floor(rng() * deg);
	const v = g.targets[e];
	const t = rng();
	const accessS = (rng() * 50) / accessSpeedMps;
	const w = g.weightS[e];
	const entries = [{ node: u, costS: accessS + t * w }];
	if (v !== u) entries.push({ node: v, costS: accessS + (1 - t) * w }); // symmetric: w(v->u) = w
	return { facility, entries, lon: g.lon[u] + t * (g.lon[v] - g.lon[u]), lat: g.lat[u] + t * (g.lat[v] - g.lat[u]) };
}

/** `count` SYNTHETIC facilities on random arcs, indices 0..count-1. Deterministic for a seed. */
export function syntheticFacilities(g: CsrGraph, count: number, seed: number): SyntheticFacility[] {
	const rng = createSeededRng(seed);
	const out: SyntheticFacility[] = [];
	while (out.length < count) {
		const f = syntheticSite(g, out.length, -1, rng);
		if (f) out.push(f);
	}
	return out;
}

/** A SYNTHETIC nearby site: a random walk of 1..maxHops arcs from `fromNode`, then a random arc there. */
export function syntheticNearbySite(g: CsrGraph, facility: number, fromNode: number, rng: () => number, maxHops = 10): SyntheticFacility | null {
	let u = fromNode;
	const hops = 1 + Math.floor(rng() * maxHops);
	for (let h = 0; h < hops; h++) {
		const deg = g.offsets[u + 1] - g.offsets[u];
		if (deg === 0) break;
		u = g.targets[g.offsets[u] + Math.floor(rng() * deg)];
	}
	return syntheticSite(g, facility, u, rng);
}
