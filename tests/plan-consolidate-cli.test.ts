/**
 * The plan CLI's consolidate / elderly parts: bad flags get one line and exit 2; on a real county the JSON has
 * the closures and circuit-care lists equal to the engine's, and says the clinics are assumptions.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { consolidateRegion } from '../src/lib/engine/allocation/consolidate-region';
import { loadSession } from '../scripts/lib/load-built';
import { dataRoot } from '../scripts/lib/paths';

interface Run {
	code: number | null;
	out: string;
	err: string;
}
function plan(...args: string[]): Promise<Run> {
	return new Promise((resolve) => {
		execFile(process.execPath, ['--import', 'tsx', 'scripts/plan-cli.ts', ...args], { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
			const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
			resolve({ code, out: stdout, err: stderr.trim() });
		});
	});
}

describe('plan CLI: consolidate and elderly flags', () => {
	it('bad values and the matrix form get one line and exit code 2', async () => {
		const bad = await plan('--region', 'anlong', '--objective', 'consolidate', '--max-loss', '-5');
		expect(bad.code).toBe(2);
		expect(bad.err.split('\n')[0]).toBe('error: --max-loss must be a number of people >= 0 (got "-5")');
		const weight = await plan('--region', 'anlong', '--objective', 'cover', '--demand-weight', 'old');
		expect(weight.code).toBe(2);
		expect(weight.err).toMatch(/--demand-weight must be one of population, elderly-beds, age60/);
		const F = 'tests/fixtures/plan';
		const m = await plan('--demand', `${F}/demand.csv`, '--candidates', `${F}/sites.csv`, '--matrix', `${F}/od-long.csv`, '--minutes', '10', '--objective', 'consolidate');
		expect(m.code).toBe(2);
		expect(m.err).toMatch(/consolidate" needs a region/);
	}, 300_000);

	it.skipIf(!existsSync(dataRoot))('anlong --json: closures and circuit care equal the engine; the assumed clinics are said so', async () => {
		const r = await plan('--region', 'anlong', '--objective', 'consolidate', '--mode', 'walk', '--min-service', '1200', '--json');
		expect(r.code, r.err).toBe(0);
		const j = JSON.parse(r.out);
		const s = loadSession('anlong');
		const p = s.region.manifest.policy;
		const direct = consolidateRegion(s, { mode: 'walk', maxMinutes: p.maxMinutes, levels: p.levels, targetShare: p.targetShare, method: 'auto' }, { minServicePopulation: 1200 });
		expect(j.closures.map((c: { id: string }) => c.id)).toEqual(direct.closures.map((c) => c.clinic.id));
		expect(j.circuitCare.map((c: { h3: string }) => c.h3)).toEqual(direct.circuitCare.map((c) => c.h3));
		expect(j.circuitCare.length).toBeGreaterThan(0);
		expect(j.closures.every((c: { assumed: boolean }) => c.assumed)).toBe(true);
		expect(j.consolidation.clinicsAssumed).toBe(true);
		expect(j.params).toMatchObject({ objective: 'consolidate', maxLossPeople: 0, minServicePopulation: 1200 });
		expect(j.after.total.covered).toBe(direct.after.total.covered);
		const text = await plan('--region', 'anlong', '--objective', 'consolidate');
		expect(text.code, text.err).toBe(0);
		expect(text.out).toMatch(/the village clinics are assumptions/);
	}, 300_000);
});
