/**
 * A second population model over the same H3 cells: a coarse population grid (WorldPop 2020, 1 km) as dasymetric
 * weights, refined inside each pixel by the first model (census totals over residential POIs), with the census
 * total of every area still in control. Pure: pixels in, a population per cell out.
 *
 * For each pixel: its value is split over the cells whose centre lies in it, in proportion to the first model's
 * population of those cells (evenly when they have none). Then, per area, the cells inside the grid are scaled so
 * that they hold the census total minus what the first model puts outside the grid: the area total is unchanged,
 * and outside the grid (partial districts, 金山) the first model stands. The raw grid values are never used as
 * head-counts (WorldPop over-allocates Shanghai's core by 1.26-1.69x: see its SOURCE.md).
 */
import { KejimapError } from '../../engine/errors';
import type { CellTable } from '../../engine/types';
import { parseCsv, requireColumns } from '../csv';

export interface PixelGrid {
	/** west edge and north edge of pixel (col 0, row 0), degrees; pixel size in degrees */
	west: number;
	north: number;
	sizeDeg: number;
	/** "col,row" -> people in the pixel (model values, not counts) */
	values: Map<string, number>;
	interpolated: number;
}

/** The pixels CSV of shanghai-worldpop2020-1km (one row per pixel: wp_col, wp_row, lon_min, lat_max, pop, source). */
export function readPixelCsv(text: string, file: string): PixelGrid {
	const t = parseCsv(text, file);
	requireColumns(t.header, ['wp_col', 'wp_row', 'lon_min', 'lat_max', 'lon_max', 'pop'], file);
	const values = new Map<string, number>();
	let west = NaN;
	let north = NaN;
	let sizeDeg = NaN;
	let interpolated = 0;
	t.rows.forEach((r, i) => {
		const col = Number(r.wp_col);
		const row = Number(r.wp_row);
		const pop = Number(r.pop);
		const lonMin = Number(r.lon_min);
		const latMax = Number(r.lat_max);
		const lonMax = Number(r.lon_max);
		if (![col, row, pop, lonMin, latMax, lonMax].every(Number.isFinite) || pop < 0)
			throw new KejimapError('FILE_MALFORMED', `${file}: row ${i + 2}: wp_col, wp_row, lon_min, lat_max, lon_max and pop must be numbers (pop >= 0)`, { file, row: i + 2 });
		if (Number.isNaN(sizeDeg)) {
			sizeDeg = lonMax - lonMin;
			west = lonMin - col * sizeDeg;
			north = latMax + row * sizeDeg;
		} else if (Math.abs(lonMin - (west + col * sizeDeg)) > sizeDeg * 1e-3 || Math.abs(latMax - (north - row * sizeDeg)) > sizeDeg * 1e-3)
			throw new KejimapError('FILE_MALFORMED', `${file}: row ${i + 2}: pixel (${col}, ${row}) is not on the grid of the first row`, { file, row: i + 2 });
		values.set(`${col},${row}`, pop);
		if (r.source === 'interpolated') interpolated++;
	});
	if (!values.size) throw new KejimapError('FILE_EMPTY', `${file}: no pixels`, { file });
	return { west, north, sizeDeg, values, interpolated };
}

export interface GridModelReport {
	pixelsUsed: number;
	cellsInGrid: number;
	perArea: { areaIndex: number; total: number; inGridFirstModel: number; inGridGrid: number; cellsInGrid: number }[];
}

export interface GridModel {
	population: Float64Array;
	/** 1 where the cell lies in a pixel of the grid */
	inGrid: Uint8Array;
	report: GridModelReport;
}

export function gridWeightedPopulation(cells: CellTable, areaCount: number, grid: PixelGrid): GridModel {
	const n = cells.count;
	const pixelOf = new Array<string | null>(n).fill(null);
	const cellsOfPixel = new Map<string, number[]>();
	for (let c = 0; c < n; c++) {
		const col = Math.floor((cells.lon[c] - grid.west) / grid.sizeDeg);
		const row = Math.floor((grid.north - cells.lat[c]) / grid.sizeDeg);
		const key = `${col},${row}`;
		if (!grid.values.has(key) || cells.areaIndex[c] < 0) continue;
		pixelOf[c] = key;
		let list = cellsOfPixel.get(key);
		if (!list) cellsOfPixel.set(key, (list = []));
		list.push(c);
	}
	// pixel value over its cells, in proportion to the first model inside the pixel
	const raw = new Float64Array(n);
	for (const [key, list] of cellsOfPixel) {
		const v = grid.values.get(key)!;
		let w = 0;
		for (const c of list) w += cells.population[c];
		for (const c of list) raw[c] = w > 0 ? (v * cells.population[c]) / w : v / list.length;
	}
	// census control per area
	const total = new Float64Array(areaCount);
	const outside = new Float64Array(areaCount);
	const inGridA = new Float64Array(areaCount);
	const rawSum = new Float64Array(areaCount);
	const cellsIn = new Uint32Array(areaCount);
	for (let c = 0; c < n; c++) {
		const a = cells.areaIndex[c];
		if (a < 0) continue;
		total[a] += cells.population[c];
		if (pixelOf[c] === null) outside[a] += cells.population[c];
		else {
			inGridA[a] += cells.population[c];
			rawSum[a] += raw[c];
			cellsIn[a]++;
		}
	}
	const population = new Float64Array(n);
	const inGrid = new Uint8Array(n);
	for (let c = 0; c < n; c++) {
		const a = cells.areaIndex[c];
		if (a < 0 || pixelOf[c] === null || rawSum[a] <= 0) population[c] = cells.population[c];
		else {
			population[c] = (raw[c] * (total[a] - outside[a])) / rawSum[a];
			inGrid[c] = 1;
		}
	}
	return {
		population,
		inGrid,
		report: {
			pixelsUsed: cellsOfPixel.size,
			cellsInGrid: inGrid.reduce((s, v) => s + v, 0),
			perArea: Array.from({ length: areaCount }, (_, a) => ({ areaIndex: a, total: total[a], inGridFirstModel: inGridA[a], inGridGrid: rawSum[a], cellsInGrid: cellsIn[a] }))
		}
	};
}
