/**
 * The live scenario: a FacilitySet (facilities by id) kept in step with the engine's incremental coverage
 * (CoverageSession.startScenario), so each edit costs only the cells it can change. The one code path for the
 * worker (the app), the CLI (`--scenario`) and the bench.
 *
 * Ids map to facility slots once and for ever: a region facility is its own index, an added one takes the next
 * slot when first added. Closing a facility or moving it out of the counted levels deactivates its slot; restoring
 * it (undo, redo, reopen, level back) reactivates the same slot, so identity and tie-breaks come back too.
 * Slots are in the order of a full recompute on orderedFacilities() (region facilities, then added ones), which
 * is what makes "incremental equals a full recompute" a test (scenario.test.ts).
 */
import { effectiveMethod } from '../coverage/coverage';
import { AreaModeCoverage, IncrementalCoverage, type CoverageScenario } from '../coverage/incremental-coverage';
import { MIN_CUTOFF_MINUTES, type CoverageSession, type CoverageSettings, type SessionResult } from '../session';
import type { CellResult, CoverageSummary, FacilityLevel } from '../types';
import { applyEdit, createFacilitySet, touchedIds, type Edit, type FacilitySet } from './edits';

export interface AppliedEdit {
	/** the edit that undoes this one */
	inverse: Edit;
	/** cells whose result may have changed (no repeats) */
	changedCells: Int32Array;
}

export class LiveScenario {
	readonly session: CoverageSession;
	readonly settings: CoverageSettings;
	readonly facilities: FacilitySet;
	private readonly coverage: CoverageScenario;
	private readonly counted: Set<FacilityLevel>;
	private readonly slotById = new Map<string, number>();
	private idBySlot: string[] = [];
	/** position each slot last had in the coverage (its current site while active) */
	private slotLon: number[] = [];
	private slotLat: number[] = [];
	// cells changed by one edit (a batch runs several coverage operations)
	private readonly stamp: Uint32Array;
	private op = 0;
	private changed: number[] = [];

	/** Starts from the region's facilities and replays `edits` in order (throws on the first one that cannot apply). */
	constructor(session: CoverageSession, settings: CoverageSettings, edits: readonly Edit[] = []) {
		this.session = session;
		this.settings = settings;
		this.counted = new Set(settings.levels);
		this.facilities = createFacilitySet(session.facilities);
		this.coverage = session.startScenario(settings);
		session.facilities.forEach((f, i) => {
			this.slotById.set(f.id, i);
			this.idBySlot.push(f.id);
			this.slotLon.push(f.lon);
			this.slotLat.push(f.lat);
		});
		this.stamp = new Uint32Array(session.cells.count);
		for (const e of edits) this.apply(e);
	}

	/** Live per-cell result (facility = slot; slotId() names it). Updated in place by apply(). */
	get result(): CellResult {
		return this.coverage.result;
	}

	/** The facility id of a slot in result.facility (null for -1). */
	slotId(slot: number): string | null {
		return slot >= 0 ? (this.idBySlot[slot] ?? null) : null;
	}

	slotOf(id: string): number | undefined {
		return this.slotById.get(id);
	}

	/** Applies one edit (a batch as one step); the facility set and the coverage stay unchanged when it throws. */
	apply(edit: Edit): AppliedEdit {
		const inverse = applyEdit(this.facilities, edit);
		this.op++;
		this.changed = [];
		for (const id of touchedIds(edit)) this.sync(id);
		return { inverse, changedCells: Int32Array.from(this.changed) };
	}

	/**
	 * The per-area table for the current facilities (the same figures a full compute prints). Another threshold or
	 * target re-counts the same times (valid up to the scenario's cutoff: see sameTravelTimes).
	 */
	summary(recount: Pick<CoverageSettings, 'maxMinutes' | 'targetShare'> = this.settings): CoverageSummary {
		return this.session.summarizeScenario(this.coverage, { ...this.settings, maxMinutes: recount.maxMinutes, targetShare: recount.targetShare });
	}

	/** The travel-time cutoff the live times are computed with (minutes). */
	get cutoffMinutes(): number {
		return Math.max(MIN_CUTOFF_MINUTES, this.settings.maxMinutes);
	}

	/** Per mode: network diagnostics for the current facilities (as compute() reports them). */
	diagnostics(): SessionResult['diagnostics'] {
		const parts = this.coverage instanceof AreaModeCoverage ? this.coverage.parts : this.coverage instanceof IncrementalCoverage ? [this.coverage] : [];
		const out: SessionResult['diagnostics'] = {};
		for (const p of parts) out[p.profile.mode] = { ...p.diagnostics, method: effectiveMethod(this.settings.method, !!this.session.graphs[p.profile.mode]) };
		return out;
	}

	/** Number of counted (active) facilities. */
	get activeFacilities(): number {
		return this.coverage.activeIndices().length;
	}

	/** Brings facility `id`'s slot in line with the facility set. */
	private sync(id: string): void {
		const f = this.facilities.byId.get(id);
		const want = !!f && f.open && this.counted.has(f.level);
		const cov = this.coverage;
		let slot = this.slotById.get(id);
		if (slot === undefined) {
			if (!f) return;
			slot = want ? cov.addFacility(f.lon, f.lat) : cov.reserveFacility(f.lon, f.lat);
			this.slotById.set(id, slot);
			this.idBySlot[slot] = id;
		} else {
			const active = cov.isActive(slot);
			if (want && !active) cov.restoreFacility(slot, f!.lon, f!.lat);
			else if (want && (this.slotLon[slot] !== f!.lon || this.slotLat[slot] !== f!.lat)) cov.moveFacility(slot, f!.lon, f!.lat);
			else if (!want && active) cov.removeFacility(slot);
			else {
				if (f) [this.slotLon[slot], this.slotLat[slot]] = [f.lon, f.lat];
				return;
			}
		}
		if (f) [this.slotLon[slot], this.slotLat[slot]] = [f.lon, f.lat];
		const cc = cov.changedCells();
		for (let i = 0; i < cc.length; i++) {
			const c = cc[i];
			if (this.stamp[c] === this.op) continue;
			this.stamp[c] = this.op;
			this.changed.push(c);
		}
	}
}

/** Settings that need new travel times (a restart of the live scenario), as opposed to a re-count. */
export function sameTravelTimes(a: CoverageSettings, b: CoverageSettings, cutoffMinutes: number): boolean {
	return (
		a.mode === b.mode &&
		a.method === b.method &&
		[...a.levels].sort().join(',') === [...b.levels].sort().join(',') &&
		JSON.stringify(a.areaModeRules ?? []) === JSON.stringify(b.areaModeRules ?? []) &&
		b.maxMinutes <= cutoffMinutes
	);
}
