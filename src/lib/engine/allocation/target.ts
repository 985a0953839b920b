/**
 * Target (partial set covering): the fewest new sites so that every area reaches its target share within the
 * threshold, the existing facilities fixed. Per area the need is the people still missing, in the coverage
 * table's own rounding (an area passes when round(covered) / round(population) >= target). An area that the
 * candidates cannot bring to its target is reported (reachable = false) and asked for all it can get, so the
 * others are still solved.
 *
 * Greedy on f(S) = sum_a min(need_a, people newly covered in a by S) (monotone submodular: a truncated
 * coverage), lazily; then reverse deletion (drop any site the others make redundant). Exact: the partial
 * set-covering MIP; bound: its LP relaxation rounded up, else the simple bound max_a ceil(need_a / best
 * single-site gain in a).
 */
import { Ticker } from './control';
import { GainHeap } from './greedy';
import { coverModel } from './cover';
import { targetLp } from './lp-model';
import type { AreaNeed, BoundMethod, ExactChoice, LpSolver, PlanControl, PlanInstance, PlanMethod } from './types';
import { EXACT_AUTO_MAX_NONZEROS, LP_AUTO_MAX_NONZEROS } from './types';

export interface TargetOptions {
	targetShare: number;
	maxSites: number;
	exact: ExactChoice;
	timeLimitS: number;
	localSearch: boolean;
	lpBound: boolean;
	solver?: LpSolver;
	control?: PlanControl;
}

export interface TargetSelection {
	/** in the order chosen */
	open: number[];
	bound: number;
	optimal: boolean;
	method: PlanMethod;
	boundMethod: BoundMethod;
	needs: Omit<AreaNeed, 'siteRanks'>[];
	/** per area index: the people the selection must add (capped at what the candidates can add) */
	goal: Float64Array;
	solverStatus?: string;
	timingsMs: Record<string, number>;
}

/** Needs slightly padded so that a float sum meeting them also meets the rounded table (half-person rounding). */
const NEED_PAD = 1e-6;

