/**
 * Circuit-care (巡回医疗) candidates: populated places that no counted clinic reaches within the threshold and
 * that are too small to justify a clinic of their own (the 2023 national opinion: villages with few people are
 * served by circuit care, neighbouring-village extension or staff sent from above; policy-parameters.md).
 *
 * A place is a connected group of uncovered populated cells (H3 neighbours), so a hamlet spread over three cells
 * is one place. A place with fewer people than `maxPlacePopulation` is a circuit-care candidate; a larger one is
 * counted apart: it is a site for a new clinic (the Cover objective), not for a visiting doctor.
 * Each place carries the time to the nearest counted facility (beyond the threshold; null when even the
 * run's cutoff is not enough) and which facility that is.
 */
import { neighbours } from '../geo/h3';
import type { CellResult, CellTable } from '../types';

export interface CircuitCareParams {
	/** places with fewer people than this are circuit-care candidates */
	maxPlacePopulation: number;
	/** cells with fewer people than this are not a settlement (the uniform share of a modelled population) */
	minCellPopulation: number;
}

export interface CircuitCarePlace {
	/** the most populous cell of the place (lower index on ties): its H3 index and centre */
	h3: string;
	lon: number;
	lat: number;
	areaIndex: number;
	population: number;
	cellCount: number;
	/** minutes to the nearest counted facility; null = beyond the run's cutoff */
	minutesToNearest: number | null;
	/** facility index of that nearest facility, -1 when none within the cutoff */
	nearestFacility: number;
}

export interface CircuitCareResult {
	/** candidates, most people first (then the lower cell index) */
	places: CircuitCarePlace[];
	/** uncovered places at or above maxPlacePopulation: they need a clinic, not circuit care */
	largerPlaces: number;
	largerPlacesPopulation: number;
	/** people in uncovered cells below minCellPopulation (left out of every place) */
	scatteredPopulation: number;
}

export function circuitCarePlaces(
	cells: Pick<CellTable, 'count' | 'h3' | 'lon' | 'lat' | 'population' | 'areaIndex'>,
	result: Pick<CellResult, 'minutes' | 'facility'>,
	maxMinutes: number,
	params: CircuitCareParams
): CircuitCareResult {
	const n = cells.count;
	const inPlace = new Uint8Array(n);
	let scatteredPopulation = 0;
	const indexOf = new Map<string, number>();
	for (let c = 0; c < n; c++) {
		const p = cells.population[c];
		if (!(p > 0) || result.minutes[c] <= maxMinutes) continue;
		if (p < params.minCellPopulation) scatteredPopulation += p;
		else {
			inPlace[c] = 1;
			indexOf.set(cells.h3[c], c);
		}
	}
	const seen = new Uint8Array(n);
	const places: CircuitCarePlace[] = [];
	let largerPlaces = 0,
		largerPlacesPopulation = 0;
	const stack: number[] = [];
	for (let c0 = 0; c0 < n; c0++) {
		if (!inPlace[c0] || seen[c0]) continue;
		seen[c0] = 1;
		stack.push(c0);
		let population = 0,
			cellCount = 0,
			top = c0,
			nearest = c0;
		while (stack.length) {
			const c = stack.pop()!;
			population += cells.population[c];
			cellCount++;
			if (cells.population[c] > cells.population[top] || (cells.population[c] === cells.population[top] && c < top)) top = c;
			const m = result.minutes[c],
				mb = result.minutes[nearest];
			if (m < mb || (m === mb && c < nearest)) nearest = c;
			for (const h of neighbours(cells.h3[c])) {
				const d = indexOf.get(h);
				if (d !== undefined && !seen[d]) {
					seen[d] = 1;
					stack.push(d);
				}
			}
		}
		if (population >= params.maxPlacePopulation) {
			largerPlaces++;
			largerPlacesPopulation += population;
			continue;
		}
		const m = result.minutes[nearest];
		places.push({
			h3: cells.h3[top],
			lon: cells.lon[top],
			lat: cells.lat[top],
			areaIndex: cells.areaIndex[top],
			population,
			cellCount,
			minutesToNearest: Number.isFinite(m) ? m : null,
			nearestFacility: Number.isFinite(m) ? result.facility[nearest] : -1
		});
	}
	places.sort((a, b) => b.population - a.population || indexOf.get(a.h3)! - indexOf.get(b.h3)!);
	return { places, largerPlaces, largerPlacesPopulation, scatteredPopulation };
}
