/**
 * Nearest-facility labels under facility edits (add / remove / move one facility), touching only the
 * affected region; the labels stay bit-for-bit equal to a full `nearestFacilityLabels` recompute
 * (same lexicographic (time, facility index) rule, same arithmetic; see shortest-paths.ts "Exactness").
 *
 * - add f: one bounded search from f, pruned where an existing label is already better.
 * - remove f: clear the nodes f owns (kept in per-facility node lists), reseed each cleared node from
 *   its in-neighbours' labels (+ arc time) and from other facilities' entries on it, then run a
 *   multi-source search over the cleared region (it cannot improve any label outside it).
 * - move f: remove, then add at the new site, keeping the index.
 *
 * Facility indices are stable: a removed facility leaves a hole (`seedsActive[f] = false`).
 * `graph` is the search graph (the reverse graph for directed modes, see shortest-paths.ts); the
 * in-neighbours of a node come from its transpose (`inGraph`, the original graph; computed when absent).
 */
import { KejimapError } from '../errors';
import type { CsrGraph } from '../types';
import { NodeHeap } from './heap';
import { createRoutingWorkspace, nearestFacilityLabels, quantizeCostS, reverseGraph, validateSeed, type FacilitySeed, type Labels } from './shortest-paths';

export class IncrementalNearest {
	readonly graph: CsrGraph;
	readonly inGraph: CsrGraph;
	readonly maxS: number;
	readonly labels: Labels;
	/** seedsActive[f]: facility f is present (indices are never reused automatically) */
	readonly seedsActive: boolean[] = [];
	private readonly seeds: (FacilitySeed | null)[] = [];
	private readonly heap: NodeHeap;

	// Per-facility node lists: a base block per facility (rebuilt from the owner array) plus a linked
	// log of later claims. Entries can be stale (node since taken by another facility); readers check owner.
	private baseStart = new Int32Array(0);
	private baseCount = new Int32Array(0);
	private baseNodes: Int32Array;
	private head = new Int32Array(0);
	private logNode = new Int32Array(1024);
	private logNext = new Int32Array(1024);
	private logSize = 0;

	// Facilities entering the network at each node (other facilities' entries reseed a cleared region).
	private readonly entryCount: Int32Array;
	private readonly entriesAt = new Map<number, number[]>();

	private touched = new Int32Array(1024);
	private touchedSize = 0;
	private cleared = new Int32Array(1024);

	/** log entries allowed before the node lists are rebuilt from the owner array */
	private readonly logLimit: number;

	constructor(g: CsrGraph, maxS: number, seeds: FacilitySeed[], options: { inGraph?: CsrGraph; logLimit?: number } = {}) {
		this.graph = g;
		this.logLimit = options.logLimit ?? Math.max(1 << 16, g.nodeCount >> 1);
		this.maxS = maxS;
		const inGraph = options.inGraph ?? (g.symmetric ? g : reverseGraph(g));
		if (inGraph.nodeCount !== g.nodeCount || inGraph.arcCount !== g.arcCount)
			throw new KejimapError('BAD_ARGUMENT', 'IncrementalNearest: inGraph must be the transpose of the search graph (node or arc counts differ)');
		this.inGraph = inGraph;
		const ws = createRoutingWorkspace(g.nodeCount);
		this.labels = nearestFacilityLabels(g, seeds, maxS, { workspace: ws });
		this.heap = ws.heap;
		this.entryCount = new Int32Array(g.nodeCount);
		this.baseNodes = new Int32Array(g.nodeCount);
		for (const input of seeds) {
			const s: FacilitySeed = { facility: input.facility, entries: input.entries.map((e) => ({ node: e.node, costS: e.costS })) };
			this.ensureFacility(s.facility);
			this.seeds[s.facility] = s;
			this.seedsActive[s.facility] = true;
			this.registerEntries(s, +1);
		}
		this.rebuildLists();
	}

	/** Number of facility slots (active or not). */
	get facilitySlots(): number {
		return this.seeds.length;
	}

