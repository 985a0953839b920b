/**
 * What one browser tab can hold while importing. A file above these is refused with a message before it is read,
 * so the tab never freezes or runs out of memory (a 2-core office PC with 8 GB is the target machine).
 */
import { KejimapError } from '../../engine/errors';

export const IMPORT_LIMITS = {
	/** CSV / GeoJSON tables: parsed into objects at ~5-10x their size */
	tableBytes: 200 * 1024 * 1024,
	/** OSM XML / PBF: a large city's extract */
	networkBytes: 300 * 1024 * 1024,
	/** raster pixels read at once (a window of the file, never the whole of a big file): 100 M float32 = 400 MB */
	rasterWindowPixels: 100_000_000
} as const;

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

export function checkImportSize(file: string, sizeBytes: number, limitBytes: number, what: string): void {
	if (sizeBytes > limitBytes)
		throw new KejimapError('FILE_TOO_LARGE', `${file}: ${mb(sizeBytes)} is too large for ${what} in the browser (limit ${mb(limitBytes)}); cut it to your area first`, {
			file
		});
}
