/**
 * Beside elderly care (医养结合 / 毗邻设置, the Shanghai plan): which elderly care homes have no counted facility
 * within the threshold, and demand weighted by the elderly for the Cover objective.
 *
 * Homes are timed exactly as cells are: they go through computeCoverage as points (the same method, network
 * snapping, radius rule and tie-breaks), with the global mode (per-area modes apply to cells only).
 * Demand weights:
 * - 'population': the cell population (default);
 * - 'elderly-beds': each home's beds on the cell nearest to it (the home's own H3 cell when the region has it,
 *   else the nearest populated-grid cell within a few rings); cells without a home weigh 0;
 * - 'age60': the cell population x its area's 60+ share (census age table); cells outside every area take the
 *   population-weighted mean share.
 */
import { computeCoverage, prepareNetwork } from '../coverage/coverage';
import { KejimapError } from '../errors';
import { lonLatToCell, neighbours } from '../geo/h3';
import { haversineM } from '../geo/measure';
import type { ModeProfile } from '../modes';
import type { BuiltElderly } from '../built-region';
import { PROFILES } from '../modes';
import type { Localized } from '../region';
import { MIN_CUTOFF_MINUTES, type CoverageSession, type CoverageSettings } from '../session';
import type { CellResult, CellTable, CsrGraph, Facility, MethodChoice } from '../types';
import { regionInstance, type RegionInstance } from './instance';
import type { ObjectiveRunner } from './plan';
import type { PlanInstance } from './types';

export interface CareHome {
	id: string;
	name: string;
	district?: string;
	beds: number;
	lon: number; // WGS84
	lat: number;
	/** file row (header = 1) */
	row: number;
}

export type DemandWeightKind = 'population' | 'elderly-beds' | 'age60';
export const DEMAND_WEIGHT_KINDS: readonly DemandWeightKind[] = ['population', 'elderly-beds', 'age60'];

/** A beds-weighted home more than this many H3 rings from any cell of the grid is left out (reported). */
export const CARE_HOME_MAX_RINGS = 3;

export interface CareHomeAccessRequest {
	facilities: Pick<Facility, 'lon' | 'lat'>[];
	active: ArrayLike<number>;
	profile: ModeProfile;
	method: MethodChoice;
	cutoffMinutes: number;
	/** the mode's road graph, or null (service radius) */
	graph: CsrGraph | null;
}

/** Minutes from each home to its nearest counted facility, as coverage computes them for cells. */
export function careHomeAccess(homes: readonly CareHome[], req: CareHomeAccessRequest): CellResult {
	const points: CellTable = {
		resolution: 0,
		count: homes.length,
		h3: homes.map((h) => h.id),
		lon: Float64Array.from(homes, (h) => h.lon),
		lat: Float64Array.from(homes, (h) => h.lat),
		population: Float64Array.from(homes, (h) => h.beds),
		areaIndex: new Int32Array(homes.length).fill(-1),
		populationMethod: 'uniform'
	};
	const network = req.graph && req.method !== 'radius' ? prepareNetwork(req.graph, points, req.facilities, req.profile) : null;
	return computeCoverage({ cells: points, facilities: req.facilities, active: req.active, profile: req.profile, method: req.method, cutoffMinutes: req.cutoffMinutes, network }).result;
}

export interface HomeWithoutCare {
	home: CareHome;
	/** minutes to the nearest counted facility, null = beyond the run's cutoff */
	minutes: number | null;
	/** facility index, -1 = none within the cutoff */
	facility: number;
}

/** Homes with no counted facility within maxMinutes: most beds first, then file order. */
export function homesWithoutCare(homes: readonly CareHome[], access: CellResult, maxMinutes: number): HomeWithoutCare[] {
	const out: HomeWithoutCare[] = [];
	homes.forEach((home, i) => {
		const m = access.minutes[i];
		if (m <= maxMinutes) return;
		out.push({ home, minutes: Number.isFinite(m) ? m : null, facility: Number.isFinite(m) ? access.facility[i] : -1 });
	});
	return out.sort((a, b) => b.home.beds - a.home.beds || a.home.row - b.home.row);
}

export interface DemandWeights {
	kind: DemandWeightKind;
	weight: Float64Array;
	/** elderly-beds: beds placed on cells, and homes too far from every cell (left out) */
	beds?: { attached: number; homesLeftOut: number; bedsLeftOut: number };
}

/** The grid cell whose centre is nearest to a point, among the cells within `maxRings` H3 rings of the point's own cell; -1 = none. */
export function nearestGridCell(cells: Pick<CellTable, 'lon' | 'lat' | 'resolution'>, indexOf: Map<string, number>, lon: number, lat: number, maxRings: number): number {
	const own = lonLatToCell(lon, lat, cells.resolution);
	const hit = indexOf.get(own);
	if (hit !== undefined) return hit; // the point lies in this hexagon: no other centre is nearer... within rounding
	let best = -1,
		bestM = Infinity;
	for (const h of neighbours(own, maxRings)) {
		const c = indexOf.get(h);
		if (c === undefined) continue;
		const d = haversineM(lon, lat, cells.lon[c], cells.lat[c]);
		if (d < bestM || (d === bestM && c < best)) [best, bestM] = [c, d];
	}
	return best;
}

