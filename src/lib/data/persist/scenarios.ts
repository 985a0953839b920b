/**
 * Scenarios kept in the browser (IndexedDB through idb-keyval), per region: they survive a reload and a closed tab.
 * Each scenario is one record (its document: settings and edits, plus the redo stack), keyed by region and id, so
 * saving one never rewrites the others. Records are checked on read with the file codec: a damaged record is
 * reported and skipped, never fatal. The store is injected (KeyValueStore), so Node tests use a Map.
 *
 * The autosaver writes after each change (debounced); a failed write keeps the change pending, says so, and is
 * retried with the next change or flush(): what the planner did stays in memory until it is on disk.
 */
import { parseScenario, type ScenarioDocument } from '../../engine/scenario/codec';
import type { HistoryStep } from '../../engine/scenario/history';

export interface StoredScenario {
	id: string;
	regionId: string;
	/** the scenario (its name, settings and edits, as in a file) */
	doc: ScenarioDocument;
	/** the undone steps, so redo survives a reload too */
	undone: HistoryStep[];
	/** ISO time of the last change */
	updatedAt: string;
}

/** The part of idb-keyval the store uses (and a Map-backed stand-in in tests). */
export interface KeyValueStore {
	get(key: string): Promise<unknown>;
	set(key: string, value: unknown): Promise<void>;
	del(key: string): Promise<void>;
	keys(): Promise<string[]>;
}

/** IndexedDB database "kejimap", object store "scenarios" (idb-keyval is loaded on first use). */
export function indexedDbStore(): KeyValueStore {
	const lib = import('idb-keyval');
	const store = lib.then((m) => m.createStore('kejimap-scenarios', 'scenarios'));
	return {
		get: async (k) => (await lib).get(k, await store),
		set: async (k, v) => (await lib).set(k, v, await store),
		del: async (k) => (await lib).del(k, await store),
		keys: async () => ((await lib).keys(await store) as Promise<string[]>)
	};
}

const recordKey = (regionId: string, id: string) => `scenario:${regionId}:${id}`;
const currentKey = (regionId: string) => `current:${regionId}`;

export interface ListResult {
	scenarios: StoredScenario[];
	/** records that could not be read (damaged, or from a newer Kejimap): key and message */
	problems: { key: string; message: string }[];
}

export function createScenarioStore(kv: KeyValueStore) {
	return {
		/** The region's scenarios, most recently changed first. */
		async list(regionId: string): Promise<ListResult> {
			const prefix = `scenario:${regionId}:`;
			const keys = (await kv.keys()).filter((k) => typeof k === 'string' && k.startsWith(prefix));
			const scenarios: StoredScenario[] = [];
			const problems: ListResult['problems'] = [];
			for (const key of keys) {
				const raw = (await kv.get(key)) as Partial<StoredScenario> | undefined;
				try {
					if (!raw || typeof raw.id !== 'string') throw new Error('not a scenario record');
					const doc = parseScenario(raw.doc, `saved scenario "${raw.id}"`);
					scenarios.push({ id: raw.id, regionId, doc, undone: Array.isArray(raw.undone) ? raw.undone : [], updatedAt: String(raw.updatedAt ?? '') });
				} catch (e) {
					problems.push({ key, message: e instanceof Error ? e.message : String(e) });
				}
			}
			scenarios.sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : a.id.localeCompare(b.id)));
			return { scenarios, problems };
		},
		async save(s: StoredScenario): Promise<void> {
			// a plain copy: IndexedDB clones it, and Svelte state proxies do not clone
			await kv.set(recordKey(s.regionId, s.id), JSON.parse(JSON.stringify(s)));
		},
		async remove(regionId: string, id: string): Promise<void> {
			await kv.del(recordKey(regionId, id));
			if ((await kv.get(currentKey(regionId))) === id) await kv.del(currentKey(regionId));
		},
		/** The scenario open when the page was left, per region. */
		async getCurrent(regionId: string): Promise<string | null> {
			const v = await kv.get(currentKey(regionId));
			return typeof v === 'string' ? v : null;
		},
		async setCurrent(regionId: string, id: string | null): Promise<void> {
			if (id) await kv.set(currentKey(regionId), id);
			else await kv.del(currentKey(regionId));
		}
	};
}
export type ScenarioStore = ReturnType<typeof createScenarioStore>;

/** A fresh scenario id (time + random: unique enough per browser, sortable). */
export function newScenarioId(now = Date.now(), random = Math.random): string {
	return `${now.toString(36)}-${Math.floor(random() * 36 ** 6)
		.toString(36)
		.padStart(6, '0')}`;
}

export interface Autosaver {
	/** queue the latest state of a scenario (replaces an earlier queued state of the same one) */
	schedule(s: StoredScenario): void;
	/** write everything queued now; resolves when written, rejects (keeping it queued) when a write fails */
	flush(): Promise<void>;
	/** scenarios changed but not yet written */
	readonly pendingCount: number;
}

/** Debounced writes; `onState` hears about every success and failure (the page shows "saved" / "not saved"). */
export function createAutosaver(store: Pick<ScenarioStore, 'save'>, onState: (s: { pending: number; error: string | null }) => void, delayMs = 300): Autosaver {
	const pending = new Map<string, StoredScenario>();
	let timer: ReturnType<typeof setTimeout> | null = null;
	let running: Promise<void> | null = null;
	let lastError: string | null = null;

	async function writeAll(): Promise<void> {
		let failure: unknown = null;
		for (const [key, s] of [...pending]) {
			try {
				await store.save(s);
				if (pending.get(key) === s) pending.delete(key); // a newer state queued meanwhile stays
			} catch (e) {
				failure = e;
			}
		}
		lastError = failure ? (failure instanceof Error ? failure.message : String(failure)) : null;
		onState({ pending: pending.size, error: lastError });
		if (failure) throw failure;
	}

	const flush = async (): Promise<void> => {
		if (timer) clearTimeout(timer);
		timer = null;
		while (running) await running.catch(() => {});
		running = writeAll();
		try {
			await running;
		} finally {
			running = null;
		}
	};

	return {
		schedule(s) {
			pending.set(`${s.regionId}:${s.id}`, s);
			onState({ pending: pending.size, error: lastError });
			if (timer) clearTimeout(timer);
			timer = setTimeout(() => void flush().catch(() => {}), delayMs);
		},
		flush,
		get pendingCount() {
			return pending.size;
		}
	};
}
