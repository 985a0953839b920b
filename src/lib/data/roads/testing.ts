/** Test helpers for the roads tests (kept out of *.test.ts so several test files share them). */
import type { CsrGraph } from '../../engine/types';

/** Plain O(n^2)-free Dijkstra with a binary heap: seconds from `source` to every node (Infinity = unreached). */
export function dijkstraS(g: CsrGraph, source: number): Float64Array {
	const dist = new Float64Array(g.nodeCount).fill(Infinity);
	const heapNode: number[] = [];
	const heapKey: number[] = [];
	const push = (n: number, k: number) => {
		let i = heapNode.length;
		heapNode.push(n);
		heapKey.push(k);
		while (i > 0) {
			const p = (i - 1) >> 1;
			if (heapKey[p] <= k) break;
			heapNode[i] = heapNode[p];
			heapKey[i] = heapKey[p];
			i = p;
		}
		heapNode[i] = n;
		heapKey[i] = k;
	};
	const pop = (): [number, number] => {
		const top: [number, number] = [heapNode[0], heapKey[0]];
		const n = heapNode.pop()!,
			k = heapKey.pop()!;
		if (heapNode.length > 0) {
			let i = 0;
			for (;;) {
				let c = 2 * i + 1;
				if (c >= heapNode.length) break;
				if (c + 1 < heapNode.length && heapKey[c + 1] < heapKey[c]) c++;
				if (heapKey[c] >= k) break;
				heapNode[i] = heapNode[c];
				heapKey[i] = heapKey[c];
				i = c;
			}
			heapNode[i] = n;
			heapKey[i] = k;
		}
		return top;
	};
	dist[source] = 0;
	push(source, 0);
	while (heapNode.length) {
		const [u, d] = pop();
		if (d > dist[u]) continue;
		for (let e = g.offsets[u]; e < g.offsets[u + 1]; e++) {
			const v = g.targets[e];
			const nd = d + g.weightS[e];
			if (nd < dist[v]) {
				dist[v] = nd;
				push(v, nd);
			}
		}
	}
	return dist;
}

/** Node id at exactly (lon, lat), or -1. */
export function nodeAt(g: CsrGraph, lon: number, lat: number): number {
	for (let i = 0; i < g.nodeCount; i++) if (Math.abs(g.lon[i] - lon) < 1e-12 && Math.abs(g.lat[i] - lat) < 1e-12) return i;
	return -1;
}

/** Arc u -> v: { weightS, lengthM } or null. */
export function arcOf(g: CsrGraph, u: number, v: number): { weightS: number; lengthM: number } | null {
	for (let e = g.offsets[u]; e < g.offsets[u + 1]; e++) if (g.targets[e] === v) return { weightS: g.weightS[e], lengthM: g.lengthM[e] };
	return null;
}

/** Structural checks every built graph must pass; returns a list of problems (empty = fine). */
export function graphProblems(g: CsrGraph): string[] {
	const out: string[] = [];
	if (g.offsets.length !== g.nodeCount + 1 || g.offsets[0] !== 0 || g.offsets[g.nodeCount] !== g.arcCount) out.push('offsets');
	for (let u = 0; u < g.nodeCount; u++) if (g.offsets[u + 1] < g.offsets[u]) out.push(`offsets not monotone at ${u}`);
	for (let e = 0; e < g.arcCount; e++) {
		if (g.targets[e] >= g.nodeCount) out.push(`target out of range at arc ${e}`);
		if (!(g.weightS[e] >= 0 && Number.isFinite(g.weightS[e]))) out.push(`bad weight at arc ${e}`);
		if (!(g.lengthM[e] >= 0 && Number.isFinite(g.lengthM[e]))) out.push(`bad length at arc ${e}`);
	}
	for (let u = 0; u < g.nodeCount; u++)
		for (let e = g.offsets[u]; e < g.offsets[u + 1]; e++) {
			const v = g.targets[e];
			if (v === u) out.push(`self loop at ${u}`);
			if (g.component[v] !== g.component[u]) out.push(`arc ${u}->${v} joins two components`);
			if (g.symmetric) {
				const r = arcOf(g, v, u);
				if (!r || r.weightS !== g.weightS[e]) out.push(`symmetric graph lacks ${v}->${u} with the same weight`);
			}
		}
	if (out.length > 20) return [...out.slice(0, 20), `... ${out.length - 20} more`];
	return out;
}
