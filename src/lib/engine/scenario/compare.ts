/**
 * Two coverage results on the same cells, side by side (two scenarios, or the region's facilities against one):
 * per area the people covered before and after, the people who gain and who lose access, and pass/fail changes;
 * per cell +1 (gains), -1 (loses) or 0, for the difference map. Sums run in cell order and round once, as
 * summarizeCoverage does, so "before" and "after" equal the two tables' covered figures.
 */
import { shortfallOf, type AreaInfo } from '../coverage/coverage';
import type { CellResult, CellTable } from '../types';

export interface AreaComparison {
	areaId: string;
	name: string;
	population: number;
	coveredBefore: number;
	coveredAfter: number;
	/** people in cells covered after but not before */
	gained: number;
	/** people in cells covered before but not after */
	lost: number;
	shareBefore: number;
	shareAfter: number;
	passBefore: boolean;
	passAfter: boolean;
	shortfallAfter: number;
}

export interface ScenarioComparison {
	maxMinutes: number;
	targetShare: number;
	rows: AreaComparison[];
	total: Omit<AreaComparison, 'areaId' | 'name'>;
	/** per cell: 1 = gains coverage, -1 = loses it, 0 = unchanged */
	cellChange: Int8Array;
	/** areas whose pass/fail differs, in area order */
	passChanges: { areaId: string; name: string; passAfter: boolean }[];
}

export function compareResults(
	cells: Pick<CellTable, 'count' | 'population' | 'areaIndex'>,
	areas: readonly AreaInfo[],
	before: CellResult,
	after: CellResult,
	maxMinutes: number,
	targetShare: number
): ScenarioComparison {
	const k = areas.length;
	const pop = new Float64Array(k + 1),
		covB = new Float64Array(k + 1),
		covA = new Float64Array(k + 1),
		gain = new Float64Array(k + 1),
		loss = new Float64Array(k + 1);
	const add = (i: number, p: number, b: boolean, a: boolean) => {
		pop[i] += p;
		if (b) covB[i] += p;
		if (a) covA[i] += p;
		if (a && !b) gain[i] += p;
		if (b && !a) loss[i] += p;
	};
	const cellChange = new Int8Array(cells.count);
	for (let c = 0; c < cells.count; c++) {
		const b = before.minutes[c] <= maxMinutes;
		const a = after.minutes[c] <= maxMinutes;
		cellChange[c] = a === b ? 0 : a ? 1 : -1;
		const p = cells.population[c];
		if (!(p > 0)) continue;
		const ai = cells.areaIndex[c];
		add(k, p, b, a); // slot k holds the total
		if (ai >= 0 && ai < k) add(ai, p, b, a);
	}
	const row = (i: number) => {
		const population = Math.round(pop[i]),
			coveredBefore = Math.round(covB[i]),
			coveredAfter = Math.round(covA[i]);
		const shareBefore = population > 0 ? coveredBefore / population : 0;
		const shareAfter = population > 0 ? coveredAfter / population : 0;
		return {
			population,
			coveredBefore,
			coveredAfter,
			gained: Math.round(gain[i]),
			lost: Math.round(loss[i]),
			shareBefore,
			shareAfter,
			passBefore: population > 0 ? shareBefore >= targetShare : true,
			passAfter: population > 0 ? shareAfter >= targetShare : true,
			shortfallAfter: shortfallOf(population, coveredAfter, targetShare)
		};
	};
	const rows = areas.map((a, i) => ({ areaId: a.id, name: a.name, ...row(i) }));
	return {
		maxMinutes,
		targetShare,
		rows,
		total: row(k),
		cellChange,
		passChanges: rows.filter((r) => r.passBefore !== r.passAfter).map((r) => ({ areaId: r.areaId, name: r.name, passAfter: r.passAfter }))
	};
}
