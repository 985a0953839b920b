/**
 * Consolidating village clinics (村卫生室): which ones could close or merge into a neighbour (联村设室 / 多村一室)
 * without leaving people beyond the threshold, and which neighbour becomes the central village clinic (中心村卫生室).
 *
 * National principle (docs/planning.md, policy-parameters.md): one clinic per administrative village; small or
 * neighbouring villages may share one; the village where the township health centre stands needs none.
 *
 * Per clinic, from the reach sets of the counted facilities (who reaches which cell within the threshold):
 * - served: the population for whom it is the nearest counted facility within the threshold;
 * - loss: the population it alone reaches within the threshold (no other open facility does), i.e. who would be
 *   left beyond the threshold if it closed.
 * Sequential greedy, deterministic: among the open candidates whose served population is below the minimum (or
 * that stand at a township seat) and whose loss fits in what is left of the allowed loss, close the one with the
 * smallest served population (then the smaller loss, then the lower facility index); re-evaluate its neighbours
 * (cells it covered now rely on fewer facilities, so two clinics relying on each other cannot both close); the
 * open facility that takes over most of its catchment is named the central clinic and is kept from then on.
 *
 * Auto method: a cell whose network piece loses its last facility switches to the service radius in the coverage
 * engine and may stay covered; reach sets count network reach only for network cells, so `loss` is then an upper
 * bound of the people who actually lose coverage (conservative). Radius and network methods are exact.
 */
import { KejimapError } from '../errors';
import { haversineM } from '../geo/measure';
import type { Facility, FacilityLevel } from '../types';
import type { ReachMatrix } from './types';

/** The reach matrix's CSR, one row per counted facility: the cells it reaches, with minutes. */
export type ReachRows = Pick<ReachMatrix, 'offsets' | 'demand' | 'minutes'>;

/**
 * Defaults of consolidation and circuit care, with their sources (docs/planning.md; the principles are in
 * /work/shared/docs/policy-parameters.md: one clinic per administrative village, 联村设室 / 多村一室, no clinic
 * needed where the township health centre stands, circuit care for villages with few people). Shared with the
 * other objectives through PLAN_DEFAULTS.consolidate.
 */
export const CONSOLIDATE_DEFAULTS = {
	/** people the plan may leave beyond the threshold: none (a merge must keep everyone within reach; modelling default) */
	maxLossPeople: 0,
	/** 《村卫生室管理办法（试行）》(2014): village doctors at >= 1 per 1,000 people served; a clinic serving fewer
	 *  than 1,000 keeps less than one doctor's workload, so it may share one with a neighbour */
	minServicePopulation: 1000,
	/** a village clinic this close to a township-level centre is in the township seat's village: a 15-minute walk,
	 *  GB 50180-2018's 800-1000 m (policy-parameters.md) */
	townshipSeatDistanceM: 1000,
	/** levels that stand in a township seat: township health centres, and in Shanghai the community health service
	 *  centres they became */
	townshipSeatLevels: ['township', 'chc'] as FacilityLevel[],
	/** circuit care: an uncovered place with fewer people than a clinic's minimum service population */
	circuitCareMaxPopulation: 1000,
	/** cells under one (modelled) person are the uniform spread of a census total, not a settlement */
	circuitCareMinCellPopulation: 1
} as const;

export interface ConsolidationParams {
	/** people the whole plan may leave beyond the threshold (sum over closures) */
	maxLossPeople: number;
	/** a clinic serving fewer people than this (as the nearest within the threshold) may close */
	minServicePopulation: number;
}

export interface ConsolidationInput {
	/** population per cell */
	population: ArrayLike<number>;
	/** facility index of each reach row: the counted (active) facilities */
	rowFacility: Int32Array;
	/** entries above maxMinutes are ignored (a reach matrix may be built to a larger cutoff) */
	reach: ReachRows;
	maxMinutes: number;
	/** rows that may close (the village clinics) */
	candidate: (row: number) => boolean;
	/** rows at a township seat: may close whatever their served population (the loss limit still holds) */
	atTownshipSeat?: (row: number) => boolean;
	params: ConsolidationParams;
}

export interface ClinicFigures {
	facility: number;
	/** people for whom it is the nearest counted facility within the threshold */
	servedPopulation: number;
	/** people no other counted facility reaches within the threshold */
	lossPopulation: number;
	atTownshipSeat: boolean;
}

