/**
 * Scenarios in the browser: add a site by a map click, see the table change, undo (button), redo (Ctrl+Shift+Z),
 * reload (the scenario is still there), open its share link in a new page (same figures), export the file and
 * import it, compare base and scenario (table and difference map); the scenario's table equals the CLI run on the
 * exported file (`npm run coverage -- --scenario`). Input -> table updated is measured and reported, not asserted.
 *
 * Called by run-e2e.ts; alone: `npx tsx tests/e2e/scenario-e2e.ts` (serves the existing build/).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import sirv from 'sirv';
import type { BuiltRegion } from '../../src/lib/engine/built-region';
import type { CoverageSummary } from '../../src/lib/engine/types';

export interface ScenarioE2E {
	context: BrowserContext;
	origin: string;
	repo: string;
	outDir: string;
	buildRoot: string;
	regionId: string;
	built: BuiltRegion;
	check(cond: boolean, what: string, detail?: string): void;
	figure(k: string, v: string): void;
	/** false on the synthetic region (no CLI there) */
	withCli: boolean;
}

async function total(page: Page): Promise<number> {
	const t = await page.textContent('[data-testid=table-total] [data-col=covered]');
	return Number((t ?? '').replace(/[^\d]/g, ''));
}

async function rowsOf(page: Page) {
	return page.$$eval('[data-testid=area-table] tbody tr', (trs) =>
		trs.map((tr) => ({
			areaId: (tr as HTMLElement).dataset.areaId!,
			covered: Number((tr.querySelector('[data-col=covered]')?.textContent ?? '').replace(/[^\d]/g, '') || 'NaN')
		}))
	);
}

const idle = (page: Page) => page.waitForFunction(() => !document.querySelector('[data-testid=progress]'), null, { timeout: 90_000 });
const totalIs = (page: Page, want: number) =>
	page.waitForFunction((w) => Number((document.querySelector('[data-testid=table-total] [data-col=covered]')?.textContent ?? '').replace(/[^\d]/g, '')) === w, want, { timeout: 60_000 });

