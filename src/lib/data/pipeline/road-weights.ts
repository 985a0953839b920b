/** Road length as a population weight (rural counties: roads traced from imagery follow settlement). */
import type { CsrGraph } from '../../engine/types';
import type { WeightPoint, WeightReadReport } from '../population/census';

export const ROAD_SAMPLE_STEP_M = 50;

/**
 * Points every ~50 m along the roads, each undirected road once, `weight` each. Coordinates are rounded to 1e-6°
 * (~0.1 m), the precision the pipeline has always used for these points, so the cells do not change.
 */
export function roadLengthPoints(g: CsrGraph, weight: number, label: string): { points: WeightPoint[]; report: WeightReadReport } {
	const points: WeightPoint[] = [];
	const round6 = (x: number) => Number(x.toFixed(6));
	for (let u = 0; u < g.nodeCount; u++)
		for (let e = g.offsets[u]; e < g.offsets[u + 1]; e++) {
			const v = g.targets[e];
			if (g.symmetric && v < u) continue; // each undirected road once
			const k = Math.max(1, Math.round(g.lengthM[e] / ROAD_SAMPLE_STEP_M));
			for (let i = 0; i < k; i++) {
				const t = (i + 0.5) / k;
				points.push({ lon: round6(g.lon[u] + t * (g.lon[v] - g.lon[u])), lat: round6(g.lat[u] + t * (g.lat[v] - g.lat[u])), weight });
			}
		}
	return { points, report: { label, rows: points.length, invalid: 0, invalidSample: [], filteredOut: 0, kept: points.length } };
}
