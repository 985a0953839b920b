/**
 * Facilities stage (Node): read every facility source named in the manifest and assemble the facility set.
 * The work is in assemble.ts (pure), so the browser import can run it on uploaded files.
 */
import type { RegionManifest } from '../../engine/region';
import type { Facility } from '../../engine/types';
import type { AreaSet } from '../area-set';
import { readDecodedFile } from '../node/files';
import type { Log, ResolvePath } from '../source';
import { assembleFacilities, type FacilityReport } from './assemble';

export type { FacilityReport } from './assemble';

export function buildFacilities(
	manifest: RegionManifest,
	resolvePath: ResolvePath,
	areas: AreaSet,
	log: Log = () => {}
): { facilities: Facility[]; report: FacilityReport } {
	const inputs = manifest.facilities.map((source) => {
		const d = readDecodedFile(resolvePath(source.path), `facility source "${source.id}"`, source.encoding);
		return { source, file: source.path, text: d.text, encoding: d.guessed ? d.encoding : undefined };
	});
	return assembleFacilities(manifest, inputs, areas, log);
}