	/** The seeds of the active facilities (input for a full recompute). */
	activeSeeds(): FacilitySeed[] {
		const out: FacilitySeed[] = [];
		for (const s of this.seeds) if (s) out.push(s);
		return out;
	}

	seedOf(f: number): FacilitySeed | null {
		return this.seeds[f] ?? null;
	}

	/**
	 * Nodes whose label may have changed in the last operation (a superset; may repeat a node).
	 * A view, valid until the next operation.
	 */
	changedNodes(): Int32Array {
		return this.touched.subarray(0, this.touchedSize);
	}

	/** Adds a facility at index seed.facility (a free slot, e.g. the next one: facilitySlots). */
	addFacility(seed: FacilitySeed): number {
		validateSeed(this.graph, seed, 'addFacility');
		const f = seed.facility;
		if (this.seedsActive[f]) throw new KejimapError('BAD_ARGUMENT', `addFacility: facility ${f} is already present (use moveFacility)`);
		this.beginOperation();
		this.insert(seed);
		return f;
	}

	removeFacility(f: number): void {
		if (!this.seedsActive[f]) throw new KejimapError('BAD_ARGUMENT', `removeFacility: facility ${f} is not present`);
		this.beginOperation();
		this.remove(f);
	}

	/** Moves facility f to a new site (seed.facility must be f). */
	moveFacility(f: number, seed: FacilitySeed): void {
		if (seed.facility !== f) throw new KejimapError('BAD_ARGUMENT', `moveFacility: seed is for facility ${seed.facility}, not ${f}`);
		if (!this.seedsActive[f]) throw new KejimapError('BAD_ARGUMENT', `moveFacility: facility ${f} is not present`);
		validateSeed(this.graph, seed, 'moveFacility');
		this.beginOperation();
		this.remove(f);
		this.insert(seed);
	}

	// ---- internals ----

	private beginOperation(): void {
		this.touchedSize = 0;
		if (this.logSize > this.logLimit) this.rebuildLists();
	}

	private insert(input: FacilitySeed): void {
		// own copy: a caller mutating its seed later must not desynchronise the entry index
		const seed: FacilitySeed = { facility: input.facility, entries: input.entries.map((e) => ({ node: e.node, costS: e.costS })) };
		const f = seed.facility;
		this.ensureFacility(f);
		this.seeds[f] = seed;
		this.seedsActive[f] = true;
		this.registerEntries(seed, +1);
		const dist = this.labels.distS,
			owner = this.labels.owner;
		for (const e of seed.entries) {
			const c = quantizeCostS(e.costS),
				v = e.node;
			if (c <= this.maxS && (c < dist[v] || (c === dist[v] && f < owner[v]))) {
				this.setLabel(v, c, f);
				this.heap.push(v, c);
			}
		}
		this.propagate();
	}

	private remove(f: number): void {
		const seed = this.seeds[f]!;
		this.registerEntries(seed, -1);
		this.seeds[f] = null;
		this.seedsActive[f] = false;
		const dist = this.labels.distS,
			owner = this.labels.owner;

		// 1. clear f's region
		let nCleared = 0;
		const clear = (v: number) => {
			if (owner[v] !== f) return; // stale list entry (or a repeat)
			owner[v] = -1;
			dist[v] = Infinity;
			if (nCleared === this.cleared.length) this.cleared = grow(this.cleared);
			this.cleared[nCleared++] = v;
			this.pushTouched(v);
		};
		const b0 = this.baseStart[f],
			b1 = b0 + this.baseCount[f];
		for (let i = b0; i < b1; i++) clear(this.baseNodes[i]);
		for (let k = this.head[f]; k >= 0; k = this.logNext[k]) clear(this.logNode[k]);
		this.baseCount[f] = 0;
		this.head[f] = -1;

		// 2. reseed the cleared nodes from their labelled in-neighbours and from other facilities' entries
		const { offsets: inOff, targets: inTgt, weightS: inW } = this.inGraph;
		const maxS = this.maxS;
		const cleared = this.cleared;
		for (let i = 0; i < nCleared; i++) {
			const v = cleared[i];
			let bd = Infinity,
				bf = -1;
			for (let e = inOff[v], end = inOff[v + 1]; e < end; e++) {
				const u = inTgt[e];
				const fu = owner[u];
				if (fu < 0) continue;
				const c = dist[u] + inW[e];
				if (c <= maxS && (c < bd || (c === bd && fu < bf))) {
					bd = c;
					bf = fu;
				}
			}
			if (this.entryCount[v] > 0)
				for (const g of this.entriesAt.get(v)!)
					for (const e of this.seeds[g]!.entries) {
						if (e.node !== v) continue;
						const c = quantizeCostS(e.costS);
						if (c <= maxS && (c < bd || (c === bd && g < bf))) {
							bd = c;
							bf = g;
						}
					}
			if (bf >= 0 && (bd < dist[v] || (bd === dist[v] && bf < owner[v]))) {
				this.setLabel(v, bd, bf);
				this.heap.push(v, bd);
			}
		}
		// 3. settle the region
		this.propagate();
	}

