/** The alternative population models of a region (population/models.ts), read in place from the data folder. */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CellTable } from '../../engine/types';
import { ALTERNATIVE_POPULATION_MODELS, type AlternativePopulationModel, type PopulationModelsIndex } from '../population/models';
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


/**
 * Write the alternative models of a built region for the app: per model one binary file holding, for each cell
 * in cells.bin order, the population (Float32) and then the in-grid flag (Uint8).
 */
export function writePopulationModels(regionId: string, cells: CellTable, areaCount: number, outDir: string, dataRoot = defaultDataRoot()): PopulationModelsIndex {
	const index: PopulationModelsIndex = { models: [] };
	for (const { model, grid } of loadAlternativeModels(regionId, cells, areaCount, dataRoot)) {
		const n = cells.count;
		const bytes = new Uint8Array(n * 5);
		new Float32Array(bytes.buffer, 0, n).set(grid.population);
		bytes.set(grid.inGrid, n * 4);
		const file = `population-${model.id}.bin`;
		writeFileSync(path.join(outDir, file), bytes);
		index.models.push({ id: model.id, label: model.label, licence: model.licence, file, cells: n });
	}
	writeFileSync(path.join(outDir, 'population-models.json'), JSON.stringify(index, null, 1));
	return index;
}
