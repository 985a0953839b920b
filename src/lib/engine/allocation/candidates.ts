/**
 * Candidate sites for a region: the centres of populated cells (default), existing facilities of levels that
 * are not counted (an upgrade: e.g. a clinic that becomes a community health station), or the user's plots.
 */
import { lonLatToCell } from '../geo/h3';
import type { CellTable, Facility, FacilityLevel } from '../types';
import type { Candidate } from './types';
import { PLAN_DEFAULTS } from './types';

/** A feasible plot from the user's file. */
export interface SiteRow {
	id: string;
	lon: number;
	lat: number;
}

export type CandidateRule =
	| { kind: 'cells'; minPopulation?: number }
	| { kind: 'upgrade' }
	| { kind: 'file'; sites: SiteRow[] };

export const CANDIDATE_RULES = ['cells', 'upgrade'] as const;

/** Candidates for a rule. `levels` are the counted levels (the existing facilities). */
export function regionCandidates(
	rule: CandidateRule,
	cells: CellTable,
	facilities: Facility[],
	areaIds: string[],
	levels: readonly FacilityLevel[]
): Candidate[] {
	if (rule.kind === 'cells') {
		const min = rule.minPopulation ?? PLAN_DEFAULTS.candidateMinPopulation;
		const out: Candidate[] = [];
		for (let c = 0; c < cells.count; c++)
			if (cells.population[c] > min) out.push({ id: cells.h3[c], lon: cells.lon[c], lat: cells.lat[c], kind: 'cell', source: c, areaIndex: cells.areaIndex[c] });
		return out;
	}
	const areaOf = new Map(areaIds.map((id, i) => [id, i]));
	if (rule.kind === 'upgrade') {
		const counted = new Set(levels);
		const out: Candidate[] = [];
		facilities.forEach((f, i) => {
			if (!counted.has(f.level)) out.push({ id: f.id, name: f.name, lon: f.lon, lat: f.lat, kind: 'upgrade', source: i, areaIndex: f.areaId ? (areaOf.get(f.areaId) ?? -1) : -1 });
		});
		return out;
	}
	// a plot takes the area of the cell it falls in (-1 when that cell is not in the table)
	const cellOf = new Map(cells.h3.map((h, i) => [h, i]));
	return rule.sites.map((s, row) => {
		const c = cellOf.get(lonLatToCell(s.lon, s.lat, cells.resolution));
		return { id: s.id, lon: s.lon, lat: s.lat, kind: 'file' as const, source: row, areaIndex: c === undefined ? -1 : cells.areaIndex[c] };
	});
}