export function areaNeeds(inst: PlanInstance, targetShare: number): { needs: Omit<AreaNeed, 'siteRanks'>[]; goal: Float64Array; gainable: Float64Array } {
	const { demand, areas, maxMinutes } = inst;
	const k = areas.length;
	const pop = new Float64Array(k),
		cov = new Float64Array(k),
		gainable = new Float64Array(k);
	const reachable = new Uint8Array(demand.count);
	const { offsets, demand: dem, minutes } = inst.reach;
	for (let j = 0; j < inst.reach.candidateCount; j++) {
		if (inst.excluded?.[j]) continue;
		for (let e = offsets[j]; e < offsets[j + 1]; e++) if (minutes[e] <= maxMinutes) reachable[dem[e]] = 1;
	}
	for (let c = 0; c < demand.count; c++) {
		const a = demand.areaIndex[c];
		const w = demand.weight[c];
		if (a < 0 || a >= k || !(w > 0)) continue;
		pop[a] += w;
		if (demand.baseMinutes[c] <= maxMinutes) cov[a] += w;
		else if (reachable[c]) gainable[a] += w;
	}
	const goal = new Float64Array(k);
	const needs = areas.map((ar, a) => {
		const P = Math.round(pop[a]);
		const required = Math.ceil(targetShare * P - 1e-9);
		const need = Math.max(0, required - 0.5 - cov[a] + NEED_PAD);
		const ok = need <= gainable[a];
		goal[a] = need > 0 ? Math.min(need, gainable[a]) : 0;
		return {
			areaIndex: a,
			areaId: ar.id,
			name: ar.name,
			population: P,
			need: need > 0 ? Math.max(0, required - Math.round(cov[a])) : 0,
			reachableCovered: Math.round(cov[a] + gainable[a]),
			reachable: ok
		};
	});
	return { needs, goal, gainable };
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

export async function selectTarget(inst: PlanInstance, o: TargetOptions): Promise<TargetSelection> {
	const timingsMs: Record<string, number> = {};
	const t0 = now();
	const m = coverModel(inst);
	const { needs, goal } = areaNeeds(inst, o.targetShare);
	const k = inst.areas.length;
	const n = inst.demand.count;
	const area = inst.demand.areaIndex;
	const w = inst.demand.weight;
	const { offsets, demand } = inst.reach;
	const nc = inst.reach.candidateCount;
	// counts towards a goal: weight > 0, in an area with a goal, beyond the threshold now
	const counts = new Uint8Array(n);
	for (let c = 0; c < n; c++) counts[c] = w[c] > 0 && area[c] >= 0 && area[c] < k && goal[area[c]] > 0 && m.base[c] === 1 ? 1 : 0;
	const covered = new Uint8Array(n);
	const rem = Float64Array.from(goal);
	const acc = new Float64Array(k);
	const touched: number[] = [];
	const gain = (j: number): number => {
		touched.length = 0;
		for (let e = offsets[j]; e < offsets[j + 1]; e++) {
			const c = demand[e];
			if (!counts[c] || covered[c] || m.cost[e] !== 0) continue;
			const a = area[c];
			if (acc[a] === 0) touched.push(a);
			acc[a] += w[c];
		}
		let g = 0;
		for (const a of touched) {
			g += Math.min(rem[a], acc[a]);
			acc[a] = 0;
		}
		return g;
	};
	const apply = (j: number) => {
		for (let e = offsets[j]; e < offsets[j + 1]; e++) {
			const c = demand[e];
			if (!counts[c] || covered[c] || m.cost[e] !== 0) continue;
			covered[c] = 1;
			rem[area[c]] = Math.max(0, rem[area[c]] - w[c]);
		}
	};
	const remaining = () => rem.reduce((s, x) => s + (x > 1e-9 ? x : 0), 0);

	// lazy greedy: stale gains are upper bounds (submodular), the top is re-evaluated until fresh; ties lower index
	const ticker = new Ticker(o.control);
	const heap = new GainHeap(nc);
	for (let j = 0; j < nc; j++) {
		if (m.excluded?.[j]) continue;
		const g = gain(j);
		if (g > 0) heap.push(j, g);
	}
	const fresh = new Int32Array(nc); // the step at which a key was computed
	const open: number[] = [];
	while (open.length < o.maxSites && remaining() > 0 && heap.size > 0) {
		const j = heap.idx[0];
		if (fresh[j] === open.length) {
			heap.pop();
			open.push(j);
			apply(j);
			if (ticker.due()) await ticker.tick({ stage: 'greedy', done: open.length, total: o.maxSites });
			continue;
		}
		const g = gain(j);
		fresh[j] = open.length;
		if (g > 0) heap.updateTop(g);
		else heap.pop();
	}
	let method: PlanMethod = 'greedy';
	// reverse deletion: a site whose covered people the others also cover (enough for every goal) goes
	if (o.localSearch && open.length > 1) {
		method = 'greedy+swap';
		for (let i = open.length - 1; i >= 0; i--) {
			const rest = open.filter((_, p) => p !== i);
			if (meetsGoals(inst, m.cost, counts, rest, goal)) open.splice(i, 1);
		}
	}
	timingsMs.greedy = now() - t0;

	// bound
	let bound = simpleBound(inst, m.cost, counts, goal);
	let boundMethod: BoundMethod = 'greedy-online';
	let optimal = bound >= open.length;
	let solverStatus: string | undefined;
	if (!optimal && o.solver) {
		const lp = targetLp(m, area, goal);
		const wantExact = o.exact === 'always' || (o.exact === 'auto' && lp.nonzeros <= EXACT_AUTO_MAX_NONZEROS);
		const wantLp = !wantExact && o.lpBound && lp.nonzeros <= LP_AUTO_MAX_NONZEROS;
		if (wantExact || wantLp) {
			o.control?.onProgress?.({ stage: wantExact ? 'exact' : 'bound', done: 0, total: 1 });
			const t = now();
			const sol = await o.solver.solve(lp.model, { relax: !wantExact, timeLimitS: o.timeLimitS });
			timingsMs[wantExact ? 'exact' : 'lpBound'] = now() - t;
			solverStatus = sol.detail;
			if (Number.isFinite(sol.bound)) {
				const b = Math.ceil(sol.bound - 1e-6);
				if (b > bound) {
					bound = b;
					boundMethod = wantExact ? 'mip' : 'lp';
				}
			}
			if (wantExact && sol.x) {
				const mipOpen: number[] = [];
				for (let i = 0; i < lp.candidateOfColumn.length; i++) if (sol.x[i] > 0.5) mipOpen.push(lp.candidateOfColumn[i]);
				if (mipOpen.length < open.length && meetsGoals(inst, m.cost, counts, mipOpen, goal)) {
					open.length = 0;
					open.push(...orderByGain(inst, m.cost, counts, goal, mipOpen));
					method = sol.status === 'optimal' ? 'exact' : 'exact-time-limit';
				}
			}
			optimal = bound >= open.length;
		}
	}
	if (bound > open.length) bound = open.length; // a bound above a feasible count means goals were not all met
	return { open, bound, optimal, method, boundMethod, needs, goal, solverStatus, timingsMs };
}

/** People newly covered per area by a set. */
function gainedByArea(inst: PlanInstance, cost: Float32Array, counts: Uint8Array, open: number[]): Float64Array {
	const k = inst.areas.length;
	const out = new Float64Array(k);
	const seen = new Uint8Array(inst.demand.count);
	const { offsets, demand } = inst.reach;
	for (const j of open)
		for (let e = offsets[j]; e < offsets[j + 1]; e++) {
			const c = demand[e];
			if (!counts[c] || seen[c] || cost[e] !== 0) continue;
			seen[c] = 1;
			out[inst.demand.areaIndex[c]] += inst.demand.weight[c];
		}
	return out;
}

function meetsGoals(inst: PlanInstance, cost: Float32Array, counts: Uint8Array, open: number[], goal: Float64Array): boolean {
	const g = gainedByArea(inst, cost, counts, open);
	for (let a = 0; a < goal.length; a++) if (goal[a] > 0 && g[a] < goal[a] - 1e-9 * Math.max(1, goal[a])) return false;
	return true;
}

/**
 * Coverage is subadditive: k sites add at most the sum of their single-site gains. So no fewer sites than the
 * smallest k whose k largest single-site gains in an area reach its goal (per area), nor than the smallest k whose
 * k largest truncated totals sum_a min(goal_a, gain_a(j)) reach the sum of the goals.
 */
function simpleBound(inst: PlanInstance, cost: Float32Array, counts: Uint8Array, goal: Float64Array): number {
	const k = inst.areas.length;
	const byArea: number[][] = Array.from({ length: k }, () => []);
	const totals: number[] = [];
	const acc = new Float64Array(k);
	const touched: number[] = [];
	const { offsets, demand } = inst.reach;
	for (let j = 0; j < inst.reach.candidateCount; j++) {
		if (inst.excluded?.[j]) continue;
		touched.length = 0;
		// a site's entries name distinct points, so its single-site gain needs no "seen" set
		for (let e = offsets[j]; e < offsets[j + 1]; e++) {
			const c = demand[e];
			if (!counts[c] || cost[e] !== 0) continue;
			const a = inst.demand.areaIndex[c];
			if (acc[a] === 0) touched.push(a);
			acc[a] += inst.demand.weight[c];
		}
		let t = 0;
		for (const a of touched) {
			byArea[a].push(acc[a]);
			t += Math.min(goal[a], acc[a]);
			acc[a] = 0;
		}
		if (t > 0) totals.push(t);
	}
	const fewest = (gains: number[], need: number): number => {
		gains.sort((x, y) => y - x);
		let s = 0;
		for (let i = 0; i < gains.length; i++) {
			s += gains[i];
			if (s >= need - 1e-9 * Math.max(1, need)) return i + 1;
		}
		return gains.length; // goals are capped at what the candidates can add, so this is not reached
	};
	let b = 0,
		sum = 0;
	for (let a = 0; a < k; a++)
		if (goal[a] > 0) {
			b = Math.max(b, fewest(byArea[a], goal[a]));
			sum += goal[a];
		}
	if (sum > 0) b = Math.max(b, fewest(totals, sum));
	return b;
}

/** A set in greedy order of its truncated gains (rank 1 = the site that counts most), ties to the lower index. */
export function orderByGain(inst: PlanInstance, cost: Float32Array, counts: Uint8Array, goal: Float64Array, set: number[]): number[] {
	const left = set.slice().sort((a, b) => a - b);
	const out: number[] = [];
	const chosen: number[] = [];
	while (left.length) {
		const before = gainedByArea(inst, cost, counts, chosen);
		let bestI = 0,
			bestG = -1;
		left.forEach((j, i) => {
			const after = gainedByArea(inst, cost, counts, [...chosen, j]);
			let g = 0;
			for (let a = 0; a < goal.length; a++) g += Math.min(goal[a], after[a]) - Math.min(goal[a], before[a]);
			if (g > bestG) {
				bestG = g;
				bestI = i;
			}
		});
		const j = left.splice(bestI, 1)[0];
		chosen.push(j);
		out.push(j);
	}
	return out;
}
