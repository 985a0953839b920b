/**
 * e2e step: import a GBK facility CSV in the browser (the import panel), see the rejected rows listed with their
 * line numbers, the coverage recomputed on the imported list, and the result kept for reopening. The reference is
 * the coverage CLI with --import-facilities on the same file (real data), or the engine in Node (synthetic region).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { encodeGbk } from '../../src/lib/data/import/testing';
import type { Facility } from '../../src/lib/engine/types';

export interface ImportStepContext {
	context: BrowserContext;
	origin: string;
	repo: string;
	outDir: string;
	buildRoot: string;
	regionId: string;
	synthetic: boolean;
	check: (cond: boolean, what: string, detail?: string) => void;
	totalCovered: (page: Page) => Promise<number>;
}

/** 12 of the region's facilities as a user's list (Chinese headers, GBK), with two bad rows at lines 3 and 8. */
function userList(buildRoot: string, regionId: string): { bytes: Uint8Array; rows: number } {
	const facilities = JSON.parse(readFileSync(path.join(buildRoot, regionId, 'facilities.json'), 'utf8')) as Facility[];
	const pick = facilities.filter((f) => f.level === 'chc' || f.level === 'chs').slice(0, 12);
	const lines = ['名称,经度,纬度,级别'];
	for (const f of pick) lines.push(`${f.name.replace(/[",\n]/g, ' ')},${f.lon.toFixed(6)},${f.lat.toFixed(6)},${f.level}`);
	lines.splice(2, 0, '坏行：没有经度,,31.2,chs'); // line 3
	lines.splice(7, 0, `坏行：经纬度填反,${pick[0].lat.toFixed(6)},${pick[0].lon.toFixed(6)},chs`); // line 8
	return { bytes: encodeGbk(lines.join('\r\n') + '\r\n'), rows: lines.length - 1 };
}

export async function importStep(c: ImportStepContext): Promise<void> {
	const { check } = c;
	const { bytes, rows } = userList(c.buildRoot, c.regionId);
	const file = path.join(c.outDir, 'e2e-import-gbk.csv');
	mkdirSync(c.outDir, { recursive: true });
	writeFileSync(file, bytes);
	let reference: number | null = null;
	if (!c.synthetic) {
		const out = execFileSync('npx', ['tsx', 'scripts/coverage-cli.ts', '--region', c.regionId, '--import-facilities', file, '--json'], {
			cwd: c.repo,
			env: { ...process.env, KEJIMAP_BUILD: c.buildRoot },
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
			maxBuffer: 64 * 1024 * 1024
		});
		reference = (JSON.parse(out.slice(out.indexOf('{'))) as { total: { covered: number } }).total.covered;
	}

	// a fresh context: no scenario kept in IndexedDB by the earlier steps applies its edits on load
	const context = await c.context.browser()!.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
	await context.addInitScript('globalThis.__name = (f) => f;');
	const page = await context.newPage();
	await page.goto(`${c.origin}/?region=${c.regionId}`);
	await page.waitForSelector('[data-testid=map][data-idle=true]', { timeout: 90_000 });
	const before = await c.totalCovered(page);
	await page.click('[data-testid=import-panel] summary');
	await page.setInputFiles('[data-testid=import-file]', { name: 'clinics-gbk.csv', mimeType: 'text/csv', buffer: Buffer.from(bytes) });
	await page.click('[data-testid=import-run]');
	await page.waitForSelector('[data-testid=import-done]', { timeout: 90_000 });
	await page.waitForFunction((b) => {
		const t = document.querySelector('[data-testid=table-total] [data-col=covered]')?.textContent ?? '';
		return Number(t.replace(/[^\d]/g, '')) !== b && !document.querySelector('[aria-busy=true]');
	}, before, { timeout: 90_000 });
	const done = (await page.textContent('[data-testid=import-done]')) ?? '';
	check(/12/.test(done) && new RegExp(`${rows}`).test(done), 'the GBK file is read: 12 rows imported, the count of rows named', done);
	const lines = await page.$$eval('[data-testid=import-rejected] li', (lis) => lis.map((li) => [Number((li as HTMLElement).dataset.line), li.textContent ?? ''] as [number, string]));
	check(
		lines.length === 2 && lines[0][0] === 3 && /第 3 行/.test(lines[0][1]) && /坐标为空/.test(lines[0][1]) && lines[1][0] === 8 && /填反/.test(lines[1][1]),
		'the rejected rows are listed with their line numbers and reasons (lines 3 and 8)',
		JSON.stringify(lines)
	);
	const after = await c.totalCovered(page);
	check(after !== before, `coverage is recomputed on the imported list (covered ${before} -> ${after})`);
	if (reference !== null) check(after === reference, `the covered total equals the CLI with --import-facilities on the same file (${reference})`, `app ${after}`);
	const diff = (await page.textContent('[data-testid=import-before-after]')) ?? '';
	check(/导入前覆盖.*导入后/.test(diff), 'the before/after difference is shown', diff);
	const facilitiesShown = await page.locator('[data-testid=import-report]').count();
	check(facilitiesShown === 1, 'the import report is shown');
	await page.waitForSelector('[data-testid=import-stored] li', { timeout: 10_000 }).catch(() => null);
	check((await page.locator('[data-testid=import-stored] li').count()) >= 1, 'the imported region is kept in this browser (listed for reopening)');
	await page.locator('[data-testid=import-report]').screenshot({ path: path.join(c.outDir, 'e2e-import.png') });

	// a file with no usable column fails whole and leaves the imported list in place
	await page.setInputFiles('[data-testid=import-file]', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('foo,bar\n1,2\n') });
	await page.click('[data-testid=import-run]');
	await page.waitForSelector('[data-testid=import-error]', { timeout: 30_000 });
	const err = (await page.textContent('[data-testid=import-error]')) ?? '';
	check(/原有数据未改动/.test(err) && /bad\.csv/.test(err) && (await c.totalCovered(page)) === after, 'a bad file is refused with a message naming it, and nothing is lost', err);
	await context.close();
}
