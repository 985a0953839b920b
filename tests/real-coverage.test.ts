/**
 * Coverage on the real built regions: checks against independent calculations.
 * - No network time is below straight-line distance / the fastest speed the mode can use.
 * - Radius-method times equal haversine x detour / speed for the facility named.
 * - Cell populations sum to the census totals (per area) within 0.1%.
 * - The CLI's JSON equals the session (the app's worker runs the same session).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { haversineM } from '../src/lib/engine/geo/measure';
import { PROFILES } from '../src/lib/engine/modes';
import { METHOD_CODES, type Mode } from '../src/lib/engine/types';
import { buildRegion } from '../scripts/build-region';
import { loadSession } from '../scripts/lib/load-built';
import { dataRoot } from '../scripts/lib/paths';

const REGIONS = ['shanghai', 'shanghai-huangpu-peoples-square', 'shanghai-yangpu-tongji', 'shanghai-baoshan-shu', 'chengdu-central', 'lingqiu', 'xixiang', 'longxi', 'anlong'];

function maxSpeed(mode: Mode): number {
	const p = PROFILES[mode];
	const classSpeeds = Object.values(p.speedByClassMps).filter((v): v is number => v !== null);
	return Math.max(p.defaultSpeedMps, p.accessSpeedMps, ...classSpeeds);
}

describe.skipIf(!existsSync(dataRoot))('coverage on the real regions', () => {
	beforeAll(async () => {
		for (const id of REGIONS) await buildRegion(id, { log: () => {} });
	}, 600_000);

	for (const id of REGIONS) {
		it(`${id}: every time is at least the straight line at top speed; radius times are exact`, () => {
			const session = loadSession(id);
			const policy = session.region.manifest.policy;
			for (const mode of ['walk', 'cycle', 'drive'] as Mode[]) {
				if (!session.graphs[mode] && mode !== policy.mode) continue;
				const { result } = session.compute({ mode, maxMinutes: policy.maxMinutes, levels: policy.levels, targetShare: policy.targetShare, method: 'auto' });
				const vmax = maxSpeed(mode);
				const prof = PROFILES[mode];
				let network = 0,
					radius = 0;
				for (let c = 0; c < session.cells.count; c++) {
					const f = result.facility[c];
					if (f < 0) continue;
					const fac = session.facilities[f];
					const dM = haversineM(session.cells.lon[c], session.cells.lat[c], fac.lon, fac.lat);
					const s = result.minutes[c] * 60;
					if (result.method[c] === METHOD_CODES.network) {
						network++;
						// Float32 minutes: allow for rounding (relative 1e-6)
						expect(s * (1 + 1e-6) + 1e-3, `${id} ${mode} cell ${c}`).toBeGreaterThanOrEqual(dM / vmax);
					} else {
						radius++;
						expect(s).toBeCloseTo((dM * prof.detourFactor) / prof.defaultSpeedMps, 1);
					}
				}
				expect(network + radius).toBeGreaterThan(0);
				if (!session.graphs[mode]) expect(network).toBe(0);
			}
		});
	}

	it('shanghai: modelled cell populations sum to each district census total within 0.1%', () => {
		const session = loadSession('shanghai');
		const census = new Map<string, number>();
		const csv = readFileSync(path.join(dataRoot, 'china-county-census-2020/county_population.csv'), 'utf8').replace(/^\uFEFF/, '');
		for (const line of csv.split('\n').slice(1)) {
			const [code, , pop] = line.split(',');
			if (code) census.set(code, Number(pop));
		}
		const sums = new Float64Array(session.region.areas.length);
		for (let c = 0; c < session.cells.count; c++) if (session.cells.areaIndex[c] >= 0) sums[session.cells.areaIndex[c]] += session.cells.population[c];
		session.region.areas.forEach((a, i) => {
			const want = census.get(a.id)!;
			expect(Math.abs(sums[i] - want) / want, a.name).toBeLessThan(0.001);
		});
		expect(session.region.areas).toHaveLength(16);
	});

	// the two counties added with planning: each cell sum equals the county census row (read here from the CSV)
	for (const [id, file] of [
		['longxi', 'gansu-longxi-county-road-network/longxi_census2020_population.csv'],
		['anlong', 'guizhou-anlong-county/anlong_census2020_population.csv']
	]) {
		it(`${id}: modelled cell populations sum to the county census total within 0.1%; facilities are labelled assumptions`, () => {
			const session = loadSession(id);
			const [header, row] = readFileSync(path.join(dataRoot, file), 'utf8').replace(/^\uFEFF/, '').trim().split('\n');
			const want = Number(row.split(',')[header.split(',').indexOf('POPU')]);
			let sum = 0;
			for (let c = 0; c < session.cells.count; c++) sum += session.cells.population[c];
			expect(Math.abs(sum - want) / want).toBeLessThan(0.001);
			expect(session.region.modelledFacilities.length).toBe(2);
			expect(session.facilities.every((f) => f.level === 'township' || f.level === 'village_clinic')).toBe(true);
		});
	}

	it('the CLI prints the same numbers as the session for the same settings', () => {
		const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/coverage-cli.ts', '--region', 'lingqiu', '--mode', 'walk', '--minutes', '20', '--json'], { encoding: 'utf8' });
		expect(r.status, r.stderr).toBe(0);
		const cli = JSON.parse(r.stdout);
		const session = loadSession('lingqiu');
		const p = session.region.manifest.policy;
		const { summary } = session.compute({ mode: 'walk', maxMinutes: 20, levels: p.levels, targetShare: p.targetShare, method: 'auto' });
		expect(cli.rows).toEqual(summary.rows);
		expect(cli.total).toEqual(summary.total);
		expect(cli.labels.populationMethod).toBe('modelled-census');
	});

	it('--cells and --facilities write one row per cell and per facility, consistent with the table', () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'kjm-out-'));
		const cellsFile = path.join(dir, 'cells.csv');
		const facFile = path.join(dir, 'facilities.csv');
		const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/coverage-cli.ts', '--region', 'chengdu-central', '--json', '--cells', cellsFile, '--facilities', facFile], {
			encoding: 'utf8'
		});
		expect(r.status, r.stderr).toBe(0);
		const summary = JSON.parse(r.stdout);
		const rows = readFileSync(cellsFile, 'utf8').trim().split('\n');
		expect(rows[0]).toBe('h3,lon,lat,population,minutes,facility_id,method');
		const session = loadSession('chengdu-central');
		expect(rows.length - 1).toBe(session.cells.count);
		let covered = 0;
		for (const row of rows.slice(1)) {
			const [, , , pop, minutes] = row.split(',');
			if (minutes !== '' && Number(minutes) <= summary.maxMinutes) covered += Number(pop);
		}
		// minutes are printed to 0.01: allow the few cells at the threshold to round either way
		expect(Math.abs(covered - summary.total.covered) / summary.total.covered).toBeLessThan(0.01);
		const fac = readFileSync(facFile, 'utf8').trim().split('\n');
		expect(fac[0]).toBe('id,name,level,lon,lat,source,official_match,merged_from');
		expect(fac.length - 1).toBe(session.facilities.length);
	});
});
