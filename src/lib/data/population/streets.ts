/**
 * Check modelled population against a street-level (街道) census where no street polygons exist (pure).
 * Each cell inside the district goes to the street whose centre point is nearest (a Voronoi partition of the
 * street points, clipped to the district), and the modelled street totals are compared with the census.
 */
import { haversineM } from '../../engine/geo/measure';
import type { CellTable } from '../../engine/types';
import { createAreaLocator, type AreaSet } from '../area-set';

const mape = (errs: number[]) => errs.reduce((s, e) => s + Math.abs(e), 0) / errs.length;

export interface StreetPoint {
	name: string;
	lon: number;
	lat: number;
}

export interface StreetRow {
	name: string;
	census: number;
	modelled: number;
	cells: number;
	/** (modelled - census) / census, percent */
	errorPct: number;
	/** baseline: the district's modelled total spread evenly over its cells (same partition) */
	uniformErrorPct: number;
	/** share of the district's cells in this street's partition, and the street's official area share (if known) */
	cellSharePct: number;
	officialAreaSharePct: number | null;
	/** modelled density of the partition x the street's official area: removes most of the partition's error */
	areaAdjustedErrorPct: number | null;
}

export interface StreetComparison {
	method: string;
	rows: StreetRow[];
	/** mean absolute percentage error over the streets */
	mapePct: number;
	/** same for the uniform baseline and the area-adjusted estimate */
	mapeUniformPct: number;
	mapeAreaAdjustedPct: number | null;
	censusTotal: number;
	modelledTotal: number;
	cellsInDistrict: number;
}

/**
 * `district`: an area set holding the district polygon(s); `points`: street centres; `census`: street name -> population.
 * Every census street needs a point (after renames) and every point a census street, or this throws.
 */
export function compareStreets(
	cells: CellTable,
	district: AreaSet,
	points: StreetPoint[],
	census: Map<string, number>,
	officialAreaKm2?: Map<string, number>
): StreetComparison {
	const missing = [...census.keys()].filter((n) => !points.some((p) => p.name === n));
	const extra = points.filter((p) => !census.has(p.name)).map((p) => p.name);
	if (missing.length || extra.length) throw new Error(`street names do not line up: census without point [${missing.join(', ')}], points without census [${extra.join(', ')}]`);
	const locate = createAreaLocator(district);
	const modelled = new Float64Array(points.length);
	const count = new Uint32Array(points.length);
	let inDistrict = 0;
	for (let i = 0; i < cells.count; i++) {
		const lon = cells.lon[i];
		const lat = cells.lat[i];
		if (locate(lon, lat) < 0) continue;
		inDistrict++;
		let best = 0;
		let bestD = Infinity;
		for (let k = 0; k < points.length; k++) {
			const d = haversineM(lon, lat, points[k].lon, points[k].lat);
			if (d < bestD) {
				bestD = d;
				best = k;
			}
		}
		modelled[best] += cells.population[i];
		count[best]++;
	}
	const modelledTotal = modelled.reduce((a, v) => a + v, 0);
	const areaTotal = officialAreaKm2 ? points.reduce((a, p) => a + (officialAreaKm2.get(p.name) ?? NaN), 0) : NaN;
	const rows: StreetRow[] = points.map((p, k) => {
		const c = census.get(p.name)!;
		const err = (x: number) => ((x - c) / c) * 100;
		const areaShare = Number.isFinite(areaTotal) ? officialAreaKm2!.get(p.name)! / areaTotal : null;
		return {
			name: p.name,
			census: c,
			modelled: modelled[k],
			cells: count[k],
			errorPct: err(modelled[k]),
			uniformErrorPct: err((modelledTotal * count[k]) / inDistrict),
			cellSharePct: (100 * count[k]) / inDistrict,
			officialAreaSharePct: areaShare === null ? null : 100 * areaShare,
			areaAdjustedErrorPct: areaShare === null || count[k] === 0 ? null : err((modelled[k] / count[k]) * areaShare * inDistrict)
		};
	});
	rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	return {
		method: 'cells assigned to the nearest street centre point (Voronoi of the points, clipped to the district); no street polygons exist',
		rows,
		mapePct: mape(rows.map((r) => r.errorPct)),
		mapeUniformPct: mape(rows.map((r) => r.uniformErrorPct)),
		mapeAreaAdjustedPct: rows.every((r) => r.areaAdjustedErrorPct !== null) ? mape(rows.map((r) => r.areaAdjustedErrorPct!)) : null,
		censusTotal: rows.reduce((s, r) => s + r.census, 0),
		modelledTotal,
		cellsInDistrict: inDistrict
	};
}
