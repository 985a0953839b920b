/**
 * A coverage session over one built region: the single code path used by the CLI, the benchmark and
 * the browser worker, so the app's table and the CLI print the same numbers for the same settings.
 * Caches what does not change: network snapping per mode, and the last per-cell result per
 * (mode, levels, method), so a threshold or target change only re-buckets cells.
 */
import type { BuiltRegion } from './built-region';
import { combineByAreaMode, computeCoverage, effectiveMethod, prepareNetwork, summarizeCoverage, type CoverageRun, type NetworkContext } from './coverage/coverage';
import { AreaModeCoverage, IncrementalCoverage, type CoverageScenario } from './coverage/incremental-coverage';
import { facilityIsochrone, isochroneFromResult, type IsochroneFeature } from './coverage/isochrone';
import { createSnapper } from './graph/snap';
import { PROFILES } from './modes';
import { checkSettings } from './settings';
import type { AreaModeRule } from './region';
import type { CellResult, CellTable, CoverageSummary, CsrGraph, Facility, FacilityLevel, MethodChoice, Mode } from './types';

export interface CoverageSettings {
	mode: Mode;
	maxMinutes: number;
	levels: FacilityLevel[];
	targetShare: number;
	method: MethodChoice;
	/** Pudong-style per-area modes; areas not listed use `mode` */
	areaModeRules?: AreaModeRule[];
}

/** The modes the settings need: the global mode first, then each per-area rule's mode. */
export function modesOf(s: Pick<CoverageSettings, 'mode' | 'areaModeRules'>): Mode[] {
	return [...new Set<Mode>([s.mode, ...(s.areaModeRules ?? []).map((r) => r.mode)])];
}

/** What decides the per-cell times (not the threshold or the target): equal keys, equal times. */
export function timesKey(s: Pick<CoverageSettings, 'mode' | 'levels' | 'method' | 'areaModeRules'>): string {
	const rules = (s.areaModeRules ?? []).map((r) => `${r.mode}:${[...r.areaIds].sort().join(',')}`).sort();
	return `${s.mode}|${[...s.levels].sort().join(',')}|${s.method}|${rules.join(';')}`;
}

/** Equal keys, equal answers (times and the per-area table): the page skips a request equal to the last one. */
export function settingsKey(s: CoverageSettings): string {
	return `${timesKey(s)}|${s.maxMinutes}|${s.targetShare}`;
}

export interface SessionResult {
	result: CellResult;
	summary: CoverageSummary;
	/** per mode used: network diagnostics */
	diagnostics: Partial<Record<Mode, { unsnappedFacilities: number; offNetworkCells: number; fallbackCells: number; method: MethodChoice }>>;
	activeFacilities: number;
	reused: boolean;
}

/** Times are computed to this many minutes at least, so threshold changes up to it need no new search. */
export const MIN_CUTOFF_MINUTES = 60;

export class CoverageSession {
	readonly region: BuiltRegion;
	readonly facilities: Facility[];
	readonly cells: CellTable;
	readonly graphs: Partial<Record<Mode, CsrGraph>>;
	private networks = new Map<Mode, NetworkContext>();
	private runs = new Map<string, { run: CoverageRun; cutoffMinutes: number }>();

	constructor(region: BuiltRegion, facilities: Facility[], cells: CellTable, graphs: Partial<Record<Mode, CsrGraph>>) {
		this.region = region;
		this.facilities = facilities;
		this.cells = cells;
		this.graphs = graphs;
	}

	/** Snapped network for a mode, or null when the region has no graph for it. */
	network(mode: Mode): NetworkContext | null {
		const g = this.graphs[mode];
		if (!g) return null;
		let net = this.networks.get(mode);
		if (!net) {
			net = prepareNetwork(g, this.cells, this.facilities, PROFILES[mode]);
			this.networks.set(mode, net);
		}
		return net;
	}

	activeIndices(levels: readonly FacilityLevel[]): Int32Array {
		const want = new Set(levels);
		const out: number[] = [];
		this.facilities.forEach((f, i) => {
			if (want.has(f.level)) out.push(i);
		});
		return Int32Array.from(out);
	}

	/** What every coverage computation of a mode shares: cells, facilities, profile, method, network. */
	private requestBase(mode: Mode, s: CoverageSettings) {
		return {
			cells: this.cells,
			facilities: this.facilities,
			profile: PROFILES[mode],
			method: s.method,
			network: s.method === 'radius' ? null : this.network(mode)
		};
	}