export interface Closure {
	/** 1 = first closure suggested */
	rank: number;
	facility: number;
	/** at the moment of closing (after the earlier closures) */
	servedPopulation: number;
	lossPopulation: number;
	reason: 'small' | 'township-seat';
	/** the open facility that takes over most of the catchment (the central village clinic), -1 = none; for a
	 *  clinic that is nobody's nearest, the facility nearest for most of the people it reaches */
	takeoverFacility: number;
	/** people of the catchment it takes over (for a clinic that is nobody's nearest: of its reach) */
	takeoverPopulation: number;
}

export interface ConsolidationResult {
	/** every candidate clinic as it stands before any closure, in row order */
	clinics: ClinicFigures[];
	closures: Closure[];
	/** people left beyond the threshold by all closures together */
	lostPopulation: number;
	/** facility indices that close */
	closedFacilities: number[];
	/**
	 * Candidates eligible before any closure (small or at a seat, loss within the limit). Served populations only
	 * grow and losses only grow as clinics close, so no sequence of closures under these rules closes more:
	 * a proven upper bound on the number of closures.
	 */
	initiallyEligible: number;
}

/** Transpose: per cell, the rows reaching it sorted by (minutes, facility index), the coverage tie-break. */
function cellLists(n: number, reach: ReachRows, maxMinutes: number, rowFacility: Int32Array): { start: Uint32Array; row: Int32Array } {
	const rows = reach.offsets.length - 1;
	const start = new Uint32Array(n + 1);
	for (let i = 0; i < reach.demand.length; i++) if (reach.minutes[i] <= maxMinutes) start[reach.demand[i] + 1]++;
	for (let c = 0; c < n; c++) start[c + 1] += start[c];
	const fill = start.slice(0, n);
	const row = new Int32Array(start[n]);
	const minutesOf = new Float32Array(start[n]);
	for (let r = 0; r < rows; r++)
		for (let e = reach.offsets[r]; e < reach.offsets[r + 1]; e++) {
			if (!(reach.minutes[e] <= maxMinutes)) continue;
			const c = reach.demand[e];
			const k = fill[c]++;
			row[k] = r;
			minutesOf[k] = reach.minutes[e];
		}
	// insertion sort per cell: lists are short (the facilities within the threshold of one cell)
	for (let c = 0; c < n; c++)
		for (let i = start[c] + 1; i < start[c + 1]; i++) {
			const r = row[i],
				m = minutesOf[i];
			let j = i - 1;
			while (j >= start[c] && (minutesOf[j] > m || (minutesOf[j] === m && rowFacility[row[j]] > rowFacility[r]))) {
				row[j + 1] = row[j];
				minutesOf[j + 1] = minutesOf[j];
				j--;
			}
			row[j + 1] = r;
			minutesOf[j + 1] = m;
		}
	return { start, row };
}

export function checkConsolidationParams(p: ConsolidationParams): void {
	if (!(p.maxLossPeople >= 0) || !Number.isFinite(p.maxLossPeople))
		throw new KejimapError('BAD_ARGUMENT', `maxLossPeople must be a number of people >= 0 (got ${p.maxLossPeople})`, { field: 'maxLossPeople' });
	if (!(p.minServicePopulation >= 0) || !Number.isFinite(p.minServicePopulation))
		throw new KejimapError('BAD_ARGUMENT', `minServicePopulation must be a number of people >= 0 (got ${p.minServicePopulation})`, { field: 'minServicePopulation' });
}

