/**
 * exportTable / sqlQuery on the synthetic region: the exported areas equal the coverage answer, the cells export
 * sums back to the covered population, and SQL over the loaded tables agrees with both (DuckDB, Node build).
 */
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { fetchFromFiles, makeSyntheticRegion, SYNTHETIC_ID } from '../../../../tests/e2e/fixtures/synthetic-region';
import { nodeDuckDb } from '../../data/node/duckdb';
import { readParquet } from '../../data/parquet';
import type { HandlerContext } from '../router';
import { createHandlers } from './index';

const BASE = 'http://test.local/data/';
const ctx: HandlerContext = { progress: () => {}, checkpoint: async () => {}, cancelled: false };

describe('export handlers', () => {
	it('exports what the coverage answer says, and SQL agrees', async () => {
		const fx = makeSyntheticRegion();
		const h = createHandlers({ fetch: fetchFromFiles(fx.files, BASE) });
		await h.loadRegion({ dataUrl: BASE, regionId: SYNTHETIC_ID }, ctx);
		await expect(h.exportTable({ table: 'areas', format: 'csv', generatedAt: 'x' }, ctx)).rejects.toThrow(/no coverage result yet/);
		const settings = { mode: 'walk' as const, maxMinutes: 15, levels: fx.facilities.map((f) => f.level), targetShare: 0.9, method: 'radius' as const };
		const { payload: cov } = await h.coverage(settings, ctx);

		const { payload: areas } = await h.exportTable({ table: 'areas', format: 'parquet', generatedAt: '2026-12-01T00:00:00Z' }, ctx);
		const pq = await readParquet(areas.files[0].content as ArrayBuffer, areas.files[0].name);
		expect(pq.rows.map((r) => [r.area_id, r.population, r.covered, r.pass])).toEqual(cov.summary.rows.map((r) => [r.areaId, r.population, r.covered, r.pass]));
		expect(JSON.parse(pq.metadata.kejimap).settings.maxMinutes).toBe(15);

		const { payload: cells } = await h.exportTable({ table: 'cells', format: 'csv', generatedAt: 'x' }, ctx);
		expect(cells.files.map((f) => f.name)).toEqual([expect.stringMatching(/cells-walk-15min\.csv$/), expect.stringMatching(/\.csv\.metadata\.json$/)]);
		const rows = Papa.parse<Record<string, string>>((cells.files[0].content as string).slice(1), { header: true, skipEmptyLines: true }).data;
		expect(rows).toHaveLength(fx.cells.count);
		const covered = rows.filter((r) => r.covered === 'true').reduce((s, r) => s + Number(r.population), 0);
		expect(Math.abs(covered - cov.summary.total.covered)).toBeLessThanOrEqual(fx.cells.count * 0.01 + 1);

		await nodeDuckDb(); // the Node build stands in for the browser's worker bundle
		const { payload: q } = await h.sqlQuery({ sql: 'SELECT sum(population) AS p, count(*) FILTER (WHERE covered) AS n FROM cells' }, ctx);
		expect(q.rows[0].p).toBeCloseTo(fx.cells.population.reduce((s, v) => s + v, 0), 0);
		expect(q.rows[0].n).toBe(rows.filter((r) => r.covered === 'true').length);
		const { payload: a } = await h.sqlQuery({ sql: 'SELECT area_id, covered FROM areas ORDER BY area_id' }, ctx);
		expect(a.rows.map((r) => [r.area_id, r.covered])).toEqual([...cov.summary.rows].sort((x, y) => x.areaId.localeCompare(y.areaId)).map((r) => [r.areaId, r.covered]));
		await expect(h.sqlQuery({ sql: 'DELETE FROM areas' }, ctx)).rejects.toThrow(/read-only/);
		// a new threshold reloads the tables
		await h.coverage({ ...settings, maxMinutes: 5 }, ctx);
		const { payload: q5 } = await h.sqlQuery({ sql: 'SELECT count(*) FILTER (WHERE covered) AS n FROM cells' }, ctx);
		expect(q5.rows[0].n).toBeLessThan(q.rows[0].n as number);
	});

	it('populationModels: the last result summed under a model file, checked by a direct sum', async () => {
		const fx = makeSyntheticRegion();
		const n = fx.cells.count;
		// model B: the same district totals moved to the first half of each area's cells (a synthetic model)
		const popB = new Float64Array(n);
		for (let a = 0; a < 3; a++) {
			const idx = [...Array(n).keys()].filter((c) => fx.cells.areaIndex[c] === a);
			const total = idx.reduce((sum, c) => sum + fx.cells.population[c], 0);
			const half = idx.slice(0, Math.ceil(idx.length / 2));
			for (const c of half) popB[c] = total / half.length;
		}
		const bytes = new Uint8Array(n * 5);
		new Float32Array(bytes.buffer, 0, n).set(popB);
		bytes.fill(1, n * 4);
		const files = {
			...fx.files,
			[`${SYNTHETIC_ID}/population-models.json`]: JSON.stringify({ models: [{ id: 'half', label: { zh: '合成', en: 'synthetic' }, licence: '-', file: 'population-half.bin', cells: n }] }),
			[`${SYNTHETIC_ID}/population-half.bin`]: bytes
		};
		const h = createHandlers({ fetch: fetchFromFiles(files, BASE) });
		await h.loadRegion({ dataUrl: BASE, regionId: SYNTHETIC_ID }, ctx);
		const settings = { mode: 'walk' as const, maxMinutes: 10, levels: fx.facilities.map((f) => f.level), targetShare: 0.9, method: 'radius' as const };
		const { payload: cov } = await h.coverage(settings, ctx);
		const { payload } = await h.populationModels({}, ctx);
		expect(payload.models.map((x) => x.id)).toEqual(['half']);
		const m = payload.models[0];
		const minutes = h.session!.compute(settings).result.minutes;
		m.rows.forEach((r, a) => {
			let pop = 0;
			let cov10 = 0;
			for (let c = 0; c < n; c++) {
				if (fx.cells.areaIndex[c] !== a) continue;
				pop += Math.fround(popB[c]);
				if (minutes[c] <= 10) cov10 += Math.fround(popB[c]);
			}
			expect(r.shareB, r.name).toBeCloseTo(cov10 / pop, 6);
			expect(r.shareA, r.name).toBeCloseTo(cov.summary.rows[a].covered / cov.summary.rows[a].population, 3);
		});
	});
});
