/**
 * The import handler on the synthetic region, in Node: a user's CSV (as a Blob, like a File) replaces the facility
 * list, rejected rows come back by line, coverage recomputes on the new list (checked against a brute force over
 * the imported points); a failed or cancelled import leaves the loaded session untouched; the result is kept in a
 * (Map-backed) IndexedDB stand-in and reopens to the same region.
 */
import { describe, expect, it } from 'vitest';
import { fetchFromFiles, makeSyntheticRegion, SYNTHETIC_ID } from '../../../../tests/e2e/fixtures/synthetic-region';
import { createImportStore } from '../../data/persist/imports';
import type { KeyValueStore } from '../../data/persist/scenarios';
import { haversineM } from '../../engine/geo/measure';
import { PROFILES } from '../../engine/modes';
import { CancelledInWorker, type HandlerContext } from '../router';
import type { CoverageResponse } from './coverage';
import type { ImportResponse } from './import';
import { createHandlers } from './index';

const BASE = 'http://test.local/data/';
const ctx: HandlerContext = { progress: () => {}, checkpoint: async () => {}, cancelled: false };

function memoryKv(): KeyValueStore {
	const map = new Map<string, unknown>();
	return {
		get: async (k) => structuredClone(map.get(k)),
		set: async (k, v) => void map.set(k, structuredClone(v)),
		del: async (k) => void map.delete(k),
		keys: async () => [...map.keys()]
	};
}

async function setup() {
	const fx = makeSyntheticRegion();
	const importStore = createImportStore(memoryKv());
	const h = createHandlers({ fetch: fetchFromFiles(fx.files, BASE), importStore });
	await h.loadRegion({ dataUrl: BASE, regionId: SYNTHETIC_ID }, ctx);
	return { fx, h, importStore };
}

describe('importData (worker handler)', () => {
	it('replaces the facility list from a CSV, lists rejected rows by line, and coverage follows the new list', async () => {
		const { fx, h } = await setup();
		const [a, b] = fx.facilities;
		const csv = ['名称,经度,纬度', `甲社区卫生服务中心,${a.lon},${a.lat}`, '坏行,,1', `乙社区卫生服务站,${b.lon},${b.lat}`, '远方站,10,10'].join('\n');
		const { payload } = await h.importData({ kind: 'facilities', file: new Blob([csv]), fileName: 'mine.csv' }, ctx);
		const res = payload as ImportResponse;
		expect(res.report.rejected.map((r) => [r.line, r.code])).toEqual([
			[3, 'coord-empty'],
			[5, 'outside-region']
		]);
		expect(res.report.accepted).toBe(2);
		expect(res.region.facilities.map((f) => f.name)).toEqual(['甲社区卫生服务中心', '乙社区卫生服务站']);
		expect(h.session!.facilities).toHaveLength(2);
		// independent: radius coverage over the two imported points, by brute force
		const cov = (await h.coverage({ mode: 'walk', maxMinutes: 15, levels: ['chc', 'chs'], targetShare: 0.9, method: 'radius' }, ctx)).payload as CoverageResponse;
		const p = PROFILES.walk;
		let covered = 0;
		for (let c = 0; c < fx.cells.count; c++) {
			const best = Math.min(...[a, b].map((f) => (haversineM(fx.cells.lon[c], fx.cells.lat[c], f.lon, f.lat) * p.detourFactor) / p.defaultSpeedMps / 60));
			if (best <= 15) covered += fx.cells.population[c];
		}
		expect(cov.summary.total.covered).toBe(Math.round(covered));
	});

	it('a failed or cancelled import leaves the loaded region as it was', async () => {
		const { fx, h } = await setup();
		const one = `name,lon,lat\n甲社区卫生服务站,${fx.facilities[0].lon},${fx.facilities[0].lat}\n`;
		const before = h.session;
		await expect(h.importData({ kind: 'facilities', file: new Blob(['foo,bar\n1,2\n']), fileName: 'bad.csv' }, ctx)).rejects.toMatchObject({ code: 'FIELD_MISSING' });
		expect(h.session).toBe(before);
		let n = 0;
		const cancelling: HandlerContext = {
			progress: () => {},
			checkpoint: async () => {
				if (++n >= 2) throw new CancelledInWorker();
			},
			cancelled: false
		};
		await expect(h.importData({ kind: 'facilities', file: new Blob([one]), fileName: 'x.csv' }, cancelling)).rejects.toBeInstanceOf(CancelledInWorker);
		expect(h.session).toBe(before);
		await expect(h.importData({ kind: 'facilities', file: { size: 500 * 1024 * 1024 } as Blob, fileName: 'huge.csv' }, ctx)).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
		expect(h.session).toBe(before);
	});

	it('keeps the imported region in the store and reopens it', async () => {
		const { fx, h, importStore } = await setup();
		const [a] = fx.facilities;
		const csv = `name,lon,lat\n唯一社区卫生服务站,${a.lon},${a.lat}\n`;
		const res = (await h.importData({ kind: 'facilities', file: new Blob([csv]), fileName: 'one.csv', persist: true }, ctx)).payload as ImportResponse;
		expect(res.report.storedKey).toMatch(/^region:synthetic-grid:/);
		const list = (await h.listStoredRegions({}, ctx)).payload;
		expect(list.map((r) => r.key)).toEqual([res.report.storedKey]);
		await h.loadRegion({ dataUrl: BASE, regionId: SYNTHETIC_ID }, ctx); // back to the shipped region
		expect(h.session!.facilities.length).toBe(fx.facilities.length);
		const reopened = (await h.openStoredRegion({ key: res.report.storedKey! }, ctx)).payload;
		expect(reopened.facilities.map((f) => f.name)).toEqual(['唯一社区卫生服务站']);
		expect(reopened.cellCount).toBe(fx.cells.count);
		expect((await importStore.get(res.report.storedKey!))!.region.reports.imports).toHaveLength(1);
		await expect(h.openStoredRegion({ key: 'region:nope' }, ctx)).rejects.toMatchObject({ code: 'FILE_MISSING' });
	});
});
