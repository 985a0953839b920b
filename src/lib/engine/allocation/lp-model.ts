/**
 * The planning models as plain data (LpModel: CSR rows), for an injected LpSolver (HiGHS in the worker and in
 * Node). Solved as MIPs for exact answers, or with integrality dropped for the LP bound.
 * - Cover (MCLP, Church & ReVelle 1974): max sum w_c z_c; z_c <= sum_{j reaches c} x_j; sum x_j <= K; z in [0,1].
 * - Median (ReVelle & Swain 1970, with fixed existing facilities): max saving sum w_c s_e y_e over reach entries
 *   e = (j, c) with s_e = base_c - cost_e > 0; sum_{e at c} y_e <= 1; y_e <= x_j; sum x_j <= K.
 * - Target (partial set covering): min sum x_j; sum_{c in a} w_c z_c >= need_a per area; z_c <= sum x_j.
 * Only candidates and points that can matter get columns; `candidateOfColumn` maps solutions back.
 */
import type { SavingsModel } from './savings';
import type { LpModel } from './types';

export interface BuiltLp {
	model: LpModel;
	/** x columns: candidate index of column i (x columns come first) */
	candidateOfColumn: Int32Array;
	nonzeros: number;
}

class RowBuilder {
	starts: number[] = [0];
	index: number[] = [];
	value: number[] = [];
	lower: number[] = [];
	upper: number[] = [];
	add(cols: ArrayLike<number>, vals: ArrayLike<number>, lo: number, hi: number): void {
		for (let i = 0; i < cols.length; i++) {
			this.index.push(cols[i]);
			this.value.push(vals[i]);
		}
		this.starts.push(this.index.length);
		this.lower.push(lo);
		this.upper.push(hi);
	}
}

function finish(sense: 'min' | 'max', cost: number[], upper: number[], integerCols: number, rows: RowBuilder): LpModel {
	const m = cost.length;
	const integer = new Uint8Array(m);
	integer.fill(1, 0, integerCols);
	return {
		sense,
		offset: 0,
		colCost: Float64Array.from(cost),
		colLower: new Float64Array(m),
		colUpper: Float64Array.from(upper),
		integer,
		rowLower: Float64Array.from(rows.lower),
		rowUpper: Float64Array.from(rows.upper),
		rowStarts: Int32Array.from(rows.starts),
		rowIndex: Int32Array.from(rows.index),
		rowValue: Float64Array.from(rows.value)
	};
}

/** Candidates that may be chosen and reach at least one point they could improve. */
function usefulCandidates(m: SavingsModel): number[] {
	const out: number[] = [];
	const { offsets, demand } = m.reach;
	for (let j = 0; j < m.reach.candidateCount; j++) {
		if (m.excluded?.[j]) continue;
		for (let e = offsets[j]; e < offsets[j + 1]; e++) {
			const c = demand[e];
			if (m.weight[c] > 0 && m.cost[e] < m.base[c]) {
				out.push(j);
				break;
			}
		}
	}
	return out;
}

/** Number of nonzeros the model for this objective would have (to decide exact / LP without building it). */
export function savingsNonzeros(m: SavingsModel, form: 'cover' | 'median'): number {
	let nz = 0;
	const { offsets, demand } = m.reach;
	for (let j = 0; j < m.reach.candidateCount; j++) {
		if (m.excluded?.[j]) continue;
		for (let e = offsets[j]; e < offsets[j + 1]; e++) if (m.weight[demand[e]] > 0 && m.cost[e] < m.base[demand[e]]) nz += form === 'cover' ? 1 : 3;
	}
	return nz + m.reach.candidateCount;
}

/** MCLP on a cover SavingsModel (base 0/1, entry cost 0/1). Objective = people newly within the threshold. */
export function coverLp(m: SavingsModel, k: number): BuiltLp {
	const cands = usefulCandidates(m);
	const nx = cands.length;
	const n = m.weight.length;
	// points that count: weight > 0, beyond the threshold now, reached within it by a useful candidate
	const coverers: number[][] = Array.from({ length: n }, () => []);
	const { offsets, demand } = m.reach;
	cands.forEach((j, col) => {
		for (let e = offsets[j]; e < offsets[j + 1]; e++) {
			const c = demand[e];
			if (m.weight[c] > 0 && m.cost[e] < m.base[c]) coverers[c].push(col);
		}
	});
	const cost: number[] = new Array(nx).fill(0);
	const upper: number[] = new Array(nx).fill(1);
	const rows = new RowBuilder();
	for (let c = 0; c < n; c++) {
		if (coverers[c].length === 0) continue;
		const z = cost.length;
		cost.push(m.weight[c] * (m.base[c] - 0));
		upper.push(1);
		// z_c - sum x_j <= 0
		const cols = [z, ...coverers[c]];
		const vals = [1, ...coverers[c].map(() => -1)];
		rows.add(cols, vals, -Infinity, 0);
	}
	rows.add(
		cands.map((_, i) => i),
		cands.map(() => 1),
		-Infinity,
		k
	);
	return { model: finish('max', cost, upper, nx, rows), candidateOfColumn: Int32Array.from(cands), nonzeros: rows.index.length };
}

