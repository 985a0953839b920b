/**
 * Location-allocation (planning): the shapes the objectives, the CLI, the worker and the bench share.
 *
 * A planning run works on a PlanInstance: demand points (cells, or the user's points) with a weight and the
 * time to the nearest EXISTING facility (which stays open), candidate sites, and the reach matrix
 * (candidate -> demand points within the cutoff, with minutes). Every objective reads only these arrays, so
 * one instance serves cover, target and median at one setting, and it moves to a worker by transfer.
 *
 * Minutes, not seconds: reach minutes are Float32 exactly as coverage stores CellResult.minutes
 * (Math.fround(seconds / 60)), so "covered" is the same test (minutes <= maxMinutes) bit for bit.
 */
import type { CoverageSummary } from '../types';
import { CONSOLIDATE_DEFAULTS } from './consolidate';
import type { DemandWeightKind } from './elderly';

/**
 * Candidate -> demand points reached within `cutoffMinutes`: a CSR of typed arrays (transferable).
 * Entries of candidate j are offsets[j] .. offsets[j+1), demand indices ascending.
 */
export interface ReachMatrix {
	candidateCount: number;
	demandCount: number;
	/** times above this are not stored (minutes) */
	cutoffMinutes: number;
	offsets: Uint32Array; // length candidateCount + 1
	demand: Uint32Array; // length offsets[candidateCount]
	minutes: Float32Array; // same length: the time from the demand point to the candidate, as coverage computes it
}

/** The buffers of a reach matrix, for postMessage transfer lists. */
export function reachTransferables(r: ReachMatrix): ArrayBuffer[] {
	return [r.offsets.buffer, r.demand.buffer, r.minutes.buffer] as ArrayBuffer[];
}

/** Where a candidate site comes from. */
export type CandidateKind =
	| 'cell' // centre of a populated cell (default)
	| 'upgrade' // an existing facility of a level that is not counted (e.g. a clinic that becomes a station)
	| 'file'; // a row of the user's file of feasible plots (id, lon, lat)

export interface Candidate {
	/** cell: the H3 index; upgrade: the facility id; file: the user's id */
	id: string;
	lon: number; // WGS84
	lat: number;
	kind: CandidateKind;
	/** cell index, facility index or file row (0-based data row) */
	source: number;
	/** index into the instance's areas, -1 = outside every area */
	areaIndex: number;
	/** upgrade: the facility's name (reports) */
	name?: string;
}

/** Demand points: weight (population), area and the time to the nearest existing facility. */
export interface DemandSet {
	count: number;
	/** people (cell population); may be fractional (modelled population) */
	weight: Float64Array;
	/** index into the instance's areas, -1 = outside every area */
	areaIndex: Int32Array;
	/** minutes to the nearest existing (fixed) facility as coverage computes them; Infinity = beyond every cutoff */
	baseMinutes: Float32Array;
	/** optional labels for reports (H3 index or the user's id) */
	ids?: string[];
	/** per point: how its base time was made (METHOD_CODES), for the tables' network share; default all network */
	baseMethod?: Uint8Array;
}

export interface PlanArea {
	id: string;
	name: string;
}

/** Everything an objective needs. Built once per setting (mode, minutes, levels, method, candidate rule). */
export interface PlanInstance {
	demand: DemandSet;
	candidates: Candidate[];
	reach: ReachMatrix;
	areas: PlanArea[];
	/** coverage threshold of this instance (minutes): covered = minutes <= maxMinutes */
	maxMinutes: number;
	/** candidates that may not be chosen (already open, or left out by a rule); reported in diagnostics */
	excluded?: Uint8Array;
	/** how the instance was built, for reports (e.g. candidates left out and why) */
	notes?: PlanNote[];
	/** copied into the before/after tables (region instances: the coverage settings) */
	tableMeta?: Partial<Pick<CoverageSummary, 'mode' | 'method' | 'populationMethod'>>;
}

/** A sentence for the report: a code for i18n ('plan.note.<code>') and its figures. */
export interface PlanNote {
	code: string;
	count?: number;
	detail?: string;
}

/** The objectives. kj-consolidate adds 'consolidate' through the objective table in plan.ts. */
export type PlanObjective = 'cover' | 'target' | 'median' | (string & {});

/** Exact MIP: 'auto' = when the model is small enough (EXACT_AUTO_MAX_NONZEROS), 'always', or 'never'. */
export type ExactChoice = 'auto' | 'always' | 'never';

