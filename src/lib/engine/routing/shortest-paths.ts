/**
 * Exact nearest-facility labels on a CSR graph.
 *
 * Method: label(v) = lexicographic min over facilities f of (d_f(v), f), where d_f is the single-source
 * shortest time from f's entries. Ties go to the lower facility index, so results are deterministic and
 * an incremental update equals a full recompute bit for bit. Two searches compute it (`LabelStrategy`):
 * - per facility (performance-notes): one bounded Dijkstra per facility, facilities in spatial order,
 *   each pruned where an existing label is already better. Local searches stay in cache, which wins on
 *   big graphs, but a node is settled once per facility whose wave reaches it first-best-so-far;
 * - global: one label-correcting multi-source search, each node settled about once (again on an exact
 *   time tie with a lower index). It wins where the waves overlap a lot and the graph fits in cache.
 * Both are the fixpoint of the same lexicographic relaxation, so the labels are identical. 'auto' picks
 * one from the estimated overlap of the facilities' waves (estimateOverlap).
 *
 * Direction: labels are "time from the facility to the node" along the arcs of the graph passed in.
 * Residents travel to the clinic, so for a directed graph (drive) pass the REVERSE graph
 * (`reverseGraph(g)`, or `routingGraphFor(g)`); symmetric graphs (walk, cycle) are their own reverse.
 *
 * Exactness: labels are sums of Float32 arc weights and entry costs, added in Float64. Entry costs are
 * rounded to a 1/1024 s grid, so every sum is exact (no rounding, hence ties behave like integers)
 * as long as checkExactArithmetic(g, maxS).exact holds (no arc weight in (0, 2^-18 s) and no huge
 * sums); real networks satisfy it by a wide margin. Without exactness distances are still correct to
 * rounding, but owners at exact ties may differ from the brute-force definition.
 */
import { KejimapError } from '../errors';
import type { CsrGraph, Snap } from '../types';
import { NodeHeap } from './heap';

/** A facility's ways onto the network: snapped onto arc u-v it enters at u and v. */
export interface FacilitySeed {
	facility: number; // facility index: owner label and tie-break (lower wins)
	entries: { node: number; costS: number }[]; // costS = access leg + along-arc time to the node
}

export interface Labels {
	distS: Float64Array; // seconds to the nearest facility; Infinity = beyond maxS or unreachable
	owner: Int32Array; // facility index, -1 = none
}

/** Entry costs are rounded to multiples of 2^-10 s (about 1 ms) so sums with Float32 weights are exact. */
export const ENTRY_COST_GRID = 1024;
export function quantizeCostS(costS: number): number {
	return Math.round(costS * ENTRY_COST_GRID) / ENTRY_COST_GRID;
}

/** Scratch memory reused across runs on graphs of one size, so repeated runs allocate nothing. */
export class RoutingWorkspace {
	readonly nodeCount: number;
	readonly heap: NodeHeap;
	/** scratch distances for single-facility searches (all Infinity between calls) */
	readonly scratchDistS: Float64Array;
	/** growable node list (visited nodes of a single search) */
	list: Int32Array;
	listSize = 0;
	/** facility processing order */
	order: Int32Array = new Int32Array(0);
	orderKey: Float64Array = new Float64Array(0);

	constructor(nodeCount: number) {
		this.nodeCount = nodeCount;
		this.heap = new NodeHeap(nodeCount);
		this.scratchDistS = new Float64Array(nodeCount).fill(Infinity);
		this.list = new Int32Array(1024);
	}

	pushList(v: number): void {
		if (this.listSize === this.list.length) {
			const next = new Int32Array(this.list.length * 2);
			next.set(this.list);
			this.list = next;
		}
		this.list[this.listSize++] = v;
	}
}

export function createRoutingWorkspace(nodeCount: number): RoutingWorkspace {
	return new RoutingWorkspace(nodeCount);
}

