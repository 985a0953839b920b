/** Elderly planning inputs (Node): read the files named in the manifest's `elderly` block; the parsing is in ../elderly.ts. */
import type { BuiltElderly } from '../../engine/built-region';
import type { ElderlySources } from '../../engine/region';
import { readAgeShares, readCareHomes, type CareHomeReport } from '../elderly';
import type { ResolvePath } from '../source';
import { readTextFile } from './files';

export function buildElderly(src: ElderlySources, resolvePath: ResolvePath, areaIds: string[]): { data: BuiltElderly; report: { careHomes: CareHomeReport | null; ageShares: number | null } } {
	const homes = src.careHomes ? readCareHomes(readTextFile(resolvePath(src.careHomes.path), 'elderly care homes'), src.careHomes, src.careHomes.path) : null;
	const shares = src.ages ? [...readAgeShares(readTextFile(resolvePath(src.ages.path), 'census age table'), src.ages, areaIds, src.ages.path)] : null;
	return {
		data: { careHomes: homes?.homes ?? null, careHomesLabel: src.careHomes?.label ?? null, ageShareByArea: shares, agesLabel: src.ages?.label ?? null },
		report: { careHomes: homes?.report ?? null, ageShares: shares?.length ?? null }
	};
}
