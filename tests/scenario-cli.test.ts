/**
 * `npm run coverage -- --scenario file.json` against an independent full recompute on the same file: a brand-new
 * CoverageSession on the scenario's facilities (closed ones not counted), no incremental code involved.
 * Skipped when the chengdu-central region is not built (data/build).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createScenarioDocument, writeScenarioFile } from '../src/lib/engine/scenario/codec';
import { applyEdit, createFacilitySet, orderedFacilities, type Edit } from '../src/lib/engine/scenario/edits';
import { CoverageSession, type CoverageSettings } from '../src/lib/engine/session';
import type { Facility } from '../src/lib/engine/types';
import { loadSession } from '../scripts/lib/load-built';
import { buildRoot } from '../scripts/lib/paths';
import { regionRefOf } from '../scripts/lib/scenario-file';

const ID = 'chengdu-central';
const built = existsSync(path.join(buildRoot, ID, 'region.json'));

function cli(...args: string[]) {
	const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/coverage-cli.ts', ...args], { encoding: 'utf8', timeout: 180_000 });
	return { code: r.status, out: r.stdout, err: r.stderr.trim() };
}

describe.skipIf(!built)(`coverage CLI --scenario on the built ${ID} region`, () => {
	it('prints the figures of a full recompute on the scenario file; flags override the file settings; another region is refused', () => {
		const session = loadSession(ID);
		const f = session.facilities;
		const c = session.cells;
		const edits: Edit[] = [
			{ op: 'add', facilityId: 'new-1', name: '规划站点 1', level: 'chc', lon: c.lon[100], lat: c.lat[100] },
			{ op: 'move', facilityId: f[1].id, lon: c.lon[700], lat: c.lat[700] },
			{ op: 'remove', facilityId: f[2].id },
			{ op: 'merge', facilityId: f[3].id, intoId: f[4].id },
			{ op: 'level', facilityId: f[5].id, level: 'hospital' },
			{ op: 'batch', label: 'plan', edits: [{ op: 'add', facilityId: 'new-2', name: '规划站点 2', level: 'chc', lon: c.lon[1200], lat: c.lat[1200] }, { op: 'restore', facilityId: f[2].id }] }
		];
		const settings: CoverageSettings = { mode: 'walk', maxMinutes: 15, levels: ['chc'], targetShare: 0.9, method: 'auto' };
		const doc = createScenarioDocument('CLI test', regionRefOf(session), settings, edits);
		const dir = mkdtempSync(path.join(tmpdir(), 'kjm-scenario-'));
		const file = path.join(dir, 'plan.json');
		writeFileSync(file, writeScenarioFile(doc));

		// the independent reference: facilities as the edits leave them, one full compute
		const set = createFacilitySet(f);
		for (const e of edits) applyEdit(set, e);
		const facilities: Facility[] = orderedFacilities(set).map((s) => ({ id: s.id, name: s.name, level: s.open ? s.level : 'other', lon: s.lon, lat: s.lat, source: 's' }));
		const full = (s: CoverageSettings) => new CoverageSession(session.region, facilities, session.cells, session.graphs).compute(s);

		const r = cli('--region', ID, '--scenario', file, '--json');
		expect(r.code, r.err).toBe(0);
		const out = JSON.parse(r.out);
		const ref = full(settings);
		expect(out.rows).toEqual(ref.summary.rows);
		expect(out.total).toEqual(ref.summary.total);
		expect(out.labels.scenario).toEqual({ name: 'CLI test', edits: 6 });
		expect(out.labels.activeFacilities).toBe(ref.activeFacilities);
		// and the edits matter: the region's own facilities give other figures
		expect(session.compute(settings).summary.total.covered).not.toBe(ref.summary.total.covered);

		const r20 = cli('--region', ID, '--scenario', file, '--json', '--minutes', '20', '--mode', 'drive');
		expect(r20.code, r20.err).toBe(0);
		expect(JSON.parse(r20.out).rows).toEqual(full({ ...settings, maxMinutes: 20, mode: 'drive' }).summary.rows);

		const text = cli('--region', ID, '--scenario', file);
		expect(text.out).toMatch(/方案 scenario: CLI test \(6 步 edits/);

		const other = path.join(dir, 'other.json');
		writeFileSync(other, writeScenarioFile({ ...doc, region: { ...doc.region, id: 'lingqiu' } }));
		const bad = cli('--region', ID, '--scenario', other);
		expect(bad.code).toBe(2);
		expect(bad.err.split('\n').filter((l) => l.startsWith('error:'))).toEqual([`error: ${other}: this scenario is for region "lingqiu", not "${ID}"; open region "lingqiu" first`]);
	}, 300_000);
});
