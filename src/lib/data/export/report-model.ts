/**
 * The per-area report columns and their labels, shared by the app's AreaTable and the print report (one column
 * list, one label per column in zh-CN and en through i18n), and the population-model comparison (the same coverage result summed under two population models).
 */
import type { CellResult, CellTable } from '../../engine/types';
import { MESSAGES, interpolate, type MessageKey, type Params } from '../../i18n';

export type AreaColumnKey = 'name' | 'population' | 'covered' | 'share' | 'pass' | 'shortfall';
export const AREA_COLUMNS: readonly { key: AreaColumnKey; label: MessageKey; numeric: boolean }[] = [
	{ key: 'name', label: 'table.name', numeric: false },
	{ key: 'population', label: 'table.population', numeric: true },
	{ key: 'covered', label: 'table.covered', numeric: true },
	{ key: 'share', label: 'table.share', numeric: true },
	{ key: 'pass', label: 'table.status', numeric: false },
	{ key: 'shortfall', label: 'table.shortfall', numeric: true }
];

/** "人口 Population": Chinese first, English second (CLI output and file headers for both readers). */
export function bilingual(key: MessageKey, params?: Params): string {
	const zh = interpolate(MESSAGES['zh-CN'][key], params);
	const en = interpolate(MESSAGES.en[key], params);
	return zh === en ? zh : `${zh} ${en}`;
}

/** One area under two population models: same cells, same times, different people per cell. */
export interface ModelComparisonRow {
	areaId: string;
	name: string;
	population: number;
	shareA: number;
	shareB: number;
	/** (shareB - shareA) in percentage points */
	diffPoints: number;
	passA: boolean;
	passB: boolean;
	/** share of the area's population (model B) that lies inside model B's own data (e.g. the WorldPop grid) */
	inModelShare: number;
}

/**
 * Per-area covered share under population A (the region's) and B (an alternative over the same cells), for one
 * coverage result. `inModel[c]` = 1 where model B has data of its own for cell c.
 */
export function compareModels(
	cells: CellTable,
	result: CellResult,
	areas: readonly { id: string; name: string }[],
	maxMinutes: number,
	targetShare: number,
	populationB: Float64Array,
	inModel: Uint8Array
): { rows: ModelComparisonRow[]; total: Omit<ModelComparisonRow, 'areaId' | 'name'> } {
	const k = areas.length + 1; // the last slot is the total
	const popA = new Float64Array(k);
	const covA = new Float64Array(k);
	const popB = new Float64Array(k);
	const covB = new Float64Array(k);
	const inB = new Float64Array(k);
	for (let c = 0; c < cells.count; c++) {
		const a = cells.areaIndex[c];
		const covered = result.minutes[c] <= maxMinutes;
		for (const slot of a >= 0 ? [a, k - 1] : [k - 1]) {
			popA[slot] += cells.population[c];
			popB[slot] += populationB[c];
			if (inModel[c]) inB[slot] += populationB[c];
			if (covered) {
				covA[slot] += cells.population[c];
				covB[slot] += populationB[c];
			}
		}
	}
	const row = (i: number) => {
		const shareA = popA[i] > 0 ? covA[i] / popA[i] : 0;
		const shareB = popB[i] > 0 ? covB[i] / popB[i] : 0;
		return {
			population: Math.round(popA[i]),
			shareA,
			shareB,
			diffPoints: 100 * (shareB - shareA),
			passA: shareA >= targetShare,
			passB: shareB >= targetShare,
			inModelShare: popB[i] > 0 ? inB[i] / popB[i] : 0
		};
	};
	return { rows: areas.map((a, i) => ({ areaId: a.id, name: a.name, ...row(i) })), total: row(k - 1) };
}
