/**
 * Consolidation on a region at one coverage setting, through CoverageSession (the same travel times as
 * coverage): reach sets of the counted facilities from coverage/reach.ts (each facility as a site, so per-area
 * modes and the auto rule are coverage's own), the greedy of consolidate.ts, then the coverage after the
 * closures from a scenario (removeFacility per closure: equal to a full recompute), the circuit-care places on
 * that result, and the assumption labels of regions whose clinics are assumed (the counties).
 */
import type { Localized } from '../region';
import type { CoverageSession, CoverageSettings } from '../session';
import type { CoverageSummary, FacilityLevel } from '../types';
import { circuitCarePlaces, type CircuitCarePlace, type CircuitCareResult } from './circuit-care';
import { consolidate, CONSOLIDATE_DEFAULTS, townshipSeatRows, type Closure, type ConsolidationParams } from './consolidate';
import { KejimapError } from '../errors';
import { regionInstance, type RegionInstance } from './instance';
import type { ObjectiveRunner } from './plan';
import type { PlanNote, PlanResult } from './types';

export interface ConsolidateOptions extends Partial<ConsolidationParams> {
	townshipSeatDistanceM?: number;
	townshipSeatLevels?: FacilityLevel[];
	circuitCareMaxPopulation?: number;
	circuitCareMinCellPopulation?: number;
}

export interface FacilityRef {
	index: number;
	id: string;
	name: string;
	level: FacilityLevel;
	lon: number;
	lat: number;
	areaId: string | null;
	/** from a facility source that is an assumption (a clinic at every village point), not data */
	assumed: boolean;
}

export interface ClosureRow extends Omit<Closure, 'facility' | 'takeoverFacility'> {
	clinic: FacilityRef;
	/** the central village clinic (or township centre) taking over most of the catchment; null = none */
	takeover: FacilityRef | null;
}

export interface CircuitCareRow extends Omit<CircuitCarePlace, 'nearestFacility' | 'areaIndex'> {
	areaId: string | null;
	nearest: FacilityRef | null;
}

export interface RegionConsolidation {
	params: Required<ConsolidateOptions>;
	/** clinics eligible before any closure: a proven upper bound on the number of closures */
	initiallyEligible: number;
	reachEntries: number;
	timingsMs: Record<string, number>;
	/** village clinics counted at this setting (the candidates for closure) */
	clinicCount: number;
	/** of which stand in a township seat's village */
	atTownshipSeat: number;
	closures: ClosureRow[];
	/** people the closures leave beyond the threshold by the reach sets (auto method: an upper bound) */
	predictedLoss: number;
	circuitCare: CircuitCareRow[];
	circuitCareSummary: Omit<CircuitCareResult, 'places'> & { population: number };
	before: CoverageSummary;
	after: CoverageSummary;
	/** labels of the assumed facility sources (empty when every clinic is data) */
	assumptions: Localized[];
	/** true when the village clinics themselves are assumptions (village points, no clinic list) */
	clinicsAssumed: boolean;
}

export function resolveConsolidateOptions(o: ConsolidateOptions = {}): Required<ConsolidateOptions> {
	const d = CONSOLIDATE_DEFAULTS;
	const minServicePopulation = o.minServicePopulation ?? d.minServicePopulation;
	return {
		maxLossPeople: o.maxLossPeople ?? d.maxLossPeople,
		minServicePopulation,
		townshipSeatDistanceM: o.townshipSeatDistanceM ?? d.townshipSeatDistanceM,
		townshipSeatLevels: o.townshipSeatLevels ?? [...d.townshipSeatLevels],
		// one number by default: a place too small for a clinic is one below a clinic's minimum service population
		circuitCareMaxPopulation: o.circuitCareMaxPopulation ?? (o.minServicePopulation !== undefined ? minServicePopulation : d.circuitCareMaxPopulation),
		circuitCareMinCellPopulation: o.circuitCareMinCellPopulation ?? d.circuitCareMinCellPopulation
	};
}