/** p-median savings form on a median SavingsModel. Objective = minutes x people saved against the base. */
export function medianLp(m: SavingsModel, k: number): BuiltLp {
	const cands = usefulCandidates(m);
	const nx = cands.length;
	const n = m.weight.length;
	const { offsets, demand } = m.reach;
	const cost: number[] = new Array(nx).fill(0);
	const upper: number[] = new Array(nx).fill(1);
	const rows = new RowBuilder();
	const yAt: number[][] = Array.from({ length: n }, () => []);
	cands.forEach((j, col) => {
		for (let e = offsets[j]; e < offsets[j + 1]; e++) {
			const c = demand[e];
			const s = m.base[c] - m.cost[e];
			if (!(m.weight[c] > 0 && s > 0)) continue;
			const y = cost.length;
			cost.push(m.weight[c] * s);
			upper.push(1);
			yAt[c].push(y);
			rows.add([y, col], [1, -1], -Infinity, 0); // y_e <= x_j
		}
	});
	for (let c = 0; c < n; c++)
		if (yAt[c].length > 1)
			rows.add(
				yAt[c],
				yAt[c].map(() => 1),
				-Infinity,
				1
			);
	rows.add(
		cands.map((_, i) => i),
		cands.map(() => 1),
		-Infinity,
		k
	);
	return { model: finish('max', cost, upper, nx, rows), candidateOfColumn: Int32Array.from(cands), nonzeros: rows.index.length };
}

/**
 * Partial set covering on a cover SavingsModel: fewest sites so that each area's newly covered people reach
 * its need. `areaOf` gives each point's group (-1 = counts for no area); needs[g] in people.
 */
export function targetLp(m: SavingsModel, areaOf: Int32Array, needs: Float64Array): BuiltLp {
	const cands = usefulCandidates(m);
	const nx = cands.length;
	const n = m.weight.length;
	const coverers: number[][] = Array.from({ length: n }, () => []);
	const { offsets, demand } = m.reach;
	cands.forEach((j, col) => {
		for (let e = offsets[j]; e < offsets[j + 1]; e++) {
			const c = demand[e];
			if (m.weight[c] > 0 && m.cost[e] < m.base[c] && areaOf[c] >= 0 && needs[areaOf[c]] > 0) coverers[c].push(col);
		}
	});
	const cost: number[] = new Array(nx).fill(1);
	const upper: number[] = new Array(nx).fill(1);
	const rows = new RowBuilder();
	const zOfArea: { cols: number[]; vals: number[] }[] = Array.from({ length: needs.length }, () => ({ cols: [], vals: [] }));
	for (let c = 0; c < n; c++) {
		if (coverers[c].length === 0) continue;
		const z = cost.length;
		cost.push(0);
		upper.push(1);
		rows.add([z, ...coverers[c]], [1, ...coverers[c].map(() => -1)], -Infinity, 0);
		zOfArea[areaOf[c]].cols.push(z);
		zOfArea[areaOf[c]].vals.push(m.weight[c]);
	}
	needs.forEach((need, a) => {
		if (need > 0) rows.add(zOfArea[a].cols, zOfArea[a].vals, need, Infinity);
	});
	return { model: finish('min', cost, upper, nx, rows), candidateOfColumn: Int32Array.from(cands), nonzeros: rows.index.length };
}

/** Candidates open in a solution (x columns above one half). */
export function openFromSolution(lp: BuiltLp, x: Float64Array): number[] {
	const out: number[] = [];
	for (let i = 0; i < lp.candidateOfColumn.length; i++) if (x[i] > 0.5) out.push(lp.candidateOfColumn[i]);
	return out.sort((a, b) => a - b);
}
