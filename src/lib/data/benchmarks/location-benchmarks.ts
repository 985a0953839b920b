/**
 * Readers for the location-allocation benchmarks with published optima (../shared/data/location-benchmarks;
 * read each SOURCE.md). Pure: text in, a PlanInstance out, for the unit tests and the bench.
 * - OR-Library pmed (Beasley 1985): "n m p" then "i j cost" lines (1-based, undirected). Beasley's edge rule:
 *   a later line for the same pair OVERWRITES an earlier one (the minimum gives 5718 for pmed1, not 5819);
 *   then all-pairs shortest paths. Unit demand, every vertex a candidate.
 * - San Francisco 205 tracts x 16 stores (spopt's test case): long CSV distance,name,DestinationName,demand
 *   (network metres; demand = POP2000). Coverage is d <= S.
 * The matrix times are not minutes here (costs, metres): the planning code only compares and sums them.
 */
import { matrixInstance, type MatrixEntry } from '../../engine/allocation/matrix-instance';
import type { PlanInstance } from '../../engine/allocation/types';
import { KejimapError } from '../../engine/errors';
import { parseCsv, requireColumns } from '../csv';

export interface OrlibPmed {
	n: number;
	p: number;
	/** n x n shortest-path costs, row-major */
	dist: Float64Array;
}

export function parseOrlibPmed(text: string, file = 'pmed'): OrlibPmed {
	const nums = text.trim().split(/\s+/).map(Number);
	const [n, m, p] = nums;
	if (!(n > 0) || !(m >= 0) || !(p > 0) || nums.length < 3 + 3 * m) throw new KejimapError('FILE_MALFORMED', `${file}: expected "n m p" and m edge lines`, { file });
	const d = new Float64Array(n * n).fill(Infinity);
	for (let i = 0; i < n; i++) d[i * n + i] = 0;
	for (let e = 0; e < m; e++) {
		const i = nums[3 + 3 * e] - 1,
			j = nums[4 + 3 * e] - 1,
			c = nums[5 + 3 * e];
		if (i === j) continue;
		d[i * n + j] = c; // last line wins (Beasley's rule)
		d[j * n + i] = c;
	}
	// Floyd-Warshall (n <= 900: fine for tests and the bench)
	for (let k = 0; k < n; k++)
		for (let i = 0; i < n; i++) {
			const dik = d[i * n + k];
			if (dik === Infinity) continue;
			const ri = i * n,
				rk = k * n;
			for (let j = 0; j < n; j++) {
				const v = dik + d[rk + j];
				if (v < d[ri + j]) d[ri + j] = v;
			}
		}
	return { n, p, dist: d };
}

/** The p-median instance of a pmed graph; `penalty` = the largest distance, so capping changes nothing. */
export function orlibInstance(g: OrlibPmed): { instance: PlanInstance; p: number; penalty: number } {
	const entries: MatrixEntry[] = [];
	let max = 0;
	for (let i = 0; i < g.n; i++)
		for (let j = 0; j < g.n; j++) {
			const v = g.dist[i * g.n + j];
			if (v < Infinity) {
				entries.push({ demand: i, candidate: j, minutes: v });
				if (v > max) max = v;
			}
		}
	const ids = Array.from({ length: g.n }, (_, i) => String(i + 1));
	const instance = matrixInstance({
		demand: ids.map((id) => ({ id, weight: 1 })),
		sites: ids.map((id) => ({ id, lon: 0, lat: 0 })),
		entries,
		maxMinutes: max
	});
	return { instance, p: g.p, penalty: max };
}

/** Beasley's pmedopt.txt: "pmedK value" lines. */
export function parsePmedOpt(text: string): Map<string, number> {
	const out = new Map<string, number>();
	for (const line of text.split('\n')) {
		const m = /^\s*(pmed\d+)\s+(\d+)/.exec(line);
		if (m) out.set(m[1], Number(m[2]));
	}
	return out;
}

/** The SF instance: demand = tracts (POP2000), candidates = stores, in order of first appearance. */
export function sfInstance(longCsv: string, serviceDistanceM: number, opts: { existing?: string[]; file?: string } = {}): PlanInstance {
	const file = opts.file ?? 'SF_network_distance_candidateStore_16_censusTract_205_new.csv';
	const t = parseCsv(longCsv, file);
	requireColumns(t.header, ['distance', 'name', 'DestinationName', 'demand'], file);
	const dIdx = new Map<string, number>(),
		sIdx = new Map<string, number>();
	const demand: { id: string; weight: number }[] = [];
	const sites: { id: string; lon: number; lat: number }[] = [];
	const entries: MatrixEntry[] = [];
	for (const r of t.rows) {
		let d = dIdx.get(r.DestinationName);
		if (d === undefined) {
			d = demand.length;
			dIdx.set(r.DestinationName, d);
			demand.push({ id: r.DestinationName, weight: Number(r.demand) });
		}
		let s = sIdx.get(r.name);
		if (s === undefined) {
			s = sites.length;
			sIdx.set(r.name, s);
			sites.push({ id: r.name, lon: 0, lat: 0 });
		}
		entries.push({ demand: d, candidate: s, minutes: Number(r.distance) });
	}
	return matrixInstance({ demand, sites, entries, maxMinutes: serviceDistanceM, existing: opts.existing });
}
