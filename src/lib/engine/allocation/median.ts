/**
 * Median (p-median; Hakimi 1964, ReVelle & Swain 1970): K new sites minimising the population-weighted travel
 * time to the nearest facility, existing ones fixed. Every time is capped at the penalty (PLAN_DEFAULTS:
 * penaltyMinutes = the threshold unless set), and people no facility reaches within the reach cutoff count the
 * penalty, so the objective is sum_c w_c min(time_c, penalty).
 */
import type { SavingsModel } from './savings';
import type { PlanInstance } from './types';

export function medianModel(inst: PlanInstance, penaltyMinutes: number): SavingsModel {
	const { demand, reach } = inst;
	const base = new Float64Array(demand.count);
	// both rounded to Float32, so an entry capped at the penalty saves exactly nothing
	const cap = Math.fround(penaltyMinutes);
	for (let c = 0; c < demand.count; c++) base[c] = Math.min(demand.baseMinutes[c], cap);
	const cost = new Float32Array(reach.minutes.length);
	for (let e = 0; e < cost.length; e++) cost[e] = Math.min(reach.minutes[e], cap);
	return { reach, weight: demand.weight, base, cost, excluded: inst.excluded };
}
