/**
 * Regions made by an import, kept in the browser (IndexedDB) so they can be reopened after a reload: the region
 * (region.json) and its files, exactly as a shipped region's, one record each. A damaged record is reported and
 * skipped, never fatal. The store is injected (KeyValueStore), so Node tests use a Map.
 */
import type { BuiltRegion } from '../../engine/built-region';
import { indexedDbStore, type KeyValueStore } from './scenarios';

export interface StoredRegion {
	key: string;
	/** the shipped region the import started from */
	baseRegionId: string;
	savedAt: string;
	region: BuiltRegion;
	/** region.files by name: graph-<mode>.bin, cells.bin, facilities.json, areas.geojson */
	files: Record<string, Uint8Array>;
}

export type StoredRegionInfo = Pick<StoredRegion, 'key' | 'baseRegionId' | 'savedAt'> & { name: BuiltRegion['name']; imports: number };

const PREFIX = 'region:';

export function indexedDbImportStore(): KeyValueStore {
	return indexedDbStore('kejimap-imports', 'regions');
}

function isStored(v: unknown): v is StoredRegion {
	const r = v as StoredRegion;
	return typeof r === 'object' && r !== null && typeof r.key === 'string' && typeof r.region === 'object' && r.region !== null && typeof r.files === 'object' && r.files !== null;
}

export function createImportStore(kv: KeyValueStore) {
	return {
		async save(baseRegionId: string, region: BuiltRegion, files: Record<string, Uint8Array>, savedAt = new Date().toISOString()): Promise<string> {
			const key = `${PREFIX}${baseRegionId}:${savedAt}`;
			await kv.set(key, { key, baseRegionId, savedAt, region, files } satisfies StoredRegion);
			return key;
		},
		async get(key: string): Promise<StoredRegion | null> {
			const v = await kv.get(key);
			return isStored(v) ? v : null;
		},
		/** newest first; unreadable records are listed in `problems` */
		async list(): Promise<{ regions: StoredRegionInfo[]; problems: string[] }> {
			const regions: StoredRegionInfo[] = [];
			const problems: string[] = [];
			for (const key of (await kv.keys()).filter((k) => typeof k === 'string' && k.startsWith(PREFIX))) {
				const v = await kv.get(key);
				if (!isStored(v)) {
					problems.push(key);
					continue;
				}
				regions.push({ key, baseRegionId: v.baseRegionId, savedAt: v.savedAt, name: v.region.name, imports: ((v.region.reports.imports as unknown[]) ?? []).length });
			}
			regions.sort((a, b) => (a.savedAt < b.savedAt ? 1 : a.savedAt > b.savedAt ? -1 : 0));
			return { regions, problems };
		},
		del: (key: string) => kv.del(key)
	};
}
export type ImportStore = ReturnType<typeof createImportStore>;
