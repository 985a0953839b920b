/**
 * Exports: the same table through CSV, GeoJSON and Parquet. Independent checks: the Parquet file is read back with
 * hyparquet (another code base than the writer), the CSV with DuckDB's own CSV reader, and the two must agree cell
 * for cell with the table (after the documented spreadsheet-injection prefix). Names are hostile on purpose.
 */
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSeededRng } from '../../engine/synthetic';
import type { CellResult, CellTable, CoverageSummary, Facility } from '../../engine/types';
import { queryRows, withConnection, type DuckDbBinding } from '../duckdb/client';
import { nodeDuckDb } from '../node/duckdb';
import { readParquet } from '../parquet';
import { UTF8_BOM } from './csv';
import { exportFiles, formatOfPath, sidecarName } from './export';
import type { ExportMetadata } from './metadata';
import { PARQUET_METADATA_KEY } from './parquet';
import { areasTable, cellsTable, facilitiesTable, tableRows, type ExportTable } from './tables';

const HOSTILE = ['=HYPERLINK("http://x","y")', '+1+1', '-2', '@SUM(A1)', '\tTab', '社区卫生服务中心, "东"', '<script>alert(1)</script>', 'line\nbreak'];

function fixture() {
	const rng = createSeededRng(7);
	const n = 40;
	const facilities: Facility[] = Array.from({ length: 8 }, (_, i) => ({
		id: `f${i}`,
		name: HOSTILE[i],
		level: i % 2 ? 'chs' : 'chc',
		lon: 160 + rng() * 0.05,
		lat: 31 + rng() * 0.05,
		source: 'synthetic (not real)'
	}));
	const cells: CellTable = {
		resolution: 9,
		count: n,
		h3: Array.from({ length: n }, (_, i) => `89${i.toString(16).padStart(13, '0')}`),
		lon: Float64Array.from({ length: n }, () => 160 + rng() * 0.05),
		lat: Float64Array.from({ length: n }, () => 31 + rng() * 0.05),
		population: Float64Array.from({ length: n }, () => Math.round(rng() * 50000) / 100),
		areaIndex: Int32Array.from({ length: n }, (_, i) => (i % 5 === 4 ? -1 : i % 2)),
		populationMethod: 'modelled-census'
	};
	const result: CellResult = {
		minutes: Float32Array.from({ length: n }, (_, i) => (i % 7 === 0 ? Infinity : rng() * 30)),
		facility: Int32Array.from({ length: n }, (_, i) => (i % 7 === 0 ? -1 : i % 8)),
		method: Uint8Array.from({ length: n }, (_, i) => i % 2)
	};
	const areas = [
		{ id: 'a0', name: HOSTILE[0], bbox: [0, 0, 1, 1] as [number, number, number, number] },
		{ id: 'a1', name: '杨浦区', bbox: [0, 0, 1, 1] as [number, number, number, number] }
	];
	const summary: CoverageSummary = {
		mode: 'walk',
		maxMinutes: 15,
		targetShare: 0.9,
		method: 'radius',
		populationMethod: 'modelled-census',
		rows: areas.map((a, k) => ({ areaId: a.id, name: a.name, population: 1000 + k, covered: 800 + k, share: (800 + k) / (1000 + k), pass: false, shortfall: 100, networkShare: 0 })),
		total: { population: 2001, covered: 1601, share: 1601 / 2001, pass: false, shortfall: 200, networkShare: 0, areasPassing: 0, areaCount: 2 }
	};
	return { facilities, cells, result, areas, summary };
}

const META = { tool: 'Kejimap 可及地图', formatVersion: 1, table: 'cells', generatedAt: '2026-12-01T00:00:00.000Z' } as unknown as ExportMetadata;
const spreadsheetText = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

let db: DuckDbBinding;
beforeAll(async () => {
	db = await nodeDuckDb();
}, 60_000);

function tables(): ExportTable[] {
	const f = fixture();
	return [
		cellsTable({ ...f, facilityOfSlot: (i) => f.facilities[i], maxMinutes: 15 }),
		facilitiesTable({ facilities: f.facilities, levels: ['chc'], cells: f.cells, result: f.result, maxMinutes: 15 }),
		areasTable(f.summary)
	];
}

