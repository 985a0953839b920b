/** The alternative population models of a region (population/models.ts), read in place from the data folder. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CellTable } from '../../engine/types';
import { ALTERNATIVE_POPULATION_MODELS, type AlternativePopulationModel } from '../population/models';
import { gridWeightedPopulation, readPixelCsv, type GridModel } from '../population/worldpop-model';
import { defaultDataRoot, readTextFile } from './files';

/** Models whose file is missing are skipped (the data folder may not hold every dataset). */
export function loadAlternativeModels(regionId: string, cells: CellTable, areaCount: number, dataRoot = defaultDataRoot()): { model: AlternativePopulationModel; grid: GridModel }[] {
	const out: { model: AlternativePopulationModel; grid: GridModel }[] = [];
	for (const model of ALTERNATIVE_POPULATION_MODELS[regionId] ?? []) {
		const file = path.join(dataRoot, model.path);
		if (!existsSync(file)) continue;
		const grid = readPixelCsv(readTextFile(file, `population model ${model.id}`), model.path);
		out.push({ model, grid: gridWeightedPopulation(cells, areaCount, grid) });
	}
	return out;
}