	/** The modes the settings need (global first) and the mode of each area index (-1 = outside every area). */
	modePlan(s: CoverageSettings): { modes: Mode[]; modeOfArea: (areaIndex: number) => Mode } {
		const modeOfAreaId = new Map<string, Mode>();
		for (const r of s.areaModeRules ?? []) for (const id of r.areaIds) modeOfAreaId.set(id, r.mode);
		return {
			modes: modesOf(s),
			modeOfArea: (ai) => (ai >= 0 ? (modeOfAreaId.get(this.region.areas[ai]?.id) ?? s.mode) : s.mode)
		};
	}

	private summarize(result: CellResult, s: CoverageSettings): CoverageSummary {
		return summarizeCoverage(this.cells, result, this.region.areas, {
			mode: s.mode,
			maxMinutes: s.maxMinutes,
			targetShare: s.targetShare,
			method: effectiveMethod(s.method, !!this.graphs[s.mode])
		});
	}

	private runMode(mode: Mode, s: CoverageSettings, active: Int32Array): { run: CoverageRun; reused: boolean } {
		const key = timesKey({ mode, levels: s.levels, method: s.method });
		const cached = this.runs.get(key);
		if (cached && cached.cutoffMinutes >= s.maxMinutes) return { run: cached.run, reused: true };
		const cutoffMinutes = Math.max(MIN_CUTOFF_MINUTES, s.maxMinutes);
		const run = computeCoverage({ ...this.requestBase(mode, s), active, cutoffMinutes });
		this.runs.set(key, { run, cutoffMinutes });
		return { run, reused: false };
	}

	compute(s: CoverageSettings): SessionResult {
		checkSettings(s);
		const active = this.activeIndices(s.levels);
		const { modes, modeOfArea } = this.modePlan(s);
		const runs: Partial<Record<Mode, CellResult>> = {};
		const diagnostics: SessionResult['diagnostics'] = {};
		let reused = true;
		for (const mode of modes) {
			const r = this.runMode(mode, s, active);
			reused &&= r.reused;
			runs[mode] = r.run.result;
			diagnostics[mode] = {
				unsnappedFacilities: r.run.unsnappedFacilities,
				offNetworkCells: r.run.offNetworkCells,
				fallbackCells: r.run.fallbackCells,
				method: effectiveMethod(s.method, !!this.graphs[mode])
			};
		}
		const result = modes.length === 1 ? runs[s.mode]! : combineByAreaMode(this.cells, runs, modeOfArea);
		return { result, summary: this.summarize(result, s), diagnostics, activeFacilities: active.length, reused };
	}

	/**
	 * A scenario editor for these settings: add / move / remove facilities (indices as in `facilities`, new
	 * ones after them) and read the per-cell result, equal to compute() on the edited facility set. One
	 * IncrementalCoverage for a single mode; with per-area modes, one per mode combined by area.
	 * Does not touch the session's cached runs; compute() is unchanged.
	 */
	startScenario(s: CoverageSettings): CoverageScenario {
		checkSettings(s);
		const active = this.activeIndices(s.levels);
		const { modes, modeOfArea } = this.modePlan(s);
		const cutoffMinutes = Math.max(MIN_CUTOFF_MINUTES, s.maxMinutes);
		const parts = modes.map((mode) => {
			const base = this.requestBase(mode, s);
			// new sites snap with the network's own index: built once per mode, only when scenarios are used
			if (base.network && !base.network.snapper) base.network.snapper = createSnapper(base.network.graph, PROFILES[mode].accessSpeedMps);
			return new IncrementalCoverage({ ...base, active, cutoffMinutes });
		});
		if (parts.length === 1) return parts[0];
		const partOfMode = new Map(modes.map((m, i) => [m, i]));
		const cellPart = new Uint8Array(this.cells.count);
		for (let c = 0; c < this.cells.count; c++) cellPart[c] = partOfMode.get(modeOfArea(this.cells.areaIndex[c]))!;
		return new AreaModeCoverage(parts, cellPart);
	}

	/** The per-area table of a scenario's current result (same figures compute() would print). */
	summarizeScenario(scenario: CoverageScenario, s: CoverageSettings): CoverageSummary {
		return this.summarize(scenario.result, s);
	}

	/** One facility's isochrone (where it is reachable within maxMinutes), and its catchment (where it is nearest). */
	facilityDetail(facility: number, s: CoverageSettings, last: CellResult): { isochrone: IsochroneFeature; catchment: IsochroneFeature } {
		const isochrone = facilityIsochrone({ ...this.requestBase(s.mode, s), cutoffMinutes: s.maxMinutes }, facility, s.maxMinutes);
		const catchment = isochroneFromResult(this.cells, last, s.maxMinutes, facility);
		return { isochrone, catchment };
	}
}
