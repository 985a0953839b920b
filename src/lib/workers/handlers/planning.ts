/**
 * plan: suggested sites (cover, target, median) or village-clinic merges (consolidate) for the loaded region at one
 * coverage setting, through the engine's plan() (the CLI's code path, scripts/plan-cli.ts). The reach sets are built
 * once per setting and candidate rule and kept for the next run (a new K or objective reuses them). HiGHS is injected
 * (HandlerDeps.solver): the browser worker loads its wasm from the static build on the first solve.
 * Cancel and "newest wins" go through the router's checkpoint, which plan() calls inside its loops.
 */
import { consolidationInstance, type ConsolidatePlanResult } from '../../engine/allocation/consolidate-region';
import { CANDIDATE_RULES, type CandidateRule } from '../../engine/allocation/candidates';
import { regionInstance, type RegionInstance } from '../../engine/allocation/instance';
import { plan, OBJECTIVES } from '../../engine/allocation/plan';
import type { LpSolver, PlanParams, PlanProgress, PlanResult } from '../../engine/allocation/types';
import { KejimapError } from '../../engine/errors';
import { MIN_CUTOFF_MINUTES, modesOf, timesKey, type CoverageSettings } from '../../engine/session';
import type { ProgressStage } from '../protocol';
import type { HandlerContext, HandlerResult } from '../router';
import { checkSettings, ensureGraphs } from './coverage';
import { requireSession, type HandlerDeps, type SessionSlot, type WorkerSession } from './region';

/** Candidate rules by name (a user's file of plots comes with import). */
export type PlanCandidates = (typeof CANDIDATE_RULES)[number];

export interface PlanRequest {
	settings: CoverageSettings;
	params: PlanParams;
	candidates: PlanCandidates;
}

/** plan()'s result as the CLI's --json gives it, plus what the page needs to draw and label it. */
export interface PlanResponse {
	result: PlanResult;
	/** consolidate only: the closures, circuit-care places and figures (ConsolidatePlanResult's fields) */
	consolidation: ConsolidationOutput | null;
	/** the reach sets were reused from the previous run (same setting and candidates) */
	reusedReach: boolean;
	timings: { fetchMs: number; reachMs: number; planMs: number; totalMs: number };
}

export type ConsolidationOutput = Pick<ConsolidatePlanResult, 'closures' | 'circuitCare' | 'consolidation'>;

export interface PlanningDeps extends HandlerDeps {
	/** the LP/MIP solver (HiGHS); without one, bounds come from the greedy alone */
	solver?: () => LpSolver;
}

/** Plan progress stages the page names (others show as 'plan'). */
const PLAN_STAGES: readonly string[] = ['reach', 'greedy', 'swap', 'bound', 'exact', 'summary'];

function stageOf(p: PlanProgress): ProgressStage {
	return (PLAN_STAGES.includes(p.stage) ? p.stage : 'plan') as ProgressStage;
}

/** The last instance per session (reach sets are large: one is kept). */
const instances = new WeakMap<WorkerSession, { key: string; inst: RegionInstance }>();

export async function planHandler(deps: PlanningDeps, slot: SessionSlot, req: PlanRequest, ctx: HandlerContext): Promise<HandlerResult<PlanResponse>> {
	const s = requireSession(slot);
	const t0 = performance.now();
	const settings = checkSettings(req.settings);
	const objective = req.params.objective;
	if (!OBJECTIVES[objective]) throw new KejimapError('BAD_ARGUMENT', `unknown objective "${objective}"`, { field: 'objective' });
	if (!(CANDIDATE_RULES as readonly string[]).includes(req.candidates)) throw new KejimapError('BAD_ARGUMENT', `unknown candidates "${req.candidates}"`, { field: 'candidates' });
	const cutoff = Math.max(MIN_CUTOFF_MINUTES, settings.maxMinutes);
	const penalty = req.params.penaltyMinutes;
	if (penalty !== undefined && !(penalty > 0 && penalty <= cutoff))
		throw new KejimapError('BAD_ARGUMENT', `penalty minutes must be in (0, ${cutoff}] (got ${penalty})`, { field: 'penaltyMinutes' });
	await ensureGraphs(deps, s, modesOf(settings), settings.method, ctx);
	const fetchMs = performance.now() - t0;
	await ctx.checkpoint();
	ctx.progress({ stage: 'reach', done: 0, total: 1 });

	const t1 = performance.now();
	let inst: RegionInstance;
	let reusedReach = false;
	if (objective === 'consolidate') inst = consolidationInstance(s.coverage, settings);
	else {
		const reachMinutes = objective === 'median' ? penalty : undefined;
		const key = `${timesKey(settings)}|${settings.maxMinutes}|${req.candidates}|${reachMinutes ?? ''}`;
		const cached = instances.get(s);
		if (cached?.key === key) {
			inst = cached.inst;
			reusedReach = true;
		} else {
			instances.delete(s); // free the old reach sets before building new ones
			const rule: CandidateRule = req.candidates === 'upgrade' ? { kind: 'upgrade' } : { kind: 'cells' };
			inst = regionInstance(s.coverage, settings, rule, { reachMinutes });
			instances.set(s, { key, inst });
		}
		if (inst.candidates.length === 0) throw new KejimapError('BAD_ARGUMENT', `no candidate sites (${req.candidates}) in this region`, { field: 'candidates' });
	}
	const reachMs = performance.now() - t1;
	await ctx.checkpoint();

	const t2 = performance.now();
	const result = await plan(
		inst,
		{ ...req.params, targetShare: req.params.targetShare ?? settings.targetShare },
		{
			solver: deps.solver?.(),
			control: { onProgress: (p) => ctx.progress({ stage: stageOf(p), done: p.done, total: p.total }), checkpoint: () => ctx.checkpoint() }
		}
	);
	const planMs = performance.now() - t2;
	const { extensions, ...rest } = result;
	const consolidation = objective === 'consolidate' && extensions ? (extensions as unknown as ConsolidationOutput) : null;
	return {
		payload: { result: rest, consolidation, reusedReach, timings: { fetchMs, reachMs, planMs, totalMs: performance.now() - t0 } }
	};
}