export function consolidateRegion(session: CoverageSession, settings: CoverageSettings, options: ConsolidateOptions = {}): RegionConsolidation {
	const params = resolveConsolidateOptions(options);
	const t0 = performance.now();
	const facilities = session.facilities;
	const active = session.activeIndices(settings.levels);
	// each counted facility as a site: its reach is what coverage gives it among the others (reach.ts)
	const inst = regionInstance(session, settings, { kind: 'file', sites: [...active].map((f) => ({ id: facilities[f].id, lon: facilities[f].lon, lat: facilities[f].lat })) });
	const rowFacility = Int32Array.from(active);
	const isClinic = Uint8Array.from(rowFacility, (f) => (facilities[f].level === 'village_clinic' ? 1 : 0));
	const seat = townshipSeatRows(facilities, rowFacility, params.townshipSeatLevels, params.townshipSeatDistanceM);
	const res = consolidate({
		population: session.cells.population,
		rowFacility,
		reach: inst.reach,
		maxMinutes: settings.maxMinutes,
		candidate: (r) => isClinic[r] === 1,
		atTownshipSeat: (r) => seat[r] === 1,
		params: { maxLossPeople: params.maxLossPeople, minServicePopulation: params.minServicePopulation }
	});
	const t1 = performance.now();

	const scenario = session.startScenario(settings);
	for (const f of res.closedFacilities) scenario.removeFacility(f);
	const before = session.compute(settings).summary;
	const after = session.summarizeScenario(scenario, settings);
	const care = circuitCarePlaces(session.cells, scenario.result, settings.maxMinutes, {
		maxPlacePopulation: params.circuitCareMaxPopulation,
		minCellPopulation: params.circuitCareMinCellPopulation
	});

	const t2 = performance.now();
	const m = session.region.manifest;
	const assumedSources = new Set(m.facilities.filter((s) => s.modelled && s.role === 'facilities').map((s) => s.id));
	const ref = (i: number): FacilityRef | null => {
		if (i < 0) return null;
		const f = facilities[i];
		return { index: i, id: f.id, name: f.name, level: f.level, lon: f.lon, lat: f.lat, areaId: f.areaId ?? null, assumed: assumedSources.has(f.source) };
	};
	const areaIdOf = (ai: number) => (ai >= 0 ? session.region.areas[ai].id : null);
	const clinicRows = [...rowFacility].filter((_, r) => isClinic[r]);
	return {
		params,
		initiallyEligible: res.initiallyEligible,
		reachEntries: inst.reach.demand.length,
		timingsMs: { reachAndGreedy: t1 - t0, afterAndCircuitCare: t2 - t1 },
		clinicCount: clinicRows.length,
		atTownshipSeat: [...seat].filter((x, r) => x && isClinic[r]).length,
		closures: res.closures.map(({ facility, takeoverFacility, ...rest }) => ({ ...rest, clinic: ref(facility)!, takeover: ref(takeoverFacility) })),
		predictedLoss: res.lostPopulation,
		circuitCare: care.places.map(({ nearestFacility, areaIndex, ...p }) => ({ ...p, areaId: areaIdOf(areaIndex), nearest: ref(nearestFacility) })),
		circuitCareSummary: {
			largerPlaces: care.largerPlaces,
			largerPlacesPopulation: care.largerPlacesPopulation,
			scatteredPopulation: care.scatteredPopulation,
			population: care.places.reduce((s, p) => s + p.population, 0)
		},
		before,
		after,
		assumptions: m.facilities.filter((s) => assumedSources.has(s.id)).map((s) => s.label),
		clinicsAssumed: clinicRows.some((f) => assumedSources.has(facilities[f].source))
	};
}

// ---- the PlanResult of `--objective consolidate` (CLI, worker): the common fields, plus closures and circuitCare ----

const people = (x: number) => Math.round(x);
const refJson = (f: FacilityRef | null) => (f ? { id: f.id, name: f.name, level: f.level, lon: f.lon, lat: f.lat, areaId: f.areaId, assumed: f.assumed } : null);

export interface ConsolidatePlanResult extends PlanResult {
	/** in rank order: the clinic, people it serves and who would lose coverage, and the clinic that takes over */
	closures: {
		rank: number;
		id: string;
		name: string;
		areaId: string | null;
		lon: number;
		lat: number;
		assumed: boolean;
		servedPopulation: number;
		lossPopulation: number;
		reason: Closure['reason'];
		takeover: ReturnType<typeof refJson>;
		takeoverPopulation: number;
	}[];
	/** most people first */
	circuitCare: { h3: string; lon: number; lat: number; areaId: string | null; population: number; cellCount: number; minutesToNearest: number | null; nearest: ReturnType<typeof refJson> }[];
	consolidation: {
		clinicCount: number;
		atTownshipSeat: number;
		predictedLoss: number;
		circuitCarePopulation: number;
		largerUncoveredPlaces: number;
		largerUncoveredPopulation: number;
		clinicsAssumed: boolean;
		assumptions: Localized[];
	};
}

