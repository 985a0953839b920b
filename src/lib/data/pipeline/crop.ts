/** Region extents: keep the cells inside the manifest's bbox, and widen a bbox by metres. */
import { metresPerDegree } from '../../engine/geo/measure';
import type { CellTable } from '../../engine/types';

export type Bbox = [number, number, number, number];

/** The bbox grown by `m` metres on every side (degrees per metre taken at its middle latitude). */
export function expandBbox(b: Bbox, m: number): Bbox {
	const { mPerDegLon, mPerDegLat } = metresPerDegree((b[1] + b[3]) / 2);
	return [b[0] - m / mPerDegLon, b[1] - m / mPerDegLat, b[2] + m / mPerDegLon, b[3] + m / mPerDegLat];
}

/** The cells whose centre lies in the bbox (edges included), in their order; what is dropped is counted. */
export function cropCells(cells: CellTable, bbox: Bbox): { cells: CellTable; dropped: number; droppedPopulation: number } {
	const keep: number[] = [];
	let droppedPopulation = 0;
	for (let i = 0; i < cells.count; i++) {
		const inside = cells.lon[i] >= bbox[0] && cells.lon[i] <= bbox[2] && cells.lat[i] >= bbox[1] && cells.lat[i] <= bbox[3];
		if (inside) keep.push(i);
		else droppedPopulation += cells.population[i];
	}
	const pick = <T extends Float64Array | Int32Array>(a: T, C: { new (n: number): T }) => {
		const out = new C(keep.length);
		keep.forEach((k, j) => (out[j] = a[k]));
		return out;
	};
	return {
		cells: {
			...cells,
			count: keep.length,
			h3: keep.map((k) => cells.h3[k]),
			lon: pick(cells.lon, Float64Array),
			lat: pick(cells.lat, Float64Array),
			population: pick(cells.population, Float64Array),
			areaIndex: pick(cells.areaIndex, Int32Array)
		},
		dropped: cells.count - keep.length,
		droppedPopulation: Math.round(droppedPopulation)
	};
}