export function consolidate(input: ConsolidationInput): ConsolidationResult {
	checkConsolidationParams(input.params);
	const { population: pop, rowFacility, reach } = input;
	const n = pop.length;
	const rows = rowFacility.length;
	if (reach.offsets.length !== rows + 1)
		throw new KejimapError('BAD_ARGUMENT', `consolidate: ${reach.offsets.length - 1} reach rows for ${rows} facilities`);
	const { start, row: cellRow } = cellLists(n, reach, input.maxMinutes, rowFacility);
	const open = new Uint8Array(rows).fill(1);
	const kept = new Uint8Array(rows);
	const coverCount = new Int32Array(n);
	for (let c = 0; c < n; c++) coverCount[c] = start[c + 1] - start[c];
	const firstOpen = (c: number): number => {
		for (let i = start[c]; i < start[c + 1]; i++) if (open[cellRow[i]]) return cellRow[i];
		return -1;
	};
	const nearest = new Int32Array(n);
	const served = new Float64Array(rows);
	const loss = new Float64Array(rows);
	for (let c = 0; c < n; c++) {
		const r = (nearest[c] = firstOpen(c));
		if (r < 0) continue;
		served[r] += pop[c];
		if (coverCount[c] === 1) loss[r] += pop[c];
	}
	const seat = (r: number) => input.atTownshipSeat?.(r) ?? false;
	const clinics: ClinicFigures[] = [];
	for (let r = 0; r < rows; r++)
		if (input.candidate(r))
			clinics.push({ facility: rowFacility[r], servedPopulation: served[r], lossPopulation: loss[r], atTownshipSeat: seat(r) });

	const { maxLossPeople, minServicePopulation } = input.params;
	let initiallyEligible = 0;
	for (let r = 0; r < rows; r++) if (input.candidate(r) && (served[r] < minServicePopulation || seat(r)) && loss[r] <= maxLossPeople + 1e-9) initiallyEligible++;
	const closures: Closure[] = [];
	let lost = 0;
	const tally = new Map<number, number>();
	for (;;) {
		let best = -1;
		for (let r = 0; r < rows; r++) {
			if (!open[r] || kept[r] || !input.candidate(r)) continue;
			if (!(served[r] < minServicePopulation || seat(r))) continue;
			if (lost + loss[r] > maxLossPeople + 1e-9) continue;
			if (best < 0 || served[r] < served[best] || (served[r] === served[best] && (loss[r] < loss[best] || (loss[r] === loss[best] && rowFacility[r] < rowFacility[best]))))
				best = r;
		}
		if (best < 0) break;
		const r = best;
		const closure: Closure = {
			rank: closures.length + 1,
			facility: rowFacility[r],
			servedPopulation: served[r],
			lossPopulation: loss[r],
			reason: served[r] < minServicePopulation ? 'small' : 'township-seat',
			takeoverFacility: -1,
			takeoverPopulation: 0
		};
		open[r] = 0;
		lost += loss[r];
		tally.clear();
		for (let e = reach.offsets[r]; e < reach.offsets[r + 1]; e++) {
			if (!(reach.minutes[e] <= input.maxMinutes)) continue;
			const c = reach.demand[e];
			const left = --coverCount[c];
			if (left === 1) loss[firstOpen(c)] += pop[c]; // the one left now holds this cell alone
			if (nearest[c] === r) {
				const next = (nearest[c] = firstOpen(c));
				if (next >= 0) {
					served[next] += pop[c];
					if (pop[c] > 0) tally.set(next, (tally.get(next) ?? 0) + pop[c]);
				}
			}
		}
		// a clinic nobody has as nearest: its neighbours' patients are served by whoever serves most of its reach
		if (tally.size === 0)
			for (let e = reach.offsets[r]; e < reach.offsets[r + 1]; e++) {
				const c = reach.demand[e];
				if (reach.minutes[e] <= input.maxMinutes && nearest[c] >= 0 && pop[c] > 0) tally.set(nearest[c], (tally.get(nearest[c]) ?? 0) + pop[c]);
			}
		let take = -1,
			takePop = 0;
		for (const [t, p] of tally) if (p > takePop || (p === takePop && rowFacility[t] < rowFacility[take])) [take, takePop] = [t, p];
		if (take >= 0) {
			kept[take] = 1; // the central village clinic stays
			closure.takeoverFacility = rowFacility[take];
			closure.takeoverPopulation = takePop;
		}
		served[r] = 0;
		loss[r] = 0;
		closures.push(closure);
	}
	return { clinics, closures, lostPopulation: lost, closedFacilities: closures.map((c) => c.facility), initiallyEligible };
}

/**
 * Which rows are village clinics standing where a township health centre stands (the village of the township
 * seat needs no clinic of its own): a facility of `seatLevels` among the rows lies within `seatDistanceM`.
 * 1 = at a seat. Brute force over the seat facilities: a region has tens to hundreds of them.
 */
export function townshipSeatRows(
	facilities: readonly Pick<Facility, 'lon' | 'lat' | 'level'>[],
	rowFacility: Int32Array,
	seatLevels: readonly FacilityLevel[],
	seatDistanceM: number
): Uint8Array {
	const out = new Uint8Array(rowFacility.length);
	const seats = [...rowFacility].filter((f) => seatLevels.includes(facilities[f].level));
	rowFacility.forEach((f, r) => {
		const a = facilities[f];
		if (a.level !== 'village_clinic') return;
		for (const s of seats) if (haversineM(a.lon, a.lat, facilities[s].lon, facilities[s].lat) <= seatDistanceM) return void (out[r] = 1);
	});
	return out;
}
