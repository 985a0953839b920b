/**
 * Choosing K sites on a SavingsModel (Cover and Median): lazy greedy, then 1-swap and a short VNS shake, then the exact MIP when it
 * is small enough (or asked for), else the LP relaxation and the online bound for a proven bound.
 */
import { lazyGreedy } from './greedy';
import { shakeSearch, swapSearch, type ShakeOptions } from './local-search';
import { coverLp, medianLp, openFromSolution, savingsNonzeros, type BuiltLp } from './lp-model';
import { baseTotal, evaluateSet, onlineUpperBound, type SavingsModel } from './savings';
import type { BoundMethod, ExactChoice, LpSolver, PlanControl, PlanMethod } from './types';
import { EXACT_AUTO_MAX_NONZEROS, LP_AUTO_MAX_NONZEROS, PLAN_DEFAULTS } from './types';

export interface SelectOptions {
	k: number;
	form: 'cover' | 'median';
	exact: ExactChoice;
	timeLimitS: number;
	localSearch: boolean;
	/** VNS shake after the swap (default PLAN_DEFAULTS' shakeRounds, shakeMaxEntries, shakeSeed; rounds 0 = none) */
	shake?: ShakeOptions;
	lpBound: boolean;
	solver?: LpSolver;
	control?: PlanControl;
}

export interface Selection {
	open: number[];
	/** saving of `open` against the base (cover: people gained; median: people x minutes saved) */
	saving: number;
	/** proven upper bound on the best saving with K sites */
	savingBound: number;
	optimal: boolean;
	method: PlanMethod;
	boundMethod: BoundMethod;
	solverStatus?: string;
	timingsMs: Record<string, number>;
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Two savings are equal up to rounding of sums of this size. */
export function sameValue(a: number, b: number, scale: number): boolean {
	return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(scale)) + 1e-9;
}

export async function selectSites(m: SavingsModel, o: SelectOptions): Promise<Selection> {
	const timingsMs: Record<string, number> = {};
	let t = now();
	const cur = Float64Array.from(m.base);
	const steps = await lazyGreedy(m, cur, o.k, o.control);
	timingsMs.greedy = now() - t;
	let open = steps.map((s) => s.candidate);
	let method: PlanMethod = 'greedy';
	if (o.localSearch && open.length > 0) {
		t = now();
		const r = await swapSearch(m, open, o.control);
		timingsMs.swap = now() - t;
		t = now();
		const shake = o.shake ?? { rounds: PLAN_DEFAULTS.shakeRounds, maxEntries: PLAN_DEFAULTS.shakeMaxEntries, seed: PLAN_DEFAULTS.shakeSeed };
		const v = await shakeSearch(m, r, shake, o.control);
		timingsMs.shake = now() - t;
		if (v.swaps > 0) open = v.open;
		method = 'greedy+swap';
	}
	const first = evaluateSet(m, open);
	let saving = first.saving;
	t = now();
	let savingBound = onlineUpperBound(m, first.cost, saving, o.k, open);
	timingsMs.onlineBound = now() - t;
	let boundMethod: BoundMethod = 'greedy-online';
	let solverStatus: string | undefined;
	const scale = baseTotal(m);

	if (!sameValue(saving, savingBound, scale) && o.solver) {
		const nz = savingsNonzeros(m, o.form);
		const wantExact = o.exact === 'always' || (o.exact === 'auto' && nz <= EXACT_AUTO_MAX_NONZEROS);
		const wantLp = !wantExact && o.lpBound && nz <= LP_AUTO_MAX_NONZEROS;
		if (wantExact || wantLp) {
			o.control?.onProgress?.({ stage: wantExact ? 'exact' : 'bound', done: 0, total: 1 });
			t = now();
			const lp: BuiltLp = o.form === 'cover' ? coverLp(m, o.k) : medianLp(m, o.k);
			const sol = await o.solver.solve(lp.model, { relax: !wantExact, timeLimitS: o.timeLimitS });
			timingsMs[wantExact ? 'exact' : 'lpBound'] = now() - t;
			solverStatus = sol.detail;
			if (Number.isFinite(sol.bound) && sol.bound < savingBound) {
				savingBound = sol.bound;
				boundMethod = wantExact ? 'mip' : 'lp';
			}
			if (wantExact && sol.x) {
				const mipOpen = openFromSolution(lp, sol.x);
				const mipSaving = evaluateSet(m, mipOpen).saving;
				if (mipSaving > saving && !sameValue(mipSaving, saving, scale)) {
					open = mipOpen;
					saving = mipSaving;
					method = sol.status === 'optimal' ? 'exact' : 'exact-time-limit';
				}
			}
		}
	}
	// the bound can sit a rounding error below the value it bounds
	if (savingBound < saving) savingBound = saving;
	const optimal = sameValue(saving, savingBound, scale);
	if (optimal) savingBound = saving;
	return { open, saving, savingBound, optimal, method, boundMethod, solverStatus, timingsMs };
}
