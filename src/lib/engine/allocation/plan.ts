/**
 * plan(): the one entry point of planning, called by the CLI (scripts/plan-cli.ts), the worker and the bench.
 * It runs one objective from the OBJECTIVES table on a PlanInstance and returns the suggested sites (ranked,
 * with gains), the objective value, a proven bound, and the per-area tables before and after.
 * To add an objective: write a runner (instance, resolved params, options) -> ObjectiveOutcome and add it to
 * OBJECTIVES; the CLI and the worker dispatch on the same table.
 */
import { KejimapError } from '../errors';
import { runConsolidate } from './consolidate-region';
import { runElderly } from './elderly';
import { coverModel } from './cover';
import { medianModel } from './median';
import { gainOf, openSite, type SavingsModel } from './savings';
import { selectSites } from './select';
import { minutesWith, planTable } from './tables';
import { selectTarget } from './target';
import type { AreaNeed, BoundMethod, LpSolver, PlanNote, PlanControl, PlanInstance, PlanMethod, PlanParams, PlanResult, PlanSite } from './types';
import { PLAN_DEFAULTS } from './types';

export type ResolvedPlanParams = PlanResult['params'];

export interface PlanRunOptions {
	/** HiGHS (src/lib/workers/solvers/highs.ts) or any LpSolver; without one, bounds come from the greedy alone */
	solver?: LpSolver;
	control?: PlanControl;
}

/** What an objective runner returns; plan() adds the tables and the site details. */
export interface ObjectiveOutcome {
	/** chosen candidates in rank order, with each one's gain and the objective after it */
	open: number[];
	gains: number[];
	runningTotals: number[];
	objectiveValue: number;
	bound: number;
	optimal: boolean;
	method: PlanMethod;
	boundMethod: BoundMethod;
	/** 'max' when larger values are better (cover), 'min' otherwise (median, target) */
	sense: 'max' | 'min';
	areaNeeds?: Omit<AreaNeed, 'siteRanks'>[];
	solverStatus?: string;
	timingsMs: Record<string, number>;
	/** objective-specific output merged into the JSON (e.g. consolidate's closures and circuitCare) */
	extensions?: Record<string, unknown>;
	/** consolidate: minutes per demand point after the plan, when it is not "existing + open sites" (closures) */
	afterMinutes?: Float32Array;
	/** consolidate: sentences for the report (e.g. the clinics are assumptions) */
	notes?: PlanNote[];
}

export type ObjectiveRunner = (inst: PlanInstance, p: ResolvedPlanParams, o: PlanRunOptions) => Promise<ObjectiveOutcome>;

/** Sites of a set in greedy order of their marginal savings (rank 1 = the largest), ties to the lower index. */
function rankSavings(m: SavingsModel, set: number[]): { order: number[]; gains: number[] } {
	const left = set.slice().sort((a, b) => a - b);
	const cur = Float64Array.from(m.base);
	const order: number[] = [],
		gains: number[] = [];
	while (left.length) {
		let bi = 0,
			bg = -Infinity;
		for (let i = 0; i < left.length; i++) {
			const g = gainOf(m, cur, left[i]);
			if (g > bg) {
				bg = g;
				bi = i;
			}
		}
		const j = left.splice(bi, 1)[0];
		openSite(m, cur, j);
		order.push(j);
		gains.push(bg);
	}
	return { order, gains };
}

function baseCost(m: SavingsModel): number {
	let s = 0;
	for (let c = 0; c < m.weight.length; c++) s += m.weight[c] * m.base[c];
	return s;
}

const runCover: ObjectiveRunner = async (inst, p, o) => {
	const m = coverModel(inst);
	const s = await selectSites(m, { k: p.sites, form: 'cover', exact: p.exact, timeLimitS: p.timeLimitS, localSearch: p.localSearch, lpBound: p.lpBound, solver: o.solver, control: o.control });
	const { order, gains } = rankSavings(m, s.open);
	let run = 0;
	return {
		open: order,
		gains,
		runningTotals: gains.map((g) => (run += g)),
		objectiveValue: s.saving,
		bound: s.savingBound,
		optimal: s.optimal,
		method: s.method,
		boundMethod: s.boundMethod,
		sense: 'max',
		solverStatus: s.solverStatus,
		timingsMs: s.timingsMs
	};
};

