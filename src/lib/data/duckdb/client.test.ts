/** DuckDB client in Node (the blocking build): tables in, read-only SQL, joins, CSV reading. */
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { KejimapError } from '../../engine/errors';
import type { ExportTable } from '../export/tables';
import { nodeDuckDb } from '../node/duckdb';
import { getDuckDb, joinByCodeOrName, loadTable, readDelimitedText, readOnlyQuery, type DuckDbBinding } from './client';

const areas: ExportTable = {
	name: 'areas',
	rowCount: 3,
	geometry: { kind: 'area', areaIds: ['310110', '310113', '310114'] },
	columns: [
		{ name: 'area_id', type: 'string', values: ['310110', '310113', '310114'] },
		{ name: 'name', type: 'string', values: ['杨浦区', '宝山区', '嘉定区, "西"'] },
		{ name: 'population', type: 'int64', values: [1242548, 2235218, null] },
		{ name: 'share', type: 'float64', values: [0.951, 0.5, 0.25] },
		{ name: 'pass', type: 'bool', values: [true, false, false] }
	]
};

let db: DuckDbBinding;
beforeAll(async () => {
	db = await nodeDuckDb();
	await loadTable(db, areas);
}, 60_000);

describe('duckdb client', () => {
	it('is one lazy singleton', async () => {
		expect(await getDuckDb()).toBe(db);
	});

	it('a loaded table keeps its values and types (nulls stay null)', async () => {
		const r = await readOnlyQuery(db, 'SELECT * FROM areas ORDER BY area_id');
		expect(r.columns).toEqual(areas.columns.map((c) => c.name));
		expect(r.rows.map((x) => x.name)).toEqual(areas.columns[1].values);
		expect(r.rows.map((x) => x.population)).toEqual([1242548, 2235218, null]);
		expect(r.rows.map((x) => x.pass)).toEqual([true, false, false]);
		const agg = await readOnlyQuery(db, 'select sum(population) as p, count(*) filter (where pass) as n from areas;');
		expect(agg.rows[0]).toEqual({ p: 1242548 + 2235218, n: 1 });
	});

	it('SQL panel: read-only, one statement, row limit', async () => {
		for (const bad of ['DROP TABLE areas', "COPY areas TO 'x.csv'", 'CREATE TABLE x AS SELECT 1', 'SELECT 1; DROP TABLE areas', "ATTACH 'x.db'", 'SET threads = 1', ''])
			await expect(readOnlyQuery(db, bad), bad).rejects.toBeInstanceOf(KejimapError);
		expect((await readOnlyQuery(db, 'SELECT count(*) AS n FROM areas')).rows[0].n).toBe(3); // still there
		const lim = await readOnlyQuery(db, 'SELECT * FROM range(10)', 4);
		expect(lim.rows).toHaveLength(4);
		expect(lim.truncated).toBe(true);
	});

	it('joins a user table by code, else by name, and keeps unmatched rows', async () => {
		const user = 'code,name,pop\n310110,,10\n,宝山区,20\n999,nowhere,30\n';
		const t = await readDelimitedText(db, user, 'villages.csv');
		const userTable: ExportTable = {
			name: 'areas',
			rowCount: t.rows.length,
			geometry: { kind: 'area', areaIds: [] },
			columns: t.header.map((h) => ({ name: h, type: 'string' as const, values: t.rows.map((r) => (r[h] === '' ? null : r[h])) }))
		};
		await loadTable(db, userTable, 'villages');
		const j = await joinByCodeOrName(db, { table: 'villages', target: 'areas', userCode: 'code', userName: 'name', targetCode: 'area_id', targetName: 'name' });
		expect(j.rows.map((r) => [r.pop, r.matched_code, r.matched])).toEqual([
			['10', '310110', true],
			['20', '310113', true],
			['30', null, false]
		]);
	});

	it('reads messy CSV like Papa does: quotes, embedded newlines, a BOM, ragged rows', async () => {
		const text = '\ufeff名称,经度,纬度\n"社区卫生服务中心, 东","121.5","31.2"\n"多行\n名称",121.4,31.3\nshort,121\n';
		const d = await readDelimitedText(db, text, 'f.csv');
		const p = Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: true });
		expect(d.header).toEqual(p.meta.fields);
		expect(d.rows.map((r) => r['名称'])).toEqual(p.data.map((r) => r['名称']));
		expect(d.rows[2]['纬度']).toBe('');
	});
});