function workspaceFor(g: CsrGraph, ws: RoutingWorkspace | undefined): RoutingWorkspace {
	if (!ws) return new RoutingWorkspace(g.nodeCount);
	if (ws.nodeCount !== g.nodeCount)
		throw new KejimapError('BAD_ARGUMENT', `routing workspace is for ${ws.nodeCount} nodes, graph has ${g.nodeCount}`);
	return ws;
}

/** Throws a clear error for a seed that cannot be used (bad node, negative or NaN cost, bad index). */
export function validateSeed(g: CsrGraph, seed: FacilitySeed, where = 'facility seed'): void {
	const f = seed.facility;
	if (!Number.isInteger(f) || f < 0 || f > 0x7fffffff)
		throw new KejimapError('BAD_ARGUMENT', `${where}: facility index ${f} must be an integer >= 0`, { field: 'facility' });
	for (const e of seed.entries) {
		if (!Number.isInteger(e.node) || e.node < 0 || e.node >= g.nodeCount)
			throw new KejimapError('BAD_ARGUMENT', `${where} (facility ${f}): entry node ${e.node} is not a node of the graph (0..${g.nodeCount - 1})`, {
				field: 'entries.node'
			});
		if (!(e.costS >= 0) || e.costS === Infinity)
			throw new KejimapError('BAD_ARGUMENT', `${where} (facility ${f}): entry cost ${e.costS} s must be finite and >= 0`, { field: 'entries.costS' });
	}
}

function checkMaxS(maxS: number): void {
	if (!(maxS >= 0)) throw new KejimapError('BAD_ARGUMENT', `maxS must be a number >= 0 (got ${maxS})`);
}

/**
 * Sorts facilities by their smallest entry node id. Graphs are Hilbert-renumbered, so node id order is
 * spatial order: consecutive searches touch neighbouring memory and prune against fresh labels.
 */
function spatialOrder(seeds: FacilitySeed[], ws: RoutingWorkspace): Int32Array {
	const k = seeds.length;
	if (ws.order.length < k) {
		ws.order = new Int32Array(k);
		ws.orderKey = new Float64Array(k);
	}
	const order = ws.order.subarray(0, k);
	const key = ws.orderKey;
	for (let i = 0; i < k; i++) {
		order[i] = i;
		let m = Infinity;
		for (const e of seeds[i].entries) if (e.node < m) m = e.node;
		key[i] = m;
	}
	order.sort((a, b) => key[a] - key[b] || a - b);
	return order;
}

/**
 * How nearestFacilityLabels searches (identical labels either way): 'perFacility' and 'global' as in
 * the file comment; 'auto' takes the global search when the estimated overlap reaches the threshold for
 * the graph's size (autoOverlapThreshold).
 */
export type LabelStrategy = 'auto' | 'perFacility' | 'global';

/** What a labels run did (for the bench and tests). */
export interface LabelRunStats {
	strategy: 'perFacility' | 'global';
	/**
	 * 'auto' only: the estimated overlap, facilities x mean reach of the sampled facilities / nodes
	 * (capped at the threshold: sampling stops once it is reached)
	 */
	estimatedOverlap: number;
	/** label writes (a node written k times was settled k times) */
	labelWrites: number;
	/** nodes with a label at the end */
	labelled: number;
}

/**
 * Overlap from which 'auto' takes the global search. Measured with `npm run bench -- routing` (both
 * strategies on every built network and the synthetic city, 2026-12-01): on graphs whose search arrays
 * fit in the L2 cache (about 40 bytes per node: up to about 50,000 nodes) the global search wins from an
 * overlap of about 2 (Chengdu central cycle 3.0, drive 12.9; the Huangpu and Yangpu extracts), and loses
 * below 1 (Xixiang, Lingqiu, Chengdu walk). On big graphs a global frontier misses the cache: on the
 * 1.5 M-node synthetic city one global settle costs about 7-8 per-facility settles (performance-notes),
 * so it needs an overlap of 8.
 */
const AUTO_CACHE_NODES = 50_000;
const AUTO_OVERLAP_SMALL = 2;
const AUTO_OVERLAP_BIG = 8;
/** facilities sampled (spread over the spatial order) to estimate the overlap */
const AUTO_SAMPLES = 3;