describe('exports', () => {
	it('format from the extension; anything else is refused with the file named', () => {
		expect(formatOfPath('a/b.CSV')).toBe('csv');
		expect(formatOfPath('x.geojson')).toBe('geojson');
		expect(formatOfPath('x.parquet')).toBe('parquet');
		expect(() => formatOfPath('x.xlsx')).toThrow(/x\.xlsx: the file name must end in \.csv, \.geojson or \.parquet/);
	});

	it.each(tables().map((t) => [t.name, t] as const))('%s: Parquet read back equals the table, and the CSV read by DuckDB equals both', async (_, t) => {
		const [csvFile, sidecar] = exportFiles(t, 'csv', META, `${t.name}.csv`);
		const csv = csvFile.content as string;
		expect(csv.startsWith(UTF8_BOM)).toBe(true);
		expect(sidecar.name).toBe(sidecarName(`${t.name}.csv`));
		expect(JSON.parse(sidecar.content as string).generatedAt).toBe(META.generatedAt);

		const [pq] = exportFiles(t, 'parquet', META, `${t.name}.parquet`);
		const back = await readParquet(pq.content as Uint8Array, pq.name);
		expect(back.header).toEqual(t.columns.map((c) => c.name));
		expect(JSON.parse(back.metadata[PARQUET_METADATA_KEY])).toEqual(META);
		const expected = tableRows(t);
		expect(back.rows).toEqual(expected);

		// DuckDB's CSV reader (all text), against the table's values as a spreadsheet would see them
		await db.registerFileText(`${t.name}-test.csv`, csv.slice(1));
		const viaDuck = await withConnection(db, (c) => queryRows(c, `SELECT * FROM read_csv('${t.name}-test.csv', all_varchar = true, header = true)`));
		expect(viaDuck.columns).toEqual(back.header);
		expect(viaDuck.rows.length).toBe(t.rowCount);
		viaDuck.rows.forEach((row, r) => {
			for (const c of t.columns) {
				const v = back.rows[r][c.name];
				const want = v === null ? null : typeof v === 'string' ? spreadsheetText(v) : String(v);
				// DuckDB reads an empty field as NULL
				expect(row[c.name] === '' ? null : row[c.name], `${t.name} row ${r} ${c.name}`).toBe(want === '' ? null : want);
			}
		});
	});

	it('CSV injection: every cell starting with = + - @ or tab is neutralised; numbers stay numbers', () => {
		const t = tables()[1];
		const parsed = Papa.parse<string[]>((exportFiles(t, 'csv', META, 'f.csv')[0].content as string).slice(1), { skipEmptyLines: true }).data;
		const nameCol = parsed[0].indexOf('name');
		const names = parsed.slice(1).map((r) => r[nameCol]);
		for (const s of names) expect(s).not.toMatch(/^[=+\-@\t\r]/);
		expect(names).toContain("'=HYPERLINK(\"http://x\",\"y\")");
		expect(names).toContain('社区卫生服务中心, "东"');
		expect(names).toContain('line\nbreak');
		const lonCol = parsed[0].indexOf('lon');
		for (const r of parsed.slice(1)) expect(Number(r[lonCol])).toBeGreaterThan(159);
	});

	it('GeoJSON: points in [lon, lat], nulls kept, metadata attached, areas take their polygon', () => {
		const [cells, , areas] = tables();
		const fc = JSON.parse(exportFiles(cells, 'geojson', META, 'c.geojson')[0].content as string);
		expect(fc.metadata).toEqual(META);
		expect(fc.features).toHaveLength(cells.rowCount);
		const f0 = fc.features[0];
		expect(f0.geometry.coordinates[0]).toBeCloseTo(f0.properties.lon, 6);
		expect(f0.geometry.coordinates[1]).toBeCloseTo(f0.properties.lat, 6);
		expect(f0.properties.minutes).toBeNull(); // cell 0 is unreachable
		expect(f0.properties.covered).toBe(false);
		const poly = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] };
		const ag = JSON.parse(exportFiles(areas, 'geojson', META, 'a.geojson', (id) => (id === 'a1' ? poly : null))[0].content as string);
		expect(ag.features.map((f: { geometry: unknown }) => f.geometry)).toEqual([null, poly]);
	});

	it('facility catchments sum to the covered population of the cells table (an independent sum)', () => {
		const [cells, facilities] = tables();
		const rows = tableRows(cells);
		const fac = tableRows(facilities);
		for (const f of fac) {
			const want = rows.filter((r) => r.facility_id === f.id && r.covered).reduce((s, r) => s + (r.population as number), 0);
			if (f.counted) expect(f.catchment_population as number).toBeCloseTo(want, 0);
			else expect(f.catchment_population).toBeNull();
		}
	});
});
