/**
 * Which instance an objective runs on, for the CLI and the worker alike (kj-consolidate's objectives):
 * consolidate and elderly carry their region session (they close or list existing places, no candidate sites);
 * a demand weight other than population reweights the region instance of cover, target or median.
 * Returns null when the objective takes the plain region instance.
 */
import type { BuiltElderly } from '../built-region';
import { KejimapError } from '../errors';
import type { CoverageSession, CoverageSettings } from '../session';
import { consolidationInstance } from './consolidate-region';
import { demandWeights, elderlyInstance, weightedInstance, type DemandWeightKind } from './elderly';
import type { RegionInstance } from './instance';

export async function objectiveInstance(
	objective: string,
	session: CoverageSession,
	settings: CoverageSettings,
	o: { demandWeight?: DemandWeightKind; elderly: BuiltElderly | null },
	base: () => RegionInstance | Promise<RegionInstance>
): Promise<RegionInstance | null> {
	const id = session.region.id;
	if (objective === 'consolidate') return consolidationInstance(session, settings);
	if (objective === 'elderly') {
		if (!o.elderly?.careHomes) throw new KejimapError('BAD_ARGUMENT', `region "${id}" has no elderly care homes (manifest elderly.careHomes; Shanghai has them)`, { field: 'elderly.careHomes' });
		return elderlyInstance(session, settings, o.elderly);
	}
	if (!o.demandWeight || o.demandWeight === 'population') return null;
	const w = demandWeights(o.demandWeight, session.cells, { homes: o.elderly?.careHomes ?? undefined, ageShareByArea: o.elderly?.ageShareByArea ?? undefined });
	return weightedInstance(await base(), w);
}

/** Objectives whose instance has no candidate sites by design. */
export const OBJECTIVES_WITHOUT_SITES: readonly string[] = ['consolidate', 'elderly'];