export function autoOverlapThreshold(nodeCount: number): number {
	return nodeCount <= AUTO_CACHE_NODES ? AUTO_OVERLAP_SMALL : AUTO_OVERLAP_BIG;
}

/**
 * Exact nearest-facility labels within maxS seconds.
 * `options.workspace` reuses scratch memory; `options.out` receives the labels (reused arrays), so a
 * repeated run allocates nothing. `options.strategy` (default 'auto') never changes the labels;
 * `options.stats` receives what the run did.
 */
export function nearestFacilityLabels(
	g: CsrGraph,
	seeds: FacilitySeed[],
	maxS: number,
	options: { workspace?: RoutingWorkspace; out?: Labels; strategy?: LabelStrategy; stats?: LabelRunStats } = {}
): Labels {
	checkMaxS(maxS);
	const n = g.nodeCount;
	const ws = workspaceFor(g, options.workspace);
	const seen = new Set<number>();
	for (let i = 0; i < seeds.length; i++) {
		validateSeed(g, seeds[i], `seeds[${i}]`);
		if (seen.has(seeds[i].facility))
			throw new KejimapError('BAD_ARGUMENT', `seeds[${i}]: facility ${seeds[i].facility} appears twice`, { field: 'facility' });
		seen.add(seeds[i].facility);
	}
	let out = options.out;
	if (out) {
		if (out.distS.length !== n || out.owner.length !== n) throw new KejimapError('BAD_ARGUMENT', `labels buffer must have ${n} entries`);
	} else out = { distS: new Float64Array(n), owner: new Int32Array(n) };
	out.distS.fill(Infinity);
	out.owner.fill(-1);
	const order = spatialOrder(seeds, ws);
	const k = order.length;
	const strategy = options.strategy ?? 'auto';
	const count = { writes: 0, fresh: 0 };
	let estimated = NaN;
	let global = strategy === 'global';
	let sampled: Uint8Array | null = null;
	if (strategy === 'auto' && k > 0) {
		// Estimate the overlap from a few facilities spread over the spatial order, searched into the labels
		// (so the work is kept): their waves barely meet, so their label writes are about their reach. Stop
		// once the writes show the threshold is reached; the stopped search's frontier stays in the heap and
		// the global search carries it on (a label-correcting search may start from any valid labels).
		const threshold = autoOverlapThreshold(n);
		const samples = Math.min(k, AUTO_SAMPLES);
		const budget = Math.max(1, Math.ceil((threshold * n * samples) / k));
		sampled = new Uint8Array(k);
		let run = 0;
		for (let j = 0; j < samples && !global; j++) {
			const i = Math.floor(((j + 0.5) * k) / samples);
			sampled[i] = 1;
			run++;
			global = !searchOne(g, seeds[order[i]], maxS, out, ws.heap, count, budget - count.writes);
		}
		estimated = global ? threshold : (k * count.writes) / run / Math.max(1, n);
	}
	if (global) searchGlobal(g, seeds, order, sampled, maxS, out, ws.heap, count);
	else for (let i = 0; i < k; i++) if (!sampled || !sampled[i]) searchOne(g, seeds[order[i]], maxS, out, ws.heap, count, Infinity);
	if (options.stats) {
		options.stats.strategy = global ? 'global' : 'perFacility';
		options.stats.estimatedOverlap = estimated;
		options.stats.labelWrites = count.writes;
		options.stats.labelled = count.fresh;
	}
	return out;
}

/**
 * One label-correcting search from the facilities of `order` (except those already `seeded`) and from
 * whatever the heap holds, pruned by the labels already present (the same lexicographic rule as
 * searchFacility). The heap is keyed by time only: a node whose owner improves at an equal time after it
 * was settled is pushed again and spreads its new owner.
 */
