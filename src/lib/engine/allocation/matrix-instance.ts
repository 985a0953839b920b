/**
 * A PlanInstance from the user's own data: demand points (id, weight), candidate sites (id, lon, lat) and a
 * travel-time matrix (entries demand -> candidate, minutes, from any routing service). Candidates named as
 * existing are open already: their times make each point's base, and they are not offered again. Without areas
 * all demand is one area (so target with share 1 is the classic set covering problem).
 */
import { KejimapError } from '../errors';
import type { Candidate, PlanArea, PlanInstance } from './types';

export interface MatrixEntry {
	demand: number; // index into demand
	candidate: number; // index into sites
	minutes: number;
}

export interface MatrixInstanceInput {
	demand: { id: string; weight: number; lon?: number; lat?: number; areaIndex?: number }[];
	sites: { id: string; lon: number; lat: number }[];
	entries: MatrixEntry[];
	/** ids of sites already open */
	existing?: string[];
	maxMinutes: number;
	areas?: PlanArea[];
	/** label of the one area when no areas are given */
	allLabel?: PlanArea;
}

export const ALL_DEMAND_AREA: PlanArea = { id: 'all', name: '全部需求点 All demand' };

export function matrixInstance(inp: MatrixInstanceInput): PlanInstance {
	const n = inp.demand.length,
		k = inp.sites.length;
	const areas = inp.areas ?? [inp.allLabel ?? ALL_DEMAND_AREA];
	const siteIndex = new Map(inp.sites.map((s, i) => [s.id, i]));
	const excluded = new Uint8Array(k);
	for (const id of inp.existing ?? []) {
		const j = siteIndex.get(id);
		if (j === undefined) throw new KejimapError('BAD_ARGUMENT', `--existing names "${id}", which is not a candidate id (first ids: ${inp.sites.slice(0, 5).map((s) => s.id).join(', ')})`, { field: 'existing' });
		excluded[j] = 1;
	}
	const baseMinutes = new Float32Array(n).fill(Infinity);
	const perSite: { d: number; m: number }[][] = Array.from({ length: k }, () => []);
	const seen = new Set<number>();
	for (const e of inp.entries) {
		if (!(e.minutes >= 0) || !Number.isFinite(e.minutes)) throw new KejimapError('BAD_ARGUMENT', `matrix: time ${e.minutes} for ${inp.demand[e.demand]?.id} -> ${inp.sites[e.candidate]?.id} must be a finite number >= 0`);
		const key = e.candidate * n + e.demand;
		if (seen.has(key)) throw new KejimapError('BAD_ARGUMENT', `matrix: ${inp.demand[e.demand].id} -> ${inp.sites[e.candidate].id} is given twice`);
		seen.add(key);
		const m = Math.fround(e.minutes);
		if (excluded[e.candidate]) {
			if (m < baseMinutes[e.demand]) baseMinutes[e.demand] = m;
		} else perSite[e.candidate].push({ d: e.demand, m });
	}
	const offsets = new Uint32Array(k + 1);
	let total = 0;
	for (let j = 0; j < k; j++) total += perSite[j].length;
	const demand = new Uint32Array(total);
	const minutes = new Float32Array(total);
	let w = 0;
	for (let j = 0; j < k; j++) {
		perSite[j].sort((a, b) => a.d - b.d);
		for (const x of perSite[j]) {
			demand[w] = x.d;
			minutes[w++] = x.m;
		}
		offsets[j + 1] = w;
	}
	const candidates: Candidate[] = inp.sites.map((s, j) => ({ id: s.id, lon: s.lon, lat: s.lat, kind: 'file', source: j, areaIndex: inp.areas ? -1 : 0 }));
	return {
		demand: {
			count: n,
			weight: Float64Array.from(inp.demand, (d) => d.weight),
			areaIndex: Int32Array.from(inp.demand, (d) => (inp.areas ? (d.areaIndex ?? -1) : 0)),
			baseMinutes,
			ids: inp.demand.map((d) => d.id)
		},
		candidates,
		reach: { candidateCount: k, demandCount: n, cutoffMinutes: Infinity, offsets, demand, minutes },
		areas,
		maxMinutes: inp.maxMinutes,
		excluded,
		notes: inp.existing?.length ? [{ code: 'existingSites', count: inp.existing.length }] : []
	};
}