const runMedian: ObjectiveRunner = async (inst, p, o) => {
	if (p.penaltyMinutes > inst.reach.cutoffMinutes)
		throw new KejimapError('BAD_ARGUMENT', `median: the penalty (${p.penaltyMinutes} min) is above the reach sets' cutoff (${inst.reach.cutoffMinutes} min); build the instance with reach minutes >= the penalty`, { field: 'penaltyMinutes' });
	const m = medianModel(inst, p.penaltyMinutes);
	const s = await selectSites(m, { k: p.sites, form: 'median', exact: p.exact, timeLimitS: p.timeLimitS, localSearch: p.localSearch, lpBound: p.lpBound, solver: o.solver, control: o.control });
	const total0 = baseCost(m);
	const { order, gains } = rankSavings(m, s.open);
	let run = total0;
	return {
		open: order,
		gains,
		runningTotals: gains.map((g) => (run -= g)),
		objectiveValue: total0 - s.saving,
		bound: Math.max(0, total0 - s.savingBound),
		optimal: s.optimal,
		method: s.method,
		boundMethod: s.boundMethod,
		sense: 'min',
		solverStatus: s.solverStatus,
		timingsMs: s.timingsMs
	};
};

const runTarget: ObjectiveRunner = async (inst, p, o) => {
	const s = await selectTarget(inst, { targetShare: p.targetShare, maxSites: p.maxSites, exact: p.exact, timeLimitS: p.timeLimitS, localSearch: p.localSearch, lpBound: p.lpBound, solver: o.solver, control: o.control });
	// rank and gains: people counted towards the goals, in greedy order
	const m = coverModel(inst);
	const goal = s.goal;
	const counted = new Float64Array(goal.length);
	const covered = new Uint8Array(inst.demand.count);
	const order = s.open;
	const gains: number[] = [];
	const { offsets, demand } = inst.reach;
	for (const j of order) {
		let g = 0;
		const add = new Float64Array(goal.length);
		for (let e = offsets[j]; e < offsets[j + 1]; e++) {
			const c = demand[e];
			const a = inst.demand.areaIndex[c];
			if (covered[c] || m.cost[e] !== 0 || m.base[c] !== 1 || a < 0 || a >= goal.length) continue;
			covered[c] = 1;
			add[a] += inst.demand.weight[c];
		}
		for (let a = 0; a < goal.length; a++) {
			const before = Math.min(goal[a], counted[a]);
			counted[a] += add[a];
			g += Math.min(goal[a], counted[a]) - before;
		}
		gains.push(g);
	}
	let run = 0;
	return {
		open: order,
		gains,
		runningTotals: gains.map((g) => (run += g)),
		objectiveValue: order.length,
		bound: s.bound,
		optimal: s.optimal,
		method: s.method,
		boundMethod: s.boundMethod,
		sense: 'min',
		areaNeeds: s.needs,
		solverStatus: s.solverStatus,
		timingsMs: s.timingsMs
	};
};

/** The objectives by name: the CLI and the worker dispatch on this table (kj-consolidate adds 'consolidate'). */
export const OBJECTIVES: Record<string, ObjectiveRunner> = {
	cover: runCover,
	target: runTarget,
	median: runMedian,
	// kj-consolidate: village clinic merges and circuit care (consolidate-region.ts); care homes beside no facility (elderly.ts)
	consolidate: runConsolidate,
	elderly: runElderly
};