function searchGlobal(
	g: CsrGraph,
	seeds: FacilitySeed[],
	order: ArrayLike<number>,
	seeded: Uint8Array | null,
	maxS: number,
	labels: Labels,
	heap: NodeHeap,
	count: { writes: number; fresh: number }
): void {
	const { offsets, targets, weightS } = g;
	const dist = labels.distS,
		owner = labels.owner;
	let writes = 0,
		fresh = 0;
	for (let i = 0; i < order.length; i++) {
		if (seeded && seeded[i]) continue;
		const seed = seeds[order[i]];
		const f = seed.facility;
		for (const e of seed.entries) {
			const c = quantizeCostS(e.costS);
			const v = e.node;
			if (c <= maxS && (c < dist[v] || (c === dist[v] && f < owner[v]))) {
				if (dist[v] === Infinity) fresh++;
				dist[v] = c;
				owner[v] = f;
				heap.push(v, c);
				writes++;
			}
		}
	}
	while (heap.size > 0) {
		const du = heap.peekKey();
		const u = heap.pop();
		const fu = owner[u];
		for (let e = offsets[u], end = offsets[u + 1]; e < end; e++) {
			const nd = du + weightS[e];
			if (nd > maxS) continue;
			const v = targets[e];
			const dv = dist[v];
			if (nd < dv || (nd === dv && fu < owner[v])) {
				if (dv === Infinity) fresh++;
				dist[v] = nd;
				owner[v] = fu;
				heap.push(v, nd);
				writes++;
			}
		}
	}
	count.writes += writes;
	count.fresh += fresh;
}

/**
 * One facility's bounded search, pruned by the labels already present: a node is relaxed only when
 * (d, f) < (distS[v], owner[v]) lexicographically. Returns the number of labels it set.
 */
export function searchFacility(g: CsrGraph, seed: FacilitySeed, maxS: number, labels: Labels, heap: NodeHeap): number {
	const count = { writes: 0, fresh: 0 };
	searchOne(g, seed, maxS, labels, heap, count, Infinity);
	return count.writes;
}

/**
 * searchFacility, adding its label writes and newly labelled nodes to `count`. It stops after
 * `maxWrites` writes, leaving its frontier in the heap; returns whether it completed.
 */
function searchOne(
	g: CsrGraph,
	seed: FacilitySeed,
	maxS: number,
	labels: Labels,
	heap: NodeHeap,
	count: { writes: number; fresh: number },
	maxWrites: number
): boolean {
	const { offsets, targets, weightS } = g;
	const dist = labels.distS,
		owner = labels.owner;
	const f = seed.facility;
	let set = 0,
		fresh = 0;
	for (const e of seed.entries) {
		const c = quantizeCostS(e.costS);
		const v = e.node;
		if (c <= maxS && (c < dist[v] || (c === dist[v] && f < owner[v]))) {
			if (dist[v] === Infinity) fresh++;
			dist[v] = c;
			owner[v] = f;
			heap.push(v, c);
			set++;
		}
	}
	while (heap.size > 0 && set < maxWrites) {
		const du = heap.peekKey();
		const u = heap.pop();
		const end = offsets[u + 1];
		for (let e = offsets[u]; e < end; e++) {
			const nd = du + weightS[e];
			if (nd > maxS) continue;
			const v = targets[e];
			const dv = dist[v];
			if (nd < dv || (nd === dv && f < owner[v])) {
				if (dv === Infinity) fresh++;
				dist[v] = nd;
				owner[v] = f;
				heap.push(v, nd);
				set++;
			}
		}
	}
	count.writes += set;
	count.fresh += fresh;
	return heap.size === 0;
}

/**
 * Nodes reached from `entries` within maxS seconds, ignoring every other facility (one facility's
 * isochrone). Returns new arrays sized to the reach: nodes in settling order and their times.
 */