/** Parameters of a run. Unset fields take PLAN_DEFAULTS (resolvePlanParams). */
export interface PlanParams extends ConsolidatePlanParams {
	objective: PlanObjective;
	/** cover, median: number of new sites K */
	sites?: number;
	/** target: share of each area's population to bring within the threshold */
	targetShare?: number;
	/** target: stop after this many sites even if some area still misses the target */
	maxSites?: number;
	/** median: minutes counted for people beyond the cutoff (and the cap of every time) */
	penaltyMinutes?: number;
	exact?: ExactChoice;
	/** HiGHS time limit for the exact model or the LP bound (seconds) */
	timeLimitS?: number;
	/** run 1-swap local search after the greedy */
	localSearch?: boolean;
	/** solve the LP relaxation for a bound when the model is small enough (LP_AUTO_MAX_NONZEROS) */
	lpBound?: boolean;
}

// ---- consolidate and elderly (kj-consolidate): optional in params and in a result's params ----
export interface ConsolidatePlanParams {
	/** consolidate: people the whole plan may leave beyond the threshold */
	maxLossPeople?: number;
	/** consolidate: a village clinic serving fewer people may close; also the circuit-care place limit */
	minServicePopulation?: number;
	/** cover: weight demand by the elderly (elderly.ts) */
	demandWeight?: DemandWeightKind;
}

/**
 * Every number that steers a suggestion, with its source. The coverage settings (mode, minutes, levels,
 * method, target share) come from the region's policy (docs/policy-parameters.md via the manifest); these
 * are the planning-only ones. See docs/planning.md.
 */
export const PLAN_DEFAULTS = {
	/** cover, median: new sites. A modelling default (no policy figure): a district-sized first look. */
	sites: 10,
	/** target: the region policy's targetShare; this only applies when no policy is given (Shanghai's 90%,
	 *  《进一步提升上海市社区卫生服务能力的实施方案》(2023), policy-parameters.md) */
	targetShare: 0.9,
	/** target: safety cap on the number of sites (the run reports areas still short) */
	maxSites: 1000,
	/** median: penalty = the threshold, so the objective is sum(population x min(time, threshold)): no jump at the
	 *  cutoff and the same reach sets as cover (a modelling choice, docs/planning.md) */
	penaltyMinutes: null as number | null,
	exact: 'auto' as ExactChoice,
	/** seconds; long enough for the SF and OR-Library n = 100 models (0.01-1.3 s measured with HiGHS) */
	timeLimitS: 30,
	localSearch: true,
	/** after the 1-swap: VNS shake rounds (local-search.ts shakeSearch), at most; 0 = none. A modelling default
	 *  (no policy figure): 20 brings every OR-Library pmed1-40 within 1% of its optimum (docs/planning.md) */
	shakeRounds: 20,
	/** ... and at most this many reach entries swept by the shakes' swap passes (about 15 passes on Shanghai's 2 M
	 *  entries, 37 on pmed40's 0.81 M), so the extra work has a fixed ceiling whatever the instance */
	shakeMaxEntries: 30_000_000,
	/** mulberry32 seed of the shakes: a fixed number, so the same instance always gives the same sites */
	shakeSeed: 1,
	lpBound: true,
	/** candidates: cells with population above this (people) */
	candidateMinPopulation: 0,
	// ---- consolidate (kj-consolidate): village clinic merges and circuit care, sources in consolidate.ts ----
	consolidate: CONSOLIDATE_DEFAULTS,
	/** cover: demand = population (elderly weights: 'elderly-beds', 'age60'; elderly.ts) */
	demandWeight: 'population' as DemandWeightKind
} as const;

/** Exact MIP without asking when the model has at most this many nonzeros (SF: ~3,300; pmed n=100: ~20,000). */
export const EXACT_AUTO_MAX_NONZEROS = 60_000;
/** LP relaxation for the bound when the model has at most this many nonzeros (memory in the wasm heap). */
export const LP_AUTO_MAX_NONZEROS = 2_000_000;

/** One suggested site, in the order chosen (rank 1 = first). */
export interface PlanSite {
	candidate: number; // index into instance.candidates
	id: string;
	lon: number;
	lat: number;
	kind: CandidateKind;
	/** upgrade: the facility's name */
	name?: string;
	areaIndex: number;
	areaId: string | null;
	/** cover / target: people newly within the threshold by adding this site after the ones ranked before it;
	 *  median: reduction of the population-weighted minutes */
	gain: number;
	rank: number;
	/** objective value after the sites up to this one (cover: people; median: people x minutes; target: people
	 *  counted towards the area targets) */
	runningTotal: number;
}

