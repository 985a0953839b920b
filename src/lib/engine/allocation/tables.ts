/**
 * Before / after per-area tables of a plan, made by coverage's own summarizeCoverage (so they have the shape and
 * the rounding of `npm run coverage -- --json`), on the instance's demand with the chosen sites' minutes.
 */
import { summarizeCoverage } from '../coverage/coverage';
import type { CellResult, CellTable } from '../types';
import type { PlanInstance, PlanTable } from './types';

/** Minutes per demand point with `open` added: min(existing, each open site's reach). */
export function minutesWith(inst: PlanInstance, open: ArrayLike<number>): Float32Array {
	const out = Float32Array.from(inst.demand.baseMinutes);
	const { offsets, demand, minutes } = inst.reach;
	for (let i = 0; i < open.length; i++) {
		const j = open[i];
		for (let e = offsets[j]; e < offsets[j + 1]; e++) if (minutes[e] < out[demand[e]]) out[demand[e]] = minutes[e];
	}
	return out;
}

export function planTable(inst: PlanInstance, minutes: Float32Array, targetShare: number): PlanTable {
	const { demand, tableMeta } = inst;
	const cells = {
		count: demand.count,
		population: demand.weight,
		areaIndex: demand.areaIndex,
		populationMethod: tableMeta?.populationMethod ?? 'uniform'
	} as unknown as CellTable;
	const result: CellResult = { minutes, facility: new Int32Array(0), method: demand.baseMethod ?? new Uint8Array(demand.count) };
	const s = summarizeCoverage(cells, result, inst.areas, { mode: tableMeta?.mode ?? 'walk', maxMinutes: inst.maxMinutes, targetShare, method: tableMeta?.method ?? 'network' });
	const table: PlanTable = { maxMinutes: s.maxMinutes, targetShare: s.targetShare, rows: s.rows, total: s.total };
	if (tableMeta?.mode) table.mode = s.mode;
	if (tableMeta?.method) table.method = s.method;
	if (tableMeta?.populationMethod) table.populationMethod = s.populationMethod;
	return table;
}
