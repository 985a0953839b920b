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
import { regionInstance } from './instance';

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

	const scenario = session.startScenario(settings);
	for (const f of res.closedFacilities) scenario.removeFacility(f);
	const before = session.compute(settings).summary;
	const after = session.summarizeScenario(scenario, settings);
	const care = circuitCarePlaces(session.cells, scenario.result, settings.maxMinutes, {
		maxPlacePopulation: params.circuitCareMaxPopulation,
		minCellPopulation: params.circuitCareMinCellPopulation
	});

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