/** Per-area table in the shape of `npm run coverage -- --json` (mode, method, populationMethod when known). */
export type PlanTable = Pick<CoverageSummary, 'maxMinutes' | 'targetShare' | 'rows' | 'total'> &
	Partial<Pick<CoverageSummary, 'mode' | 'method' | 'populationMethod'>>;

/** Target objective: what each area needs. */
export interface AreaNeed {
	areaIndex: number;
	areaId: string;
	name: string;
	population: number;
	/** people to bring within the threshold for the area to pass (0 when passing before) */
	need: number;
	/** the most the candidates can cover in this area, with every candidate open (people, incl. existing) */
	reachableCovered: number;
	/** false: the target cannot be reached from these candidates (reported, not silently dropped) */
	reachable: boolean;
	/** chosen sites that lie in this area (ranks) and how many */
	siteRanks: number[];
}

export type PlanMethod = 'greedy' | 'greedy+swap' | 'exact' | 'exact-time-limit';
/** 'eligible' (consolidate): the clinics eligible before any closure, an upper bound on the closures */
export type BoundMethod = 'mip' | 'lp' | 'greedy-online' | 'none' | 'eligible';

export interface PlanResult {
	objective: PlanObjective;
	sites: PlanSite[];
	/** cover: people newly within the threshold; median: sum of population x minutes over all demand (capped at the
	 *  penalty); target: number of sites */
	objectiveValue: number;
	/** proven upper bound (cover) or lower bound (median, target) on the best possible value */
	bound: number;
	/** true only when proven (bound equals the value) */
	optimal: boolean;
	/** "at least X of the best possible": value / bound for cover, bound / value for median and target (1 = optimal) */
	boundShare: number;
	method: PlanMethod;
	boundMethod: BoundMethod;
	before: PlanTable;
	after: PlanTable;
	/** target only */
	areaNeeds?: AreaNeed[];
	/** objective-specific output (e.g. consolidate: closures, circuitCare) */
	extensions?: Record<string, unknown>;
	params: Required<Omit<PlanParams, 'penaltyMinutes' | keyof ConsolidatePlanParams>> & { penaltyMinutes: number } & ConsolidatePlanParams;
	diagnostics: {
		candidates: number;
		excludedCandidates: number;
		reachEntries: number;
		/** solver status text when HiGHS ran */
		solverStatus?: string;
		notes: PlanNote[];
		timingsMs: Record<string, number>;
	};
}

// ---- LP / MIP as plain data; the solver is injected (the engine holds no wasm) ----

/** min/max colCost . x + offset, rowLower <= A x <= rowUpper, colLower <= x <= colUpper. Rows as CSR. */
export interface LpModel {
	sense: 'min' | 'max';
	offset: number;
	colCost: Float64Array;
	colLower: Float64Array;
	colUpper: Float64Array;
	/** 1 = integer column */
	integer: Uint8Array;
	rowLower: Float64Array; // -Infinity = none
	rowUpper: Float64Array; // Infinity = none
	rowStarts: Int32Array; // length rows + 1
	rowIndex: Int32Array; // column of each nonzero
	rowValue: Float64Array;
}

export interface LpSolveOptions {
	/** solve with integrality dropped */
	relax: boolean;
	timeLimitS: number;
	/** MIP: stop when the relative gap is at most this (default 1e-9, so 'optimal' means proven) */
	relativeGap?: number;
}

export interface LpSolution {
	status: 'optimal' | 'time-limit' | 'infeasible' | 'error';
	/** objective of the best solution found (NaN when none) */
	objective: number;
	/** proven bound: = objective when optimal; the MIP dual bound at a time limit; NaN when unknown */
	bound: number;
	/** column values of the best solution found, or null */
	x: Float64Array | null;
	/** the solver's own status text */
	detail: string;
}

/** Implemented outside the engine (src/lib/workers/solvers/highs.ts); tests may inject another. */
export interface LpSolver {
	solve(model: LpModel, opts: LpSolveOptions): Promise<LpSolution>;
}

// ---- progress and cancellation inside long loops ----

export interface PlanProgress {
	stage: 'reach' | 'greedy' | 'swap' | 'bound' | 'exact' | 'summary' | (string & {});
	done: number;
	total: number;
}

export interface PlanControl {
	onProgress?: (p: PlanProgress) => void;
	/** aborted -> the run throws PlanCancelled at the next checkpoint */
	signal?: AbortSignal;
	/** called now and then inside long loops; may yield to the event loop and throw to cancel (worker checkpoint) */
	checkpoint?: () => Promise<void>;
}

export class PlanCancelled extends Error {
	constructor() {
		super('planning cancelled');
		this.name = 'PlanCancelled';
	}
}