export async function scenarioChecks(e: ScenarioE2E): Promise<void> {
	const { context, origin, check, figure } = e;
	console.log('\n[S] scenarios: add a site by a map click, undo, redo, reload, share link, export/import, compare');
	await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin }).catch(() => {});
	const page = await context.newPage();
	const errors: string[] = [];
	page.on('pageerror', (err) => errors.push(String(err)));
	page.on('console', (m) => {
		if (m.type() === 'error') errors.push(m.text());
	});
	await page.goto(`${origin}/?region=${e.regionId}`);
	await page.waitForSelector('[data-testid=map][data-idle=true]', { timeout: 90_000 });
	await idle(page);
	const base = await total(page);

	// zoom to the area that falls shortest of the target (the table row), then click the middle of the map
	const rows = await rowsOf(page);
	const worst = e.built.areas.find((a) => a.id === rows[0]?.areaId) ?? e.built.areas[0];
	await page.click(`[data-testid=area-table] tbody tr[data-area-id="${worst.id}"]`);
	await page.waitForTimeout(1200); // the camera's ease
	await page.check('[data-testid=scenario-tool-add]');
	const box = (await page.locator('[data-testid=map]').boundingBox())!;
	const clickAt = async (dx: number, dy: number) => {
		const before = await total(page);
		const editsBefore = await page.locator('[data-testid=scenario-edits] li').count();
		const t0 = Date.now();
		await page.mouse.click(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
		await page.waitForFunction((n) => document.querySelectorAll('[data-testid=scenario-edits] li').length === n + 1, editsBefore, { timeout: 60_000 });
		return { before, after: await total(page), wallMs: Date.now() - t0 };
	};
	let added = await clickAt(0, 0);
	for (let k = 1; k < 4 && added.after === added.before; k++) added = await clickAt(k * 60, k * 40); // a spot where people gain access
	const one = added.after;
	check(one > base, `a site added by a map click changes the table (covered ${base} -> ${one})`);
	const editMs = async () => Number(await page.getAttribute('[data-testid=scenario-status]', 'data-edit-ms'));
	const firstMs = await editMs();
	figure('scenario: first edit, input -> table updated (opens the scenario in the worker first)', `${firstMs} ms`);

	// more sites (the scenario keeps the last two), timing each edit
	const times: number[] = [];
	for (const [dx, dy] of [
		[-150, 90],
		[120, -80],
		[-60, -120]
	]) {
		const r = await clickAt(dx, dy);
		times.push(await editMs());
		void r;
	}
	await page.click('[data-testid=scenario-undo]');
	await page.waitForFunction((n) => document.querySelectorAll('[data-testid=scenario-edits] li').length === n, 3, { timeout: 60_000 });
	times.push(await editMs());
	await page.click('[data-testid=scenario-undo]');
	await page.waitForFunction((n) => document.querySelectorAll('[data-testid=scenario-edits] li').length === n, 2, { timeout: 60_000 });
	times.push(await editMs());
	times.sort((a, b) => a - b);
	figure('scenario: later edits (3 adds, 2 undos), input -> table updated', `median ${times[Math.floor(times.length / 2)]} ms, max ${times[times.length - 1]} ms (${e.regionId}, ${e.built.areas.length} areas)`);
	await page.click('[data-testid=scenario-redo]');
	await page.waitForFunction(() => document.querySelectorAll('[data-testid=scenario-edits] li').length === 3, null, { timeout: 60_000 });
	await page.click('[data-testid=scenario-undo]');
	await page.waitForFunction(() => document.querySelectorAll('[data-testid=scenario-edits] li').length === 2, null, { timeout: 60_000 });
	const two = await total(page);
	await page.check('[data-testid=scenario-tool-browse]');
	const edits = await page.locator('[data-testid=scenario-edits] li').count();
	check(edits >= 2, `the edit list names the edits (${edits})`, (await page.textContent('[data-testid=scenario-edits]')) ?? '');

	// undo (button), redo (keyboard)
	await page.click('[data-testid=scenario-undo]');
	await totalIs(page, added.after);
	check((await total(page)) === added.after, `undo gives back the figures before the last edit (${two} -> ${added.after})`);
	await page.locator('[data-testid=scenario-panel] h2').click();
	await page.keyboard.press('Control+Shift+Z');
	await totalIs(page, two);
	check((await total(page)) === two, `redo by Ctrl+Shift+Z gives back the edit (${two})`);
	await page.keyboard.press('Control+Z');
	await totalIs(page, added.after);
	await page.keyboard.press('Control+Shift+Z');
	await totalIs(page, two);
	check(true, 'Ctrl+Z / Ctrl+Shift+Z undo and redo from the keyboard');
	const tableBefore = await rowsOf(page);
	await page.waitForFunction(() => document.querySelector('[data-testid=scenario-status]')?.getAttribute('data-pending') === '0', null, { timeout: 10_000 });
	await page.screenshot({ path: path.join(e.outDir, 'e2e-scenario-edit.png') });

	// reload: the scenario is still there, with its figures
	await page.reload();
	await page.waitForSelector('[data-testid=map][data-idle=true]', { timeout: 90_000 });
	await totalIs(page, two).catch(() => {});
	const selected = await page.$eval('[data-testid=scenario-select]', (s) => (s as HTMLSelectElement).value);
	check(selected !== '' && (await total(page)) === two, `after a reload the scenario is open again with the same total (${two})`, `select "${selected}", total ${await total(page)}`);
	check(JSON.stringify(await rowsOf(page)) === JSON.stringify(tableBefore), 'after a reload every row is the same');
	check((await page.locator('[data-testid=scenario-edits] li').count()) === edits, 'after a reload the edit list is the same');

	// share link, opened in a new page
	await page.click('[data-testid=scenario-share]');
	const link = await page.inputValue('[data-testid=scenario-link]');
	check(link.includes('sc='), `a share link is made (${link.length} characters)`);
	figure('scenario share link length (2 added sites)', `${link.length} characters`);
	const other = await context.newPage();
	await other.goto(link);
	await other.waitForSelector('[data-testid=map][data-idle=true]', { timeout: 90_000 });
	await totalIs(other, two).catch(() => {});
	check((await total(other)) === two && JSON.stringify(await rowsOf(other)) === JSON.stringify(tableBefore), `the share link opened in a new page shows the same figures (${await total(other)})`);
	check(/链接/.test((await other.textContent('[data-testid=scenario-message]').catch(() => '')) ?? ''), 'the new page says the scenario came from the link');
	check(!new URL(other.url()).searchParams.has('sc'), 'once opened (and saved), the link parameter leaves the address bar');
	await other.close();

	// export the file, then import it
	const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=scenario-export]')]);
	const file = path.join(e.outDir, 'e2e-scenario.kejimap.json');
	await download.saveAs(file);
	const doc = JSON.parse(readFileSync(file, 'utf8'));
	check(doc.formatVersion === 1 && doc.region.id === e.regionId && doc.edits.length === edits, `the exported file is a scenario (format 1, ${doc.edits.length} edits)`);
	const listBefore = await page.locator('[data-testid=scenario-select] option').count();
	await page.setInputFiles('[data-testid=scenario-file]', file);
	await page.waitForFunction((n) => document.querySelectorAll('[data-testid=scenario-select] option').length === n + 1, listBefore, { timeout: 30_000 });
	await page.waitForFunction(() => /已导入/.test(document.querySelector('[data-testid=scenario-message]')?.textContent ?? ''), null, { timeout: 30_000 });
	await totalIs(page, two).catch(() => {});
	check((await total(page)) === two, `the imported file opens as a new scenario with the same figures (${await total(page)})`);
	const bad = path.join(e.outDir, 'e2e-scenario-other-region.json');
	writeFileSync(bad, JSON.stringify({ ...doc, region: { ...doc.region, id: 'lingqiu' } }));
	await page.setInputFiles('[data-testid=scenario-file]', bad);
	await page.waitForFunction(() => /lingqiu/.test(document.querySelector('[data-testid=scenario-message]')?.textContent ?? ''), null, { timeout: 10_000 }).catch(() => {});
	check(/lingqiu/.test((await page.textContent('[data-testid=scenario-message]')) ?? ''), 'a file for another region says so', (await page.textContent('[data-testid=scenario-message]')) ?? '');

	// the CLI on the exported file prints the same table
	if (e.withCli) {
		const out = execFileSync('npx', ['tsx', 'scripts/coverage-cli.ts', '--region', e.regionId, '--scenario', file, '--json'], {
			cwd: e.repo,
			env: { ...process.env, KEJIMAP_BUILD: e.buildRoot },
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
			maxBuffer: 64 * 1024 * 1024
		});
		const cli = JSON.parse(out.slice(out.indexOf('{'))) as CoverageSummary;
		const byId = new Map(cli.rows.map((r) => [r.areaId, r.covered]));
		const same = tableBefore.every((r) => byId.get(r.areaId) === r.covered) && cli.total.covered === two;
		check(same, `the table equals \`npm run coverage -- --scenario\` on the exported file (total ${cli.total.covered})`);
	}

	// compare: the region's facilities against the scenario
	await page.locator('[data-testid=compare] summary').click();
	const scenarioId = await page.$eval('[data-testid=scenario-select]', (s) => (s as HTMLSelectElement).value);
	await page.selectOption('[data-testid=compare-before]', '');
	await page.selectOption('[data-testid=compare-after]', scenarioId);
	await page.click('[data-testid=compare-run]');
	await page.waitForSelector('[data-testid=compare-result]', { timeout: 60_000 });
	const cmp = await page.$eval('[data-testid=compare-total]', (tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''));
	const num = (s: string) => Number(s.replace(/\(.*\)/, '').replace(/[^\d]/g, ''));
	check(num(cmp[0]) === base && num(cmp[1]) === two && num(cmp[2]) === two - base && num(cmp[3]) === 0, `compare: before ${base}, after ${two}, gained ${two - base}, lost 0`, cmp.join(' | '));
	check((await page.getAttribute('[data-testid=map]', 'data-diff')) === 'true', 'the difference map layer is drawn');
	const captionOk = /→/.test((await page.textContent('[data-testid=compare-result] caption')) ?? '');
	const headers = await page.locator('[data-testid=compare-result] th[scope=col]').count();
	check(captionOk && headers === 6, 'the comparison is a captioned table with column headers (screen readers)');
	await page.screenshot({ path: path.join(e.outDir, 'e2e-scenario-compare.png') });
	check(errors.length === 0, 'no console errors in the scenario pages', errors.slice(0, 3).join('\n       '));
	await page.close();
}

// ---- alone: serve build/ and run only these checks
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
	const buildRoot = path.resolve(process.env.KEJIMAP_BUILD ?? path.join(repo, 'data/build'));
	const regionId = process.env.E2E_REGION ?? 'shanghai';
	const built = JSON.parse(readFileSync(path.join(buildRoot, regionId, 'region.json'), 'utf8')) as BuiltRegion;
	const server = createServer(sirv(path.join(repo, 'build'), { dev: true }));
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'] });
	let failures = 0;
	try {
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
		await context.addInitScript('globalThis.__name = (f) => f;');
		await scenarioChecks({
			context,
			origin,
			repo,
			outDir: path.join(repo, 'test-results'),
			buildRoot,
			regionId,
			built,
			withCli: true,
			check: (c, w, d = '') => {
				if (!c) failures++;
				console.log(`  ${c ? 'ok  ' : 'FAIL'} ${w}${!c && d ? `\n       ${d}` : ''}`);
			},
			figure: (k, v) => console.log(`  ..   ${k}: ${v}`)
		});
	} finally {
		await browser.close();
		server.close();
	}
	process.exit(failures ? 1 : 0);
}