export function consolidatePlanResult(r: RegionConsolidation, p: PlanResult['params']): ConsolidatePlanResult {
	const table = (t: CoverageSummary) => ({ mode: t.mode, maxMinutes: t.maxMinutes, targetShare: t.targetShare, method: t.method, populationMethod: t.populationMethod, rows: t.rows, total: t.total });
	const n = r.closures.length;
	const notes: PlanNote[] = [];
	if (r.clinicsAssumed) notes.push({ code: 'assumedClinics', count: r.clinicCount, detail: r.assumptions.map((a) => a.en).join('; ') });
	return {
		objective: 'consolidate',
		sites: [],
		objectiveValue: n,
		bound: r.initiallyEligible,
		optimal: n === r.initiallyEligible,
		boundShare: r.initiallyEligible > 0 ? n / r.initiallyEligible : 1,
		method: 'greedy',
		boundMethod: 'eligible',
		before: table(r.before),
		after: table(r.after),
		params: { ...p, maxLossPeople: r.params.maxLossPeople, minServicePopulation: r.params.minServicePopulation },
		diagnostics: { candidates: r.clinicCount, excludedCandidates: 0, reachEntries: r.reachEntries, notes, timingsMs: r.timingsMs },
		closures: r.closures.map((c) => ({
			rank: c.rank,
			id: c.clinic.id,
			name: c.clinic.name,
			areaId: c.clinic.areaId,
			lon: c.clinic.lon,
			lat: c.clinic.lat,
			assumed: c.clinic.assumed,
			servedPopulation: people(c.servedPopulation),
			lossPopulation: people(c.lossPopulation),
			reason: c.reason,
			takeover: refJson(c.takeover),
			takeoverPopulation: people(c.takeoverPopulation)
		})),
		circuitCare: r.circuitCare.map((c) => ({
			h3: c.h3,
			lon: c.lon,
			lat: c.lat,
			areaId: c.areaId,
			population: people(c.population),
			cellCount: c.cellCount,
			minutesToNearest: c.minutesToNearest === null ? null : Math.round(c.minutesToNearest * 10) / 10,
			nearest: refJson(c.nearest)
		})),
		consolidation: {
			clinicCount: r.clinicCount,
			atTownshipSeat: r.atTownshipSeat,
			predictedLoss: people(r.predictedLoss),
			circuitCarePopulation: people(r.circuitCareSummary.population),
			largerUncoveredPlaces: r.circuitCareSummary.largerPlaces,
			largerUncoveredPopulation: people(r.circuitCareSummary.largerPlacesPopulation),
			clinicsAssumed: r.clinicsAssumed,
			assumptions: r.assumptions
		}
	};
}

// ---- in plan()'s objective table: `consolidate` runs on an instance that carries its region session ----

/** What the consolidate runner needs beyond a PlanInstance: the session and settings it was built from. */
export interface ConsolidationContext {
	session: CoverageSession;
	settings: CoverageSettings;
	options?: Omit<ConsolidateOptions, 'maxLossPeople' | 'minServicePopulation'>;
}

export type ConsolidationInstance = RegionInstance & { consolidation: ConsolidationContext };

/** The instance of `--objective consolidate` on a region: no candidate sites (closures are of existing clinics). */
export function consolidationInstance(session: CoverageSession, settings: CoverageSettings, options?: ConsolidationContext['options']): ConsolidationInstance {
	return { ...regionInstance(session, settings, { kind: 'file', sites: [] }), consolidation: { session, settings, options } };
}

export const runConsolidate: ObjectiveRunner = async (inst, p) => {
	const ctx = (inst as Partial<ConsolidationInstance>).consolidation;
	if (!ctx)
		throw new KejimapError('BAD_ARGUMENT', 'objective "consolidate" needs a region (its village clinics and roads): use --region, not a matrix', { field: 'objective' });
	const r = consolidateRegion(ctx.session, ctx.settings, { ...ctx.options, maxLossPeople: p.maxLossPeople, minServicePopulation: p.minServicePopulation });
	const json = consolidatePlanResult(r, p);
	const scenario = ctx.session.startScenario(ctx.settings);
	for (const c of r.closures) scenario.removeFacility(c.clinic.index);
	return {
		open: [],
		gains: [],
		runningTotals: [],
		objectiveValue: json.objectiveValue,
		bound: json.bound,
		optimal: json.optimal,
		method: json.method,
		boundMethod: json.boundMethod,
		sense: 'max',
		timingsMs: r.timingsMs,
		afterMinutes: Float32Array.from(scenario.result.minutes),
		notes: json.diagnostics.notes,
		extensions: { closures: json.closures, circuitCare: json.circuitCare, consolidation: json.consolidation }
	};
};
