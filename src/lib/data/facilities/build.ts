/**
 * Facilities stage: read every facility source named in the manifest through a FileSource and assemble the
 * facility set (the work is in assemble.ts).
 */
import type { RegionManifest } from '../../engine/region';
import type { Facility } from '../../engine/types';
import type { AreaSet } from '../area-set';
import { decodedText, type FileSource } from '../pipeline/file-source';
import type { Log } from '../source';
import { assembleFacilities, type FacilityReport } from './assemble';

export type { FacilityReport } from './assemble';

export async function buildFacilities(
	manifest: Pick<RegionManifest, 'bbox' | 'facilities'>,
	files: FileSource,
	areas: AreaSet,
	log: Log = () => {}
): Promise<{ facilities: Facility[]; report: FacilityReport }> {
	const inputs = [];
	for (const source of manifest.facilities) {
		const d = await decodedText(files, source.path, `facility source "${source.id}"`, source.encoding);
		inputs.push({ source, file: source.path, text: d.text, encoding: d.guessed ? d.encoding : undefined });
	}
	return assembleFacilities(manifest, inputs, areas, log);
}