export function demandWeights(
	kind: DemandWeightKind,
	cells: Pick<CellTable, 'count' | 'h3' | 'lon' | 'lat' | 'resolution' | 'population' | 'areaIndex'>,
	inputs: { homes?: readonly CareHome[]; ageShareByArea?: ArrayLike<number> } = {}
): DemandWeights {
	if (kind === 'population') return { kind, weight: Float64Array.from(cells.population) };
	if (kind === 'elderly-beds') {
		if (!inputs.homes) throw new KejimapError('BAD_ARGUMENT', 'demand weight "elderly-beds" needs the region\'s elderly care homes (manifest elderly.careHomes)', { field: 'demandWeight' });
		const indexOf = new Map(cells.h3.map((h, i) => [h, i]));
		const weight = new Float64Array(cells.count);
		let attached = 0,
			homesLeftOut = 0,
			bedsLeftOut = 0;
		for (const h of inputs.homes) {
			const c = nearestGridCell(cells, indexOf, h.lon, h.lat, CARE_HOME_MAX_RINGS);
			if (c < 0) {
				homesLeftOut++;
				bedsLeftOut += h.beds;
				continue;
			}
			weight[c] += h.beds;
			attached += h.beds;
		}
		return { kind, weight, beds: { attached, homesLeftOut, bedsLeftOut } };
	}
	const share = inputs.ageShareByArea;
	if (!share) throw new KejimapError('BAD_ARGUMENT', 'demand weight "age60" needs the region\'s census age table (manifest elderly.ages)', { field: 'demandWeight' });
	let pop = 0,
		old = 0;
	for (let c = 0; c < cells.count; c++) {
		const a = cells.areaIndex[c];
		if (a < 0) continue;
		pop += cells.population[c];
		old += cells.population[c] * share[a];
	}
	const meanShare = pop > 0 ? old / pop : 0;
	const weight = Float64Array.from(cells.population, (p, c) => p * (cells.areaIndex[c] >= 0 ? share[cells.areaIndex[c]] : meanShare));
	return { kind, weight };
}

// ---- on a region: the homes beside no counted facility, and a Cover instance weighted by the elderly ----

export interface RegionElderly {
	homes: number;
	beds: number;
	/** most beds first */
	withoutCare: HomeWithoutCare[];
	bedsWithoutCare: number;
	label: Localized | null;
}

/** Homes of the region with no counted facility within the threshold (global mode of the settings). */
export function elderlyRegion(session: CoverageSession, settings: CoverageSettings, elderly: BuiltElderly): RegionElderly {
	const homes = elderly.careHomes;
	if (!homes)
		throw new KejimapError('BAD_ARGUMENT', `region "${session.region.id}" has no elderly care homes (manifest elderly.careHomes)`, { field: 'elderly.careHomes' });
	const access = careHomeAccess(homes, {
		facilities: session.facilities,
		active: session.activeIndices(settings.levels),
		profile: PROFILES[settings.mode],
		method: settings.method,
		cutoffMinutes: Math.max(MIN_CUTOFF_MINUTES, settings.maxMinutes),
		graph: session.graphs[settings.mode] ?? null
	});
	const withoutCare = homesWithoutCare(homes, access, settings.maxMinutes);
	return {
		homes: homes.length,
		beds: homes.reduce((s, h) => s + h.beds, 0),
		withoutCare,
		bedsWithoutCare: withoutCare.reduce((s, h) => s + h.home.beds, 0),
		label: elderly.careHomesLabel
	};
}

/** The instance with its demand weighted (the tables and gains then count the weight: beds, or people 60+). */
export function weightedInstance<T extends PlanInstance>(inst: T, w: DemandWeights): T {
	// the count, when given, is the homes left out (too far from every cell)
	const notes = [...(inst.notes ?? []), { code: `demandWeight.${w.kind}`, detail: w.kind, ...(w.beds?.homesLeftOut ? { count: w.beds.homesLeftOut } : {}) }];
	return { ...inst, demand: { ...inst.demand, weight: w.weight }, notes };
}

// ---- in plan()'s objective table: `elderly` lists the homes beside no counted facility ----

export interface ElderlyContext {
	session: CoverageSession;
	settings: CoverageSettings;
	elderly: BuiltElderly;
}
export type ElderlyInstance = RegionInstance & { elderlyCare: ElderlyContext };

/** The instance of `--objective elderly` on a region: no candidate sites; the homes come from the built region. */
export function elderlyInstance(session: CoverageSession, settings: CoverageSettings, elderly: BuiltElderly): ElderlyInstance {
	return { ...regionInstance(session, settings, { kind: 'file', sites: [] }), elderlyCare: { session, settings, elderly } };
}

export const runElderly: ObjectiveRunner = async (inst) => {
	const ctx = (inst as Partial<ElderlyInstance>).elderlyCare;
	if (!ctx) throw new KejimapError('BAD_ARGUMENT', 'objective "elderly" needs a region with elderly care homes (manifest elderly.careHomes): use --region', { field: 'objective' });
	const t0 = performance.now();
	const r = elderlyRegion(ctx.session, ctx.settings, ctx.elderly);
	const fac = ctx.session.facilities;
	return {
		open: [],
		gains: [],
		runningTotals: [],
		objectiveValue: r.withoutCare.length,
		bound: r.withoutCare.length,
		optimal: true, // a count, not a search
		method: 'greedy',
		boundMethod: 'none',
		sense: 'min',
		timingsMs: { elderly: performance.now() - t0 },
		extensions: {
			elderly: { homes: r.homes, beds: r.beds, homesWithoutCare: r.withoutCare.length, bedsWithoutCare: r.bedsWithoutCare, source: r.label },
			homesWithoutCare: r.withoutCare.map((h) => ({
				id: h.home.id,
				name: h.home.name,
				district: h.home.district ?? null,
				beds: h.home.beds,
				lon: h.home.lon,
				lat: h.home.lat,
				minutesToNearest: h.minutes === null ? null : Math.round(h.minutes * 10) / 10,
				nearest: h.facility >= 0 ? { id: fac[h.facility].id, name: fac[h.facility].name, level: fac[h.facility].level } : null
			}))
		}
	};
};
