/**
 * CLI --table/--out and --compare-population on the built regions. Independent checks: the Parquet file read back
 * (hyparquet) equals the CSV read by DuckDB's CSV reader and the --json table; the CSV opens with a BOM; the
 * comparison is recomputed here from the exported cells (brute-force sums) and keeps every district's census total.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSession } from '../scripts/lib/load-built';
import { buildRoot, dataRoot } from '../scripts/lib/paths';
import { queryRows, withConnection } from '../src/lib/data/duckdb/client';
import { PARQUET_METADATA_KEY } from '../src/lib/data/export/parquet';
import { nodeDuckDb } from '../src/lib/data/node/duckdb';
import { loadAlternativeModels } from '../src/lib/data/node/population-models';
import { readParquet } from '../src/lib/data/parquet';

const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/coverage-cli.ts', ...args], { encoding: 'utf8', timeout: 180_000 });
const ready = existsSync(dataRoot) && existsSync(path.join(buildRoot, 'shanghai', 'region.json'));

describe.skipIf(!ready)('CLI exports', () => {
	it('--table areas: Parquet = CSV (read by DuckDB) = the --json rows; BOM; sidecar; format from the extension', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'kjm-export-'));
		const outs = ['areas.csv', 'areas.parquet', 'areas.geojson'].map((f) => path.join(dir, f));
		let json: { rows: { areaId: string; population: number; covered: number; shortfall: number; pass: boolean }[] } | null = null;
		for (const out of outs) {
			const r = cli('--region', 'shanghai', '--json', '--table', 'areas', '--out', out);
			expect(r.status, r.stderr).toBe(0);
			json = JSON.parse(r.stdout);
		}
		const csv = readFileSync(outs[0], 'utf8');
		expect(csv.charCodeAt(0)).toBe(0xfeff);
		const sidecar = JSON.parse(readFileSync(`${outs[0]}.metadata.json`, 'utf8'));
		expect(sidecar.population.modelled).toBe(true);
		expect(sidecar.settings.maxMinutes).toBe(15);
		expect(sidecar.policySource.zh).toMatch(/15分钟/);
		expect(sidecar.dataSources.map((d: { path: string }) => d.path)).toContain('china-county-census-2020/county_population.csv');

		const pq = await readParquet(readFileSync(outs[1]), outs[1]);
		expect(JSON.parse(pq.metadata[PARQUET_METADATA_KEY]).region.id).toBe('shanghai');
		const db = await nodeDuckDb();
		await db.registerFileText('cli-areas.csv', csv.slice(1));
		const duck = await withConnection(db, (c) => queryRows(c, "SELECT * FROM read_csv('cli-areas.csv', header = true, all_varchar = true)"));
		expect(duck.columns).toEqual(pq.header);
		pq.rows.forEach((row, i) => {
			for (const k of pq.header) expect(duck.rows[i][k], `${k} row ${i}`).toBe(row[k] === null ? null : String(row[k]));
		});
		expect(pq.rows.map((r) => [r.area_id, r.population, r.covered, r.shortfall, r.pass])).toEqual(json!.rows.map((r) => [r.areaId, r.population, r.covered, r.shortfall, r.pass]));

		const gj = JSON.parse(readFileSync(outs[2], 'utf8'));
		expect(gj.features).toHaveLength(16);
		expect(gj.features.every((f: { geometry: { type: string } | null }) => f.geometry && /Polygon/.test(f.geometry.type))).toBe(true);
		expect(gj.metadata.table).toBe('areas');
	});

	it('an unknown extension or a lone --out is a usage error', () => {
		const r = cli('--region', 'shanghai', '--table', 'cells', '--out', 'x.xlsx');
		expect(r.status).toBe(2);
		expect(r.stderr).toMatch(/x\.xlsx: the file name must end in \.csv, \.geojson or \.parquet/);
		expect(cli('--region', 'shanghai', '--out', 'x.csv').status).toBe(2);
	});

	it.skipIf(!existsSync(path.join(dataRoot, 'shanghai-worldpop2020-1km')))('--compare-population: shares recomputed from the cells; census totals kept per district', () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'kjm-cmp-'));
		const cellsCsv = path.join(dir, 'cells.csv');
		const r = cli('--region', 'shanghai', '--json', '--compare-population', '--table', 'cells', '--out', cellsCsv);
		expect(r.status, r.stderr).toBe(0);
		const out = JSON.parse(r.stdout);
		const cmp = out.populationModels[0];
		expect(cmp.model.id).toBe('worldpop2020-1km');
		const session = loadSession('shanghai');
		const [{ grid }] = loadAlternativeModels('shanghai', session.cells, session.region.areas.length);
		// brute force from the exported cells table: covered flag per cell, the two populations per cell
		const lines = readFileSync(cellsCsv, 'utf8').slice(1).trim().split('\n');
		const head = lines[0].split(',');
		const iCovered = head.indexOf('covered');
		const iH3 = head.indexOf('h3');
		const covered = new Map(lines.slice(1).map((l) => l.split(',')).map((f) => [f[iH3], f[iCovered] === 'true']));
		session.region.areas.forEach((a, k) => {
			let popA = 0, covA = 0, popB = 0, covB = 0;
			for (let c = 0; c < session.cells.count; c++) {
				if (session.cells.areaIndex[c] !== k) continue;
				popA += session.cells.population[c];
				popB += grid.population[c];
				if (covered.get(session.cells.h3[c])) {
					covA += session.cells.population[c];
					covB += grid.population[c];
				}
			}
			expect(Math.abs(popB - popA) / popA, `${a.name} census total kept`).toBeLessThan(1e-9);
			const row = cmp.rows[k];
			expect(row.shareA, a.name).toBeCloseTo(covA / popA, 3);
			expect(row.shareB, a.name).toBeCloseTo(covB / popB, 3);
			expect(out.rows[k].share).toBeCloseTo(row.shareA, 3);
		});
		// 金山 lies outside the grid: both models agree there
		const jinshan = cmp.rows.find((x: { areaId: string }) => x.areaId === '310116');
		expect(jinshan.inModelShare).toBe(0);
		expect(jinshan.diffPoints).toBeCloseTo(0, 9);
	});
});
