import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const F = 'tests/fixtures/plan';
interface Run {
	code: number | null;
	out: string;
	err: string;
}
/** Runs the CLI without blocking the test worker (spawnSync would stall vitest's own messages). */
function plan(...args: string[]): Promise<Run> {
	return new Promise((resolve) => {
		execFile(process.execPath, ['--import', 'tsx', 'scripts/plan-cli.ts', ...args], { encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
			const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
			resolve({ code, out: stdout, err: stderr.trim() });
		});
	});
}
const matrix = (od = 'od-long.csv', ...rest: string[]) => plan('--demand', `${F}/demand.csv`, '--candidates', `${F}/sites.csv`, '--matrix', `${F}/${od}`, ...rest);
const json = (r: Run) => {
	expect(r.code, r.err).toBe(0);
	return JSON.parse(r.out);
};

// Hand-worked answers for the SYNTHETIC fixture (tests/fixtures/plan/README.md), threshold 10:
// cover K=1: s2 (d3 300 + d4 400 = 700); K=2: s2 + s4 (+ d2 200, d6 600) = 1300;
// set covering: every point has one covering site only (d1 s1, d4 s2, d5 s3, d6 s4): 4 sites, 3 with s1 open;
// median K=1, penalty 20: s3 gives 100*20 + 200*20 + 300*20 + 400*20 + 500*3 + 600*15 = 30500.
describe('plan CLI, matrix form', () => {
	it('cover, long and wide matrices give the same proven answer', async () => {
		for (const od of ['od-long.csv', 'od-wide.csv']) {
			const r = json(await matrix(od, '--objective', 'cover', '--sites', '2', '--minutes', '10', '--json'));
			expect(r.objectiveValue).toBe(1300);
			expect(r.optimal).toBe(true);
			expect(r.bound).toBe(1300);
			expect(r.sites.map((s: { id: string }) => s.id)).toEqual(['s2', 's4']);
			expect(r.sites[0]).toMatchObject({ id: 's2', lon: 160.0035, lat: 31.002, area: 'all', gain: 700 });
			expect(r.before.total).toMatchObject({ population: 2100, covered: 0 });
			expect(r.after.total).toMatchObject({ population: 2100, covered: 1300 });
			expect(r.after.rows).toHaveLength(1);
		}
		expect(json(await matrix('od-long.csv', '--objective', 'cover', '--sites', '1', '--minutes', '10', '--json')).objectiveValue).toBe(700);
	});
	it('target 100% without areas is the classic set covering; --existing sites stay open', async () => {
		const r = json(await matrix('od-long.csv', '--objective', 'target', '--target', '1', '--minutes', '10', '--json'));
		expect(r.objectiveValue).toBe(4);
		expect(r.optimal).toBe(true);
		expect(r.after.total.covered).toBe(2100);
		const e = json(await matrix('od-long.csv', '--objective', 'target', '--target', '100%', '--minutes', '10', '--existing', 's1', '--json'));
		expect(e.objectiveValue).toBe(3);
		expect(e.sites.map((s: { id: string }) => s.id).sort()).toEqual(['s2', 's3', 's4']);
		expect(e.before.total.covered).toBe(300);
	});
	it('median with a penalty', async () => {
		const r = json(await matrix('od-wide.csv', '--objective', 'median', '--sites', '1', '--minutes', '10', '--penalty', '20', '--json'));
		expect(r.objectiveValue).toBe(30500);
		expect(r.sites[0].id).toBe('s3');
		expect(r.optimal).toBe(true);
	});
	it('the text output says proven optimal', async () => {
		const r = await matrix('od-long.csv', '--objective', 'cover', '--sites', '2', '--minutes', '10');
		expect(r.code).toBe(0);
		expect(r.out).toMatch(/proven optimal/);
		expect(r.out).toMatch(/s2/);
	});
});

describe('plan CLI: bad input gets one clear line and exit code 2', () => {
	const firstError = (r: Run) => r.err.split('\n').filter((l) => l.startsWith('error:'));
	it('a matrix naming an unknown demand point names the file and row', async () => {
		const r = await matrix('od-bad.csv', '--objective', 'cover', '--minutes', '10');
		expect(r.code).toBe(2);
		expect(r.err).toBe(`error: ${F}/od-bad.csv: row 3: demand point "d7" is not in the demand point file`);
	});
	it('--existing naming an unknown site', async () => {
		const r = await matrix('od-long.csv', '--objective', 'target', '--minutes', '10', '--existing', 's9');
		expect(r.code).toBe(2);
		expect(firstError(r)).toHaveLength(1);
		expect(r.err).toMatch(/--existing names "s9"/);
	});
	it('usage errors', async () => {
		const cases: [string[], RegExp][] = [
			[['--region', 'shanghai', '--objective', 'cover', '--speed', '3'], /^error: unknown flag "--speed"/],
			[['--region', 'shanghai', '--objective', 'teleport'], /^error: --objective must be one of cover, target, median/],
			[['--region', 'shanghai', '--objective', 'cover', '--sites', '0'], /^error: --sites must be a whole number >= 1 \(got "0"\)/],
			[['--demand', `${F}/demand.csv`, '--candidates', `${F}/sites.csv`, '--matrix', `${F}/od-long.csv`, '--objective', 'cover'], /^error: --minutes is required with --demand\/--matrix/],
			[['--demand', `${F}/demand.csv`, '--objective', 'cover', '--region', 'x'], /^error: give either --region, or --demand/]
		];
		for (const [args, re] of cases) {
			const r = await plan(...args);
			expect(r.code, args.join(' ')).toBe(2);
			expect(r.err.split('\n')[0]).toMatch(re);
		}
	});
	it('a missing file', async () => {
		const r = await plan('--demand', `${F}/nowhere.csv`, '--candidates', `${F}/sites.csv`, '--matrix', `${F}/od-long.csv`, '--objective', 'cover', '--minutes', '10');
		expect(r.code).toBe(2);
		expect(r.err).toBe(`error: cannot read ${F}/nowhere.csv`);
	});
});
