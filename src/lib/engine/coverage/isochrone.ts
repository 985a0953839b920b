/**
 * Isochrone polygons from cells (not triangulation): the H3 cells reached within T minutes are merged
 * into a MultiPolygon (performance-notes: routers that triangulate spend most of their time there).
 */
import { cellsToMultiPolygonCoords } from '../geo/h3';
import type { CellResult, CellTable, TravelMethod } from '../types';
import { METHOD_CODES } from '../types';
import { computeCoverage, type CoverageRequest } from './coverage';

export interface IsochroneFeature {
	type: 'Feature';
	properties: { maxMinutes: number; cells: number; population: number; methods: TravelMethod[]; facility: number | null };
	geometry: { type: 'MultiPolygon'; coordinates: number[][][][] };
}

/** Cells with minutes <= maxMinutes (optionally only those served by `facility`) merged into one polygon. */
export function isochroneFromResult(cells: CellTable, result: CellResult, maxMinutes: number, facility: number | null = null): IsochroneFeature {
	const picked: string[] = [];
	let population = 0;
	let net = false,
		rad = false;
	for (let c = 0; c < cells.count; c++) {
		if (!(result.minutes[c] <= maxMinutes)) continue;
		if (facility !== null && result.facility[c] !== facility) continue;
		picked.push(cells.h3[c]);
		population += cells.population[c];
		if (result.method[c] === METHOD_CODES.network) net = true;
		else rad = true;
	}
	const methods: TravelMethod[] = [];
	if (net) methods.push('network');
	if (rad) methods.push('radius');
	return {
		type: 'Feature',
		properties: { maxMinutes, cells: picked.length, population: Math.round(population), methods, facility },
		geometry: { type: 'MultiPolygon', coordinates: cellsToMultiPolygonCoords(picked) }
	};
}

/**
 * One facility's own isochrone: where it is reachable within maxMinutes, whether or not another
 * facility is nearer (its catchment is the nearer-only part: isochroneFromResult with `facility`).
 */
export function facilityIsochrone(req: Omit<CoverageRequest, 'active' | 'labels'>, facility: number, maxMinutes: number): IsochroneFeature {
	const run = computeCoverage({ ...req, active: [facility], labels: null, cutoffMinutes: maxMinutes });
	return isochroneFromResult(req.cells, run.result, maxMinutes, facility);
}
