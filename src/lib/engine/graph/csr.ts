/**
 * Compressed sparse row graph construction: arcs -> CSR, Hilbert renumbering for cache locality
 * (performance-notes: OSM id order is much slower than a space-filling-curve order), and weak components.
 */
import type { CsrGraph, Mode } from '../types';

export interface ArcList {
	from: Uint32Array;
	to: Uint32Array;
	weightS: Float32Array;
	lengthM: Float32Array;
	count: number; // number of arcs used in the arrays (they may be longer)
}

export interface CsrInput {
	mode: Mode;
	lon: Float64Array;
	lat: Float64Array;
	arcs: ArcList;
	symmetric: boolean;
	component?: Int32Array; // computed when absent
}

/** Build a CSR graph by counting sort on the arc sources. Arcs of one node keep their input order. */
export function buildCsr(input: CsrInput): CsrGraph {
	const n = input.lon.length;
	const { from, to, weightS, lengthM, count: m } = input.arcs;
	const offsets = new Uint32Array(n + 1);
	for (let i = 0; i < m; i++) offsets[from[i] + 1]++;
	for (let u = 0; u < n; u++) offsets[u + 1] += offsets[u];
	const cursor = offsets.slice(0, n);
	const targets = new Uint32Array(m);
	const w = new Float32Array(m);
	const len = new Float32Array(m);
	for (let i = 0; i < m; i++) {
		const k = cursor[from[i]]++;
		targets[k] = to[i];
		w[k] = weightS[i];
		len[k] = lengthM[i];
	}
	const g: CsrGraph = {
		mode: input.mode,
		nodeCount: n,
		arcCount: m,
		offsets,
		targets,
		weightS: w,
		lengthM: len,
		lon: input.lon,
		lat: input.lat,
		component: input.component ?? new Int32Array(n),
		symmetric: input.symmetric
	};
	if (!input.component) g.component = weakComponents(g).component;
	return g;
}

/** Hilbert curve index of (x, y) in a 2^16 x 2^16 grid. */
function hilbert16(x: number, y: number): number {
	let d = 0;
	for (let s = 1 << 15; s > 0; s >>= 1) {
		const rx = (x & s) > 0 ? 1 : 0;
		const ry = (y & s) > 0 ? 1 : 0;
		d += s * s * ((3 * rx) ^ ry);
		if (ry === 0) {
			if (rx === 1) {
				x = s - 1 - x;
				y = s - 1 - y;
			}
			const t = x;
			x = y;
			y = t;
		}
	}
	return d;
}

/** Node order along a Hilbert curve over the graph's bounding box: order[newId] = oldId. */
export function hilbertOrder(lon: Float64Array, lat: Float64Array): Uint32Array {
	const n = lon.length;
	let minX = Infinity,
		minY = Infinity,
		maxX = -Infinity,
		maxY = -Infinity;
	for (let i = 0; i < n; i++) {
		if (lon[i] < minX) minX = lon[i];
		if (lon[i] > maxX) maxX = lon[i];
		if (lat[i] < minY) minY = lat[i];
		if (lat[i] > maxY) maxY = lat[i];
	}
	const sx = maxX > minX ? 65535 / (maxX - minX) : 0;
	const sy = maxY > minY ? 65535 / (maxY - minY) : 0;
	const keys = new Float64Array(n);
	for (let i = 0; i < n; i++) keys[i] = hilbert16(Math.floor((lon[i] - minX) * sx), Math.floor((lat[i] - minY) * sy));
	const order = new Uint32Array(n);
	for (let i = 0; i < n; i++) order[i] = i;
	order.sort((a, b) => keys[a] - keys[b] || a - b);
	return order;
}

/** Renumber nodes: order[newId] = oldId. Returns a new graph and newIdOf[oldId]. */
export function renumber(g: CsrGraph, order: Uint32Array): { graph: CsrGraph; newIdOf: Uint32Array } {
	const n = g.nodeCount;
	const newIdOf = new Uint32Array(n);
	for (let i = 0; i < n; i++) newIdOf[order[i]] = i;
	const offsets = new Uint32Array(n + 1);
	for (let i = 0; i < n; i++) {
		const old = order[i];
		offsets[i + 1] = offsets[i] + (g.offsets[old + 1] - g.offsets[old]);
	}
	const targets = new Uint32Array(g.arcCount);
	const weightS = new Float32Array(g.arcCount);
	const lengthM = new Float32Array(g.arcCount);
	const lon = new Float64Array(n);
	const lat = new Float64Array(n);
	const component = new Int32Array(n);
	for (let i = 0; i < n; i++) {
		const old = order[i];
		lon[i] = g.lon[old];
		lat[i] = g.lat[old];
		component[i] = g.component[old];
		let k = offsets[i];
		for (let e = g.offsets[old]; e < g.offsets[old + 1]; e++, k++) {
			targets[k] = newIdOf[g.targets[e]];
			weightS[k] = g.weightS[e];
			lengthM[k] = g.lengthM[e];
		}
	}
	return {
		graph: { ...g, offsets, targets, weightS, lengthM, lon, lat, component },
		newIdOf
	};
}

export function renumberHilbert(g: CsrGraph): { graph: CsrGraph; newIdOf: Uint32Array } {
	return renumber(g, hilbertOrder(g.lon, g.lat));
}

/**
 * Weakly connected components (arcs taken as undirected), numbered by size: 0 = largest.
 * Returns the component per node and the size of each component.
 */
export function weakComponents(g: Pick<CsrGraph, 'nodeCount' | 'offsets' | 'targets'>): { component: Int32Array; sizes: number[] } {
	const n = g.nodeCount;
	const parent = new Int32Array(n);
	for (let i = 0; i < n; i++) parent[i] = i;
	const find = (x: number): number => {
		while (parent[x] !== x) {
			parent[x] = parent[parent[x]];
			x = parent[x];
		}
		return x;
	};
	for (let u = 0; u < n; u++)
		for (let e = g.offsets[u]; e < g.offsets[u + 1]; e++) {
			const a = find(u),
				b = find(g.targets[e]);
			if (a !== b) parent[a < b ? b : a] = a < b ? a : b;
		}
	const rootSize = new Map<number, number>();
	for (let u = 0; u < n; u++) {
		const r = find(u);
		rootSize.set(r, (rootSize.get(r) ?? 0) + 1);
	}
	const roots = [...rootSize.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
	const idOfRoot = new Map<number, number>();
	roots.forEach(([r], i) => idOfRoot.set(r, i));
	const component = new Int32Array(n);
	for (let u = 0; u < n; u++) component[u] = idOfRoot.get(find(u))!;
	return { component, sizes: roots.map(([, s]) => s) };
}
