/** zlib inflate for OSM PBF blobs (fflate: synchronous, the same in Node and the worker). */
import { unzlibSync } from 'fflate';
import { KejimapError } from '../../engine/errors';

/** The output grows as needed: the blob's announced size is checked afterwards, never trusted for an allocation. */
export function inflateZlib(bytes: Uint8Array): Uint8Array {
	try {
		return unzlibSync(bytes);
	} catch (e) {
		throw new KejimapError('FILE_MALFORMED', `OSM PBF: a compressed block is damaged (${(e as Error).message})`);
	}
}
