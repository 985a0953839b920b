import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataRoot } from '../scripts/lib/paths';

function cli(...args: string[]) {
	const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/coverage-cli.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
	return { code: r.status, out: r.stdout, err: r.stderr.trim() };
}

describe('coverage CLI: bad input gets one clear line and exit code 2', () => {
	it('bad flag', () => {
		const r = cli('--region', 'shanghai', '--speed', '3');
		expect(r.code).toBe(2);
		expect(r.err.split('\n')[0]).toBe('error: unknown flag "--speed"');
	});
	it('bad mode value', () => {
		const r = cli('--region', 'shanghai', '--mode', 'fly');
		expect(r.code).toBe(2);
		expect(r.err).toMatch(/--mode must be one of walk, cycle, drive \(got "fly"\)/);
	});
	it('missing --region', () => {
		expect(cli('--json').code).toBe(2);
	});
	it('unknown level', () => {
		const r = cli('--region', 'shanghai', '--levels', 'chc,spa');
		expect(r.code).toBe(2);
		expect(r.err).toMatch(/unknown level\(s\) spa/);
	});
	it.skipIf(!existsSync(dataRoot))('unknown region lists the known ones', () => {
		const r = cli('--region', 'atlantis');
		expect(r.code).toBe(2);
		expect(r.err).toMatch(/^error: unknown region "atlantis"; known regions: .*shanghai/);
		expect(r.err.split('\n')).toHaveLength(1);
	});
	it.skipIf(!existsSync(dataRoot))('a manifest naming a missing file', () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'kjm-cli-'));
		const m = JSON.parse(readFileSync('data/regions/shanghai.json', 'utf8'));
		m.id = 'broken';
		m.facilities[0].path = 'nowhere/facilities.csv';
		const file = path.join(dir, 'broken.json');
		writeFileSync(file, JSON.stringify(m));
		const r = cli('--region', file);
		expect(r.code).toBe(2);
		expect(r.err.split('\n').filter((l) => l.startsWith('error:'))).toHaveLength(1);
		expect(r.err).toMatch(/nowhere\/facilities\.csv/);
	});
});