export function reachWithin(
	g: CsrGraph,
	entries: FacilitySeed['entries'],
	maxS: number,
	workspace?: RoutingWorkspace
): { nodes: Int32Array; distS: Float64Array } {
	checkMaxS(maxS);
	const ws = workspaceFor(g, workspace);
	validateSeed(g, { facility: 0, entries }, 'reachWithin');
	const { offsets, targets, weightS } = g;
	const dist = ws.scratchDistS;
	const heap = ws.heap;
	ws.listSize = 0;
	for (const e of entries) {
		const c = quantizeCostS(e.costS);
		if (c <= maxS && c < dist[e.node]) {
			if (dist[e.node] === Infinity) ws.pushList(e.node);
			dist[e.node] = c;
			heap.push(e.node, c);
		}
	}
	while (heap.size > 0) {
		const du = heap.peekKey();
		const u = heap.pop();
		for (let e = offsets[u], end = offsets[u + 1]; e < end; e++) {
			const nd = du + weightS[e];
			if (nd > maxS) continue;
			const v = targets[e];
			const dv = dist[v];
			if (nd < dv) {
				if (dv === Infinity) ws.pushList(v);
				dist[v] = nd;
				heap.push(v, nd);
			}
		}
	}
	const k = ws.listSize;
	const nodes = ws.list.slice(0, k);
	const distS = new Float64Array(k);
	for (let i = 0; i < k; i++) {
		distS[i] = dist[nodes[i]];
		dist[nodes[i]] = Infinity; // leave the scratch array clean
	}
	return { nodes, distS };
}

/** CSR transpose: arc u->v of weight w becomes v->u of weight w. Coordinates and components are shared. */
export function reverseGraph(g: CsrGraph): CsrGraph {
	const n = g.nodeCount,
		m = g.arcCount;
	const offsets = new Uint32Array(n + 1);
	for (let e = 0; e < m; e++) offsets[g.targets[e] + 1]++;
	for (let u = 0; u < n; u++) offsets[u + 1] += offsets[u];
	const cursor = offsets.slice(0, n);
	const targets = new Uint32Array(m);
	const weightS = new Float32Array(m);
	const lengthM = new Float32Array(m);
	for (let u = 0; u < n; u++)
		for (let e = g.offsets[u]; e < g.offsets[u + 1]; e++) {
			const k = cursor[g.targets[e]]++;
			targets[k] = u;
			weightS[k] = g.weightS[e];
			lengthM[k] = g.lengthM[e];
		}
	return { ...g, offsets, targets, weightS, lengthM };
}

/** The graph to search from facilities: the graph itself when symmetric, else its reverse. */
export function routingGraphFor(g: CsrGraph): CsrGraph {
	return g.symmetric ? g : reverseGraph(g);
}

/** Seed for a facility snapped onto the network: enters at u (and at v when v can reach the point). */
export function facilitySeedFromSnap(facility: number, snap: Snap | null): FacilitySeed {
	if (!snap) return { facility, entries: [] };
	const entries = [{ node: snap.u, costS: snap.accessS + snap.costFromUS }];
	if (snap.v !== snap.u && Number.isFinite(snap.costFromVS)) entries.push({ node: snap.v, costS: snap.accessS + snap.costFromVS });
	return { facility, entries };
}

/**
 * Whether label arithmetic is exact on this graph up to maxS (see the file comment): every partial sum
 * is a multiple of the smallest unit present and stays below 2^53 units.
 */
export function checkExactArithmetic(g: CsrGraph, maxS: number): { exact: boolean; minPositiveWeightS: number; maxWeightS: number } {
	let minPos = Infinity,
		maxW = 0;
	const w = g.weightS;
	for (let e = 0; e < w.length; e++) {
		const x = w[e];
		if (x > 0 && x < minPos) minPos = x;
		if (x > maxW) maxW = x;
		if (!(x >= 0)) return { exact: false, minPositiveWeightS: minPos, maxWeightS: x };
	}
	// unit = lowest bit of the smallest positive weight (Float32: 24 significant bits), or the entry grid
	let unit = 1 / ENTRY_COST_GRID;
	if (minPos < Infinity) {
		const lsb = 2 ** (Math.floor(Math.log2(minPos)) - 23);
		if (lsb < unit) unit = lsb;
	}
	const exact = (maxS + maxW) / unit < 2 ** 53;
	return { exact, minPositiveWeightS: minPos, maxWeightS: maxW };
}
