import { describe, expect, it } from 'vitest';
import { createScenarioDocument } from '../../engine/scenario/codec';
import { createAutosaver, createScenarioStore, newScenarioId, type KeyValueStore, type StoredScenario } from './scenarios';

/** idb-keyval's surface over a Map, structured-cloning like IndexedDB does; `failSet` makes writes fail. */
function memoryStore() {
	const map = new Map<string, unknown>();
	const state = { failSet: false, sets: 0 };
	const kv: KeyValueStore = {
		get: async (k) => structuredClone(map.get(k)),
		set: async (k, v) => {
			if (state.failSet) throw new Error('QuotaExceededError: the disk is full');
			state.sets++;
			map.set(k, structuredClone(v));
		},
		del: async (k) => void map.delete(k),
		keys: async () => [...map.keys()]
	};
	return { kv, map, state };
}

const settings = { mode: 'walk' as const, maxMinutes: 15, levels: ['chc' as const], targetShare: 0.9, method: 'auto' as const };
const record = (regionId: string, id: string, name: string, updatedAt: string): StoredScenario => ({
	id,
	regionId,
	doc: createScenarioDocument(name, { id: regionId, inputHash: 'h', dataHash: 'd' }, settings, [{ op: 'remove', facilityId: 'f1' }]),
	undone: [{ edit: { op: 'remove', facilityId: 'f2' }, inverse: { op: 'restore', facilityId: 'f2' } }],
	updatedAt
});

describe('scenario store (IndexedDB through a KeyValueStore)', () => {
	it('keeps scenarios per region, newest first; rename (save), duplicate, delete; the current one per region', async () => {
		const { kv } = memoryStore();
		const store = createScenarioStore(kv);
		await store.save(record('shanghai', 'a', '方案 A', '2026-12-01T10:00:00Z'));
		await store.save(record('shanghai', 'b', '方案 B', '2026-12-01T11:00:00Z'));
		await store.save(record('lingqiu', 'c', 'C', '2026-12-01T12:00:00Z'));
		let l = await store.list('shanghai');
		expect(l.scenarios.map((s) => s.id)).toEqual(['b', 'a']);
		expect(l.scenarios[1].undone).toHaveLength(1);
		expect(l.problems).toEqual([]);
		const renamed = { ...l.scenarios[1], doc: { ...l.scenarios[1].doc, name: '改名' }, updatedAt: '2026-12-01T13:00:00Z' };
		await store.save(renamed);
		const copy = { ...renamed, id: 'a2', doc: { ...renamed.doc, name: '改名 (2)' }, updatedAt: '2026-12-01T14:00:00Z' };
		await store.save(copy);
		await store.setCurrent('shanghai', 'a');
		l = await store.list('shanghai');
		expect(l.scenarios.map((s) => [s.id, s.doc.name])).toEqual([
			['a2', '改名 (2)'],
			['a', '改名'],
			['b', '方案 B']
		]);
		expect(await store.getCurrent('shanghai')).toBe('a');
		await store.remove('shanghai', 'a');
		expect((await store.list('shanghai')).scenarios.map((s) => s.id)).toEqual(['a2', 'b']);
		expect(await store.getCurrent('shanghai')).toBeNull();
		expect((await store.list('lingqiu')).scenarios.map((s) => s.id)).toEqual(['c']);
	});

	it('a damaged record is reported and skipped, the others still load', async () => {
		const { kv, map } = memoryStore();
		const store = createScenarioStore(kv);
		await store.save(record('shanghai', 'ok', 'OK', '2026-12-01T10:00:00Z'));
		map.set('scenario:shanghai:bad', { id: 'bad', doc: { kind: 'kejimap-scenario', formatVersion: 9 } });
		const l = await store.list('shanghai');
		expect(l.scenarios.map((s) => s.id)).toEqual(['ok']);
		expect(l.problems).toEqual([{ key: 'scenario:shanghai:bad', message: expect.stringMatching(/format version 9, made by a newer Kejimap/) }]);
	});

	it('the autosaver keeps a change pending when a write fails, says so, and writes it on the next flush', async () => {
		const { kv, state } = memoryStore();
		const store = createScenarioStore(kv);
		const seen: { pending: number; error: string | null }[] = [];
		const saver = createAutosaver(store, (s) => seen.push(s), 10_000);
		saver.schedule(record('shanghai', 'a', 'v1', '1'));
		saver.schedule(record('shanghai', 'a', 'v2', '2')); // replaces v1 in the queue
		expect(saver.pendingCount).toBe(1);
		state.failSet = true;
		await expect(saver.flush()).rejects.toThrow(/disk is full/);
		expect(saver.pendingCount).toBe(1);
		expect(seen.at(-1)).toEqual({ pending: 1, error: 'QuotaExceededError: the disk is full' });
		expect((await store.list('shanghai')).scenarios).toEqual([]);
		state.failSet = false;
		await saver.flush();
		expect(saver.pendingCount).toBe(0);
		expect(seen.at(-1)).toEqual({ pending: 0, error: null });
		expect((await store.list('shanghai')).scenarios.map((s) => s.doc.name)).toEqual(['v2']);
		expect(state.sets).toBe(1);
	});

	it('ids are unique and sortable by time', () => {
		let x = 0;
		const rnd = () => (x = (x + 0.37) % 1);
		const ids = Array.from({ length: 50 }, (_, i) => newScenarioId(1_700_000_000_000 + i, rnd));
		expect(new Set(ids).size).toBe(50);
		expect([...ids].sort()).toEqual(ids);
	});
});