export function resolvePlanParams(p: PlanParams, inst: Pick<PlanInstance, 'maxMinutes'>): ResolvedPlanParams {
	const r: ResolvedPlanParams = {
		objective: p.objective,
		sites: p.sites ?? PLAN_DEFAULTS.sites,
		targetShare: p.targetShare ?? PLAN_DEFAULTS.targetShare,
		maxSites: p.maxSites ?? PLAN_DEFAULTS.maxSites,
		penaltyMinutes: p.penaltyMinutes ?? PLAN_DEFAULTS.penaltyMinutes ?? inst.maxMinutes,
		exact: p.exact ?? PLAN_DEFAULTS.exact,
		timeLimitS: p.timeLimitS ?? PLAN_DEFAULTS.timeLimitS,
		localSearch: p.localSearch ?? PLAN_DEFAULTS.localSearch,
		lpBound: p.lpBound ?? PLAN_DEFAULTS.lpBound,
		// kj-consolidate: consolidate's limits (PLAN_DEFAULTS.consolidate, checked by consolidate.ts); the demand weight
		...(p.objective === 'consolidate'
			? { maxLossPeople: p.maxLossPeople ?? PLAN_DEFAULTS.consolidate.maxLossPeople, minServicePopulation: p.minServicePopulation ?? PLAN_DEFAULTS.consolidate.minServicePopulation }
			: {}),
		demandWeight: p.demandWeight ?? PLAN_DEFAULTS.demandWeight
	};
	const bad = (field: string, msg: string) => {
		throw new KejimapError('BAD_ARGUMENT', msg, { field });
	};
	if (!Number.isInteger(r.sites) || r.sites < 0) bad('sites', `sites must be a whole number >= 0 (got ${r.sites})`);
	if (!(r.targetShare >= 0 && r.targetShare <= 1)) bad('targetShare', `target share must be in 0..1 (got ${r.targetShare})`);
	if (!Number.isInteger(r.maxSites) || r.maxSites < 0) bad('maxSites', `maxSites must be a whole number >= 0 (got ${r.maxSites})`);
	if (!(r.penaltyMinutes > 0)) bad('penaltyMinutes', `penalty minutes must be > 0 (got ${r.penaltyMinutes})`);
	if (!(r.timeLimitS > 0)) bad('timeLimitS', `time limit must be > 0 seconds (got ${r.timeLimitS})`);
	return r;
}

export async function plan(inst: PlanInstance, params: PlanParams, o: PlanRunOptions = {}): Promise<PlanResult> {
	const runner = OBJECTIVES[params.objective];
	if (!runner) throw new KejimapError('BAD_ARGUMENT', `unknown objective "${params.objective}"; known: ${Object.keys(OBJECTIVES).join(', ')}`, { field: 'objective' });
	const p = resolvePlanParams(params, inst);
	const out = await runner(inst, p, o);
	o.control?.onProgress?.({ stage: 'summary', done: 0, total: 1 });
	const ranks = new Map(out.open.map((j, i) => [j, i + 1]));
	const sites: PlanSite[] = out.open.map((j, i) => {
		const c = inst.candidates[j];
		return {
			candidate: j,
			id: c.id,
			lon: c.lon,
			lat: c.lat,
			kind: c.kind,
			...(c.name !== undefined ? { name: c.name } : {}),
			areaIndex: c.areaIndex,
			areaId: c.areaIndex >= 0 ? (inst.areas[c.areaIndex]?.id ?? null) : null,
			gain: out.gains[i],
			rank: i + 1,
			runningTotal: out.runningTotals[i]
		};
	});
	const before = planTable(inst, inst.demand.baseMinutes, p.targetShare);
	const after = planTable(inst, out.afterMinutes ?? minutesWith(inst, out.open), p.targetShare);
	const v = out.objectiveValue,
		b = out.bound;
	const boundShare = out.optimal ? 1 : out.sense === 'max' ? (b > 0 ? v / b : 1) : v > 0 ? b / v : 1;
	let excludedCandidates = 0;
	if (inst.excluded) for (let j = 0; j < inst.excluded.length; j++) excludedCandidates += inst.excluded[j];
	const result: PlanResult = {
		objective: p.objective,
		sites,
		objectiveValue: v,
		bound: b,
		optimal: out.optimal,
		boundShare,
		method: out.method,
		boundMethod: out.boundMethod,
		before,
		after,
		params: p,
		diagnostics: {
			candidates: inst.candidates.length,
			excludedCandidates,
			reachEntries: inst.reach.demand.length,
			solverStatus: out.solverStatus,
			notes: [...(inst.notes ?? []), ...(out.notes ?? [])],
			timingsMs: out.timingsMs
		}
	};
	if (out.areaNeeds)
		result.areaNeeds = out.areaNeeds.map((a) => ({ ...a, siteRanks: sites.filter((s) => s.areaIndex === a.areaIndex).map((s) => ranks.get(s.candidate)!) }));
	if (out.extensions) result.extensions = out.extensions;
	return result;
}
