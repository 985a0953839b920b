/**
 * Cover (maximal covering, MCLP; Church & ReVelle 1974): K new sites maximising the people newly brought within
 * the threshold, the existing facilities fixed. As a SavingsModel: base 1 for people beyond the threshold (0
 * within), entry cost 0 when the entry is within the threshold (else 1), so the saving is the people gained.
 */
import type { SavingsModel } from './savings';
import type { PlanInstance } from './types';

export function coverModel(inst: PlanInstance): SavingsModel {
	const { demand, reach, maxMinutes } = inst;
	const base = new Float64Array(demand.count);
	for (let c = 0; c < demand.count; c++) base[c] = demand.baseMinutes[c] <= maxMinutes ? 0 : 1;
	const cost = new Float32Array(reach.minutes.length);
	for (let e = 0; e < cost.length; e++) cost[e] = reach.minutes[e] <= maxMinutes ? 0 : 1;
	return { reach, weight: demand.weight, base, cost, excluded: inst.excluded };
}
