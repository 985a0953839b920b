/**
 * A plan's result as one scenario edit (one undoable step): new sites become adds with fresh ids, an "upgrade"
 * site (an existing facility of a level that is not counted) becomes a level change, and closures (village-clinic
 * consolidation) become merges into the clinic that takes over, or removes when none does.
 */
import type { Closure } from '../allocation/consolidate';
import type { PlanResult } from '../allocation/types';
import type { Facility, FacilityLevel } from '../types';
import { nextAddedId, roundCoord, type Edit, type FacilitySet } from './edits';

/** Sites and closures in scenario terms (what planEdit needs; planResultProposal derives it from a PlanResult). */
export interface PlanProposal {
	label: string;
	sites?: readonly { lon: number; lat: number; name?: string; level?: FacilityLevel; upgradeId?: string }[];
	closures?: readonly { facilityId: string; intoId?: string | null }[];
}

/** One batch edit that applies a whole plan. */
export function planEdit(set: FacilitySet, plan: PlanProposal, level: FacilityLevel, siteName: (i: number) => string): Edit {
	const edits: Edit[] = [];
	const taken: string[] = [];
	(plan.sites ?? []).forEach((s, i) => {
		if (s.upgradeId) {
			edits.push({ op: 'level', facilityId: s.upgradeId, level: s.level ?? level });
			return;
		}
		const facilityId = nextAddedId(set, taken);
		taken.push(facilityId);
		edits.push({ op: 'add', facilityId, name: s.name ?? siteName(i), level: s.level ?? level, lon: roundCoord(s.lon), lat: roundCoord(s.lat) });
	});
	for (const c of plan.closures ?? []) edits.push(c.intoId ? { op: 'merge', facilityId: c.facilityId, intoId: c.intoId } : { op: 'remove', facilityId: c.facilityId });
	return { op: 'batch', label: plan.label, edits };
}

/** A PlanResult (and consolidation closures, facility indices as the plan's session numbers them) in scenario terms. */
export function planResultProposal(label: string, result: Pick<PlanResult, 'sites'>, facilities: readonly Facility[], closures: readonly Pick<Closure, 'facility' | 'takeoverFacility'>[] = []): PlanProposal {
	return {
		label,
		sites: result.sites.map((s) => (s.kind === 'upgrade' ? { lon: s.lon, lat: s.lat, upgradeId: s.id } : { lon: s.lon, lat: s.lat })),
		closures: closures.map((c) => ({ facilityId: facilities[c.facility].id, intoId: c.takeoverFacility >= 0 ? facilities[c.takeoverFacility].id : null }))
	};
}