	/** Label-correcting search from the heap's nodes, each spreading its own (time, owner) label. */
	private propagate(): void {
		const { offsets, targets, weightS } = this.graph;
		const dist = this.labels.distS,
			owner = this.labels.owner;
		const heap = this.heap,
			maxS = this.maxS;
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
					this.setLabel(v, nd, fu);
					heap.push(v, nd);
				}
			}
		}
	}

	private setLabel(v: number, d: number, f: number): void {
		const owner = this.labels.owner;
		if (owner[v] !== f) {
			if (this.logSize === this.logNode.length) {
				this.logNode = grow(this.logNode);
				this.logNext = grow(this.logNext);
			}
			const k = this.logSize++;
			this.logNode[k] = v;
			this.logNext[k] = this.head[f];
			this.head[f] = k;
			owner[v] = f;
		}
		this.labels.distS[v] = d;
		this.pushTouched(v);
	}

	private pushTouched(v: number): void {
		if (this.touchedSize === this.touched.length) this.touched = grow(this.touched);
		this.touched[this.touchedSize++] = v;
	}

	private registerEntries(seed: FacilitySeed, sign: 1 | -1): void {
		const f = seed.facility;
		const seen = new Set<number>();
		for (const e of seed.entries) {
			if (seen.has(e.node)) continue; // one registration per (facility, node)
			seen.add(e.node);
			this.entryCount[e.node] += sign;
			let list = this.entriesAt.get(e.node);
			if (sign > 0) {
				if (!list) this.entriesAt.set(e.node, (list = []));
				list.push(f);
			} else if (list) {
				const i = list.indexOf(f);
				if (i >= 0) list.splice(i, 1);
				if (list.length === 0) this.entriesAt.delete(e.node);
			}
		}
	}

	private ensureFacility(f: number): void {
		while (this.seeds.length <= f) {
			this.seeds.push(null);
			this.seedsActive.push(false);
		}
		if (this.head.length <= f) {
			const cap = Math.max(16, (f + 1) * 2);
			const head = new Int32Array(cap).fill(-1);
			head.set(this.head);
			this.head = head;
			const bs = new Int32Array(cap);
			bs.set(this.baseStart);
			this.baseStart = bs;
			const bc = new Int32Array(cap);
			bc.set(this.baseCount);
			this.baseCount = bc;
		}
	}

	/** Per-facility node lists from the owner array (counting sort); empties the log. */
	private rebuildLists(): void {
		const owner = this.labels.owner;
		const F = this.head.length;
		const count = this.baseCount;
		count.fill(0);
		for (let v = 0; v < owner.length; v++) if (owner[v] >= 0) count[owner[v]]++;
		let s = 0;
		for (let f = 0; f < F; f++) {
			this.baseStart[f] = s;
			s += count[f];
		}
		const fill = new Int32Array(F);
		for (let v = 0; v < owner.length; v++) {
			const f = owner[v];
			if (f >= 0) this.baseNodes[this.baseStart[f] + fill[f]++] = v;
		}
		this.head.fill(-1);
		this.logSize = 0;
	}
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
	const b = new Int32Array(a.length * 2);
	b.set(a);
	return b;
}
