/**
 * End-to-end check of the static site: `vite build`, serve build/ with a tiny node:http server (so the check proves
 * build/ is self-contained), drive headless Chromium with playwright-core, and compare the table with the CLI.
 *
 *   npm run test:e2e                 # build, then test the default region of data/build
 *   npm run test:e2e -- --no-build   # reuse build/
 *   KEJIMAP_BUILD=dir npm run test:e2e
 *
 * Without data/build/index.json it runs the pipeline when the source data is there (CI), else it falls back to the
 * SYNTHETIC region (tests/e2e/fixtures) and compares against the engine run in Node instead of the CLI. Prints figures (first map, recompute, download size); exits 1 on failure.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import type { BuildIndex, BuiltRegion } from '../../src/lib/engine/built-region';
import type { CoverageSummary, Facility, MethodChoice, Mode } from '../../src/lib/engine/types';
import { loadSession } from '../../scripts/lib/load-built';
import { readParquet } from '../../src/lib/data/parquet';
// planning (kj-ui)
import { consolidationInstance } from '../../src/lib/engine/allocation/consolidate-region';
import { regionInstance } from '../../src/lib/engine/allocation/instance';
import { plan } from '../../src/lib/engine/allocation/plan';
import { settingsFromPolicy } from '../../src/lib/engine/settings';
import { createHighsSolver } from '../../src/lib/workers/solvers/highs';
import { scenarioChecks } from './scenario-e2e';
import { importStep } from './import-e2e';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = path.join(repo, 'test-results');
const args = process.argv.slice(2);
const noBuild = args.includes('--no-build');
const headed = args.includes('--headed');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROME_ARGS = [
	'--no-sandbox',
	'--use-angle=swiftshader',
	'--enable-unsafe-swiftshader',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-quic'
];

let failures = 0;
let passes = 0;
function check(cond: boolean, what: string, detail = ''): void {
	if (cond) {
		passes++;
		console.log(`  ok   ${what}`);
	} else {
		failures++;
		console.log(`  FAIL ${what}${detail ? `\n       ${detail}` : ''}`);
	}
}
const figures: [string, string][] = [];
const figure = (k: string, v: string) => {
	figures.push([k, v]);
	console.log(`  ..   ${k}: ${v}`);
};

// ---------------------------------------------------------------- data
let buildRoot = path.resolve(process.env.KEJIMAP_BUILD ?? path.join(repo, 'data/build'));
let synthetic = false;
const sourceData = path.resolve(process.env.KEJIMAP_DATA ?? path.join(repo, '../shared/data'));
if (!existsSync(path.join(buildRoot, 'index.json')) && existsSync(sourceData)) {
	// a fresh clone with the source data beside it (CI): build the regions first, as `npm run data` does
	console.log(`no built data in ${buildRoot}: running the pipeline (npm run data) …`);
	execFileSync('npx', ['tsx', 'scripts/build-all.ts'], { cwd: repo, stdio: 'inherit', env: { ...process.env, KEJIMAP_BUILD: buildRoot } });
}
if (!existsSync(path.join(buildRoot, 'index.json'))) {
	synthetic = true;
	buildRoot = path.join(outDir, 'synthetic-build');
	console.log(`no built data found: using the SYNTHETIC region in ${buildRoot}`);
	execFileSync('npx', ['tsx', 'tests/e2e/fixtures/synthetic-region.ts', buildRoot], { cwd: repo, stdio: 'inherit' });
}
const index = JSON.parse(readFileSync(path.join(buildRoot, 'index.json'), 'utf8')) as BuildIndex;
const defaultRegion = (index.regions.find((r) => r.default) ?? index.regions[0]).id;
const built = JSON.parse(readFileSync(path.join(buildRoot, defaultRegion, 'region.json'), 'utf8')) as BuiltRegion;
const policy = built.manifest.policy;
console.log(`region: ${defaultRegion} (${built.name.zh}), ${built.areas.length} areas, policy ${policy.mode} ${policy.maxMinutes} min ${policy.targetShare}`);

// ---------------------------------------------------------------- reference numbers
/** What the CLI is asked: a mode (no per-area rules then) and minutes, or neither (the region's policy); a method. */
interface RefQuery {
	region?: string;
	mode?: Mode;
	minutes?: number;
	method?: MethodChoice;
}
type Ref = (minutes: number, q?: RefQuery) => CoverageSummary;
function referenceFromCli(): Ref {
	return (minutes, q = {}) => {
		const argv = ['tsx', 'scripts/coverage-cli.ts', '--region', q.region ?? defaultRegion];
		if (!q.region || q.mode) argv.push('--mode', q.mode ?? policy.mode, '--minutes', String(minutes));
		if (q.method) argv.push('--method', q.method);
		argv.push('--json');
		const out = execFileSync('npx', argv, {
			cwd: repo,
			env: { ...process.env, KEJIMAP_BUILD: buildRoot },
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
			maxBuffer: 64 * 1024 * 1024
		});
		const parsed = JSON.parse(out.slice(out.indexOf('{')));
		return (parsed.summary ?? parsed) as CoverageSummary;
	};
}
function referenceFromNode(): Ref {
	const s = loadSession(defaultRegion, undefined, buildRoot);
	return (minutes, q = {}) =>
		s.compute({ mode: q.mode ?? policy.mode, maxMinutes: minutes, levels: policy.levels, targetShare: policy.targetShare, method: q.method ?? 'auto' }).summary;
}
const reference: Ref = synthetic ? referenceFromNode() : referenceFromCli();
// The CLI rebuilds the region when its inputs or the pipeline changed: run it before the site is built, so the page
// and the CLI read the same data.
const REF_MINUTES = [policy.maxMinutes, policy.maxMinutes === 10 ? 12 : 10, 37];
const refs = new Map(REF_MINUTES.map((m) => [m, reference(m)]));
const referenceName = synthetic ? 'engine in Node (synthetic region)' : 'CLI (npm run coverage)';
// per-area rule: one area (Pudong on Shanghai) takes another mode, the rest keep the policy mode
const ruleArea = built.areas.find((a) => a.name === '浦东新区') ?? built.areas[0];
const ruleMode: Mode = policy.mode === 'cycle' ? 'drive' : 'cycle';
const refRuleMode = reference(policy.maxMinutes, { mode: ruleMode });
// a region with a network, to switch the method on (chengdu-central when built)
const netRegion = index.regions.find((r) => r.id === 'chengdu-central' && r.hasNetwork) ?? index.regions.find((r) => r.id !== defaultRegion && r.hasNetwork);
const refNetRadius = netRegion && !synthetic ? reference(0, { region: netRegion.id, method: 'radius' }) : null;

// planning (kj-ui): Cover K = PLAN_K at the policy settings from `npm run plan -- --json` (the engine in Node on the
// synthetic region). Started now, so it runs beside the build and the browser; read in [9].
const PLAN_K = 5;
interface PlanRef {
	sites: { id: string; gain: number; runningTotal: number }[];
	before: { rows: { areaId: string; covered: number }[] };
	after: { rows: { areaId: string; covered: number }[] };
	optimal: boolean;
	boundShare: number;
	objectiveValue: number;
}
function planRefFromCli(): Promise<PlanRef> {
	const argv = ['tsx', 'scripts/plan-cli.ts', '--region', defaultRegion, '--objective', 'cover', '--sites', String(PLAN_K), '--json'];
	return new Promise((resolve, reject) =>
		execFile('npx', argv, { cwd: repo, env: { ...process.env, KEJIMAP_BUILD: buildRoot }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }, (err, out) =>
			err ? reject(err) : resolve(JSON.parse(out.slice(out.indexOf('{'))) as PlanRef)
		)
	);
}
async function planRefFromNode(): Promise<PlanRef> {
	const s = loadSession(defaultRegion, undefined, buildRoot);
	const r = await plan(regionInstance(s, settingsFromPolicy(policy), { kind: 'cells' }), { objective: 'cover', sites: PLAN_K }, { solver: createHighsSolver() });
	return r;
}
const planRef = synthetic ? planRefFromNode() : planRefFromCli();
planRef.catch(() => {}); // awaited in [9]

// ---------------------------------------------------------------- build
if (!noBuild) {
	console.log('vite build …');
	const r = spawnSync('npx', ['vite', 'build'], { cwd: repo, env: { ...process.env, KEJIMAP_BUILD: buildRoot }, encoding: 'utf8' });
	if (r.status !== 0) {
		console.error(r.stdout, r.stderr);
		process.exit(1);
	}
}
const site = path.join(repo, 'build');
if (!existsSync(path.join(site, 'data', 'index.json'))) {
	console.error('build/data/index.json missing: the vite plugin did not copy the data');
	process.exit(1);
}

// ---------------------------------------------------------------- static server
const TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript',
	'.mjs': 'text/javascript',
	'.css': 'text/css',
	'.json': 'application/json',
	'.geojson': 'application/geo+json',
	'.bin': 'application/octet-stream',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.wasm': 'application/wasm'
};
const served = new Map<string, number>();
const outside: string[] = [];
const consoleErrors404: string[] = [];
/** a stand-in intranet tile server for the ?basemap= check: every tile is one grey 1x1 PNG */
const tileRequests: string[] = [];
const TILE_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mN4+P//fwAJRgPOq1rlMQAAAABJRU5ErkJggg==', 'base64');
function serve(): Promise<Server> {
	const server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://x');
		if (url.pathname === '/test-style.json') {
			tileRequests.push(url.pathname);
			const style = JSON.stringify({ version: 8, sources: {}, layers: [{ id: 'intranet-bg', type: 'background', paint: { 'background-color': '#fde2e4' } }] });
			return void res.writeHead(200, { 'content-type': 'application/json' }).end(style);
		}
		if (url.pathname.startsWith('/test-tiles/')) {
			tileRequests.push(url.pathname);
			return void res.writeHead(200, { 'content-type': 'image/png', 'content-length': TILE_PNG.length }).end(TILE_PNG);
		}
		let file = path.normalize(path.join(site, decodeURIComponent(url.pathname)));
		if (!file.startsWith(site)) return void res.writeHead(403).end();
		if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
		// prerendered pages (/report -> report.html), as any static host serves them
		if (!existsSync(file) && existsSync(`${file}.html`)) file = `${file}.html`;
		if (!existsSync(file)) {
			consoleErrors404.push(url.pathname);
			return void res.writeHead(404).end('not found');
		}
		const size = statSync(file).size;
		served.set(url.pathname, (served.get(url.pathname) ?? 0) + size);
		res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-length': size });
		createReadStream(file).pipe(res);
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// ---------------------------------------------------------------- page helpers
async function tableNumbers(page: Page) {
	return page.$$eval('[data-testid=area-table] tbody tr', (trs) =>
		trs.map((tr) => {
			const num = (col: string) => Number((tr.querySelector(`[data-col=${col}]`)?.textContent ?? '').replace(/[^\d.]/g, '') || 'NaN');
			return { areaId: (tr as HTMLElement).dataset.areaId!, population: num('population'), covered: num('covered'), pass: tr.querySelector('[data-col=pass] .ok') !== null };
		})
	);
}
async function totalCovered(page: Page): Promise<number> {
	const t = await page.textContent('[data-testid=table-total] [data-col=covered]');
	return Number((t ?? '').replace(/[^\d]/g, ''));
}
function compareWithReference(rows: Awaited<ReturnType<typeof tableNumbers>>, ref: CoverageSummary, label: string) {
	const byId = new Map(rows.map((r) => [r.areaId, r]));
	let mismatches = 0;
	const examples: string[] = [];
	for (const r of ref.rows) {
		const got = byId.get(r.areaId);
		if (!got || got.population !== r.population || got.covered !== r.covered || got.pass !== r.pass) {
			mismatches++;
			if (examples.length < 3) examples.push(`${r.areaId} ${r.name}: app ${JSON.stringify(got)} vs ref pop ${r.population} cov ${r.covered} pass ${r.pass}`);
		}
	}
	check(rows.length === ref.rows.length && mismatches === 0, `${label}: ${rows.length} table rows equal the ${referenceName}`, examples.join('\n       '));
}

/** Share of map pixels that differ from the background, from a real screenshot decoded in the page. */
async function nonBlankShare(page: Page): Promise<{ share: number; colours: number }> {
	const png = await page.locator('[data-testid=map]').screenshot();
	return page.evaluate(async (b64) => {
		const img = new Image();
		img.src = `data:image/png;base64,${b64}`;
		await img.decode();
		const c = document.createElement('canvas');
		c.width = img.width;
		c.height = img.height;
		const ctx = c.getContext('2d')!;
		ctx.drawImage(img, 0, 0);
		const d = ctx.getImageData(0, 0, c.width, c.height).data;
		const bg = [0xee, 0xf1, 0xf4];
		let differ = 0,
			n = 0;
		const colours = new Set<number>();
		for (let i = 0; i < d.length; i += 4 * 7) {
			n++;
			if (Math.abs(d[i] - bg[0]) + Math.abs(d[i + 1] - bg[1]) + Math.abs(d[i + 2] - bg[2]) > 24) differ++;
			colours.add(((d[i] >> 4) << 8) | ((d[i + 1] >> 4) << 4) | (d[i + 2] >> 4));
		}
		return { share: differ / n, colours: colours.size };
	}, png.toString('base64'));
}

// ---------------------------------------------------------------- run
async function main() {
	mkdirSync(outDir, { recursive: true });
	const server = await serve();
	const port = (server.address() as AddressInfo).port;
	const origin = `http://127.0.0.1:${port}`;
	const browser = await chromium.launch({ executablePath: CHROMIUM, headless: !headed, args: CHROME_ARGS });
	try {
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
		context.on('request', (r) => {
			if (!r.url().startsWith(origin) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) outside.push(r.url());
		});
		// tsx keeps function names with a __name helper that page.evaluate'd code does not have
		await context.addInitScript('globalThis.__name = (f) => f;');
		const page = await context.newPage();
		const consoleErrors: string[] = [];
		page.on('console', (m) => {
			if (m.type() === 'error') consoleErrors.push(m.text());
		});
		page.on('pageerror', (e) => consoleErrors.push(String(e)));
		page.on('response', (r) => {
			if (r.status() >= 400) consoleErrors.push(`HTTP ${r.status()} ${r.url()}`);
		});

		console.log(`\n[1] default view at ${origin}/`);
		await page.goto(`${origin}/`);
		await page.waitForSelector('[data-testid=map][data-ready=true]', { timeout: 90_000 });
		await page.waitForSelector('[data-testid=map][data-idle=true]', { timeout: 90_000 });
		const markAt = (name: string) => page.evaluate((n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN, name);
		figure('first meaningful map (navigation -> first frame with coloured cells)', `${Math.round(await markAt('kejimap:map-ready'))} ms`);
		figure('map complete (navigation -> map idle: boundaries, facilities drawn)', `${Math.round(await markAt('kejimap:map-idle'))} ms`);
		const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => [m.name, Math.round(m.startTime)] as [string, number]));
		console.log(`         marks: ${marks.map(([n, t]) => `${n.replace('kejimap:', '')} ${t}`).join(', ')}`);
		const firstRun = await page.evaluate(() => (performance.getEntriesByName('kejimap:coverage')[0] as PerformanceMark | undefined)?.detail);
		figure('first coverage run in the worker (engine compute, cold)', `${Math.round(firstRun?.computeMs ?? NaN)} ms`);
		const dataBytes = [...served.entries()].filter(([p]) => p.startsWith('/data/')).reduce((a, [, b]) => a + b, 0);
		const appBytes = [...served.entries()].filter(([p]) => !p.startsWith('/data/')).reduce((a, [, b]) => a + b, 0);
		figure('download, region data (served bytes, uncompressed)', `${(dataBytes / 1048576).toFixed(2)} MB`);
		figure('download, app code and styles', `${(appBytes / 1048576).toFixed(2)} MB`);
		for (const [p, b] of [...served.entries()].filter(([p]) => p.startsWith('/data/'))) console.log(`         ${p}: ${(b / 1024).toFixed(0)} KiB`);

		check((await page.getAttribute('.maplibregl-ctrl-zoom-in', 'title')) === '放大', "MapLibre's controls are in Chinese by default");
		const region = await page.$eval('[data-testid=region-select]', (s) => (s as HTMLSelectElement).value);
		check(region === defaultRegion, `default region is ${defaultRegion}`, `got ${region}`);
		const url = new URL(page.url());
		check(url.searchParams.get('mode') === policy.mode && url.searchParams.get('min') === String(policy.maxMinutes), 'URL carries the policy defaults', page.url());
		const pix = await nonBlankShare(page);
		check(pix.share > 0.1 && pix.colours >= 4, `map canvas is drawn (${(pix.share * 100).toFixed(0)}% non-background pixels, ${pix.colours} colours)`);
		await page.screenshot({ path: path.join(outDir, 'e2e-default.png') });

		const modelled = built.populationMethod !== 'raster';
		if (modelled) check((await page.locator('[data-testid=modelled-badge]').count()) === 1, 'modelled population is labelled');
		const methodText = (await page.textContent('[data-testid=method-text]')) ?? '';
		check(/路网法|服务半径法/.test(methodText), 'travel-time method named on screen', methodText.slice(0, 80));
		const rows = await tableNumbers(page);
		check(rows.length === built.areas.length, `table shows all ${built.areas.length} areas`, `got ${rows.length}`);

		// The app applies the policy's per-area rules; the CLI with --mode does not: compare with rules off.
		const hasRules = !!policy.areaModeRules?.length;
		if (hasRules) {
			await page.click('[data-testid=clear-area-modes]');
			await page.waitForFunction(() => new URL(location.href).searchParams.get('rules') === '');
			await page.waitForFunction(() => !document.querySelector('[data-testid=progress]'));
		}
		if (!built.files.graphs[policy.mode]) {
			const radiusOnly = await page.evaluate(() => ({
				network: (document.querySelector('[data-testid=method-network]') as HTMLInputElement).disabled,
				auto: (document.querySelector('[data-testid=method-auto]') as HTMLInputElement).disabled,
				radius: (document.querySelector('[data-testid=method-radius]') as HTMLInputElement).checked,
				hint: document.querySelector('[data-testid=method-hint]')?.textContent ?? ''
			}));
			check(
				radiusOnly.network && radiusOnly.auto && radiusOnly.radius && /服务半径/.test(radiusOnly.hint) && new URL(page.url()).searchParams.get('method') === 'radius',
				'no network: the method selector shows the radius method fixed, with a note, and the URL says method=radius',
				JSON.stringify(radiusOnly)
			);
		}
		const refA = refs.get(policy.maxMinutes)!;
		compareWithReference(await tableNumbers(page), refA, `${policy.mode} ${policy.maxMinutes} min`);
		check((await totalCovered(page)) === refA.total.covered, `total covered equals the ${referenceName} (${refA.total.covered})`);

		console.log(`\n[1b] per-area mode: ${ruleArea.name} (${ruleArea.id}) ${ruleMode}, the rest ${policy.mode}`);
		const walkRows = await tableNumbers(page);
		const ruleRow = page.locator(`[data-testid=area-table] tbody tr[data-area-id="${ruleArea.id}"]`);
		const ruleSelect = ruleRow.locator('select');
		check((await ruleSelect.getAttribute('aria-label')) === `${ruleArea.name}的出行方式`, "the row's mode select is labelled with the area name", String(await ruleSelect.getAttribute('aria-label')));
		// by keyboard: focus the select, arrow down to the mode (options: default, walk, cycle, drive)
		await ruleSelect.focus();
		const steps = 1 + ['walk', 'cycle', 'drive'].indexOf(ruleMode);
		for (let i = 0; i < steps; i++) await page.keyboard.press('ArrowDown');
		if ((await ruleSelect.inputValue()) !== ruleMode) await ruleSelect.selectOption(ruleMode); // keyboard model differs by platform
		await page.waitForFunction((want) => new URL(location.href).searchParams.get('rules') === want, `${ruleMode}:${ruleArea.id}`);
		const walkRule = walkRows.find((r) => r.areaId === ruleArea.id)!;
		await page.waitForFunction(
			([id, before]) => {
				const td = document.querySelector(`[data-testid=area-table] tbody tr[data-area-id="${id}"] [data-col=covered]`);
				return !document.querySelector('[data-testid=progress]') && Number((td?.textContent ?? '').replace(/[^\d]/g, '')) !== before;
			},
			[ruleArea.id, walkRule.covered] as const,
			{ timeout: 60_000 }
		);
		const ruledRows = await tableNumbers(page);
		const gotRule = ruledRows.find((r) => r.areaId === ruleArea.id)!;
		const refRuleRow = refRuleMode.rows.find((r) => r.areaId === ruleArea.id)!;
		check(
			gotRule.covered > walkRule.covered && gotRule.covered === refRuleRow.covered,
			`${ruleArea.name}: covered rises ${walkRule.covered} -> ${gotRule.covered}, equal to the ${referenceName} with --mode ${ruleMode} (${refRuleRow.covered})`
		);
		const othersSame = ruledRows.filter((r) => r.areaId !== ruleArea.id).every((r) => {
			const w = walkRows.find((x) => x.areaId === r.areaId);
			return !!w && w.covered === r.covered && w.population === r.population;
		});
		check(othersSame && ruledRows.length === walkRows.length, `the other ${ruledRows.length - 1} rows keep the ${policy.mode} numbers`);
		const walkRuleRef = refA.rows.find((r) => r.areaId === ruleArea.id)!;
		check((await totalCovered(page)) === refA.total.covered - walkRuleRef.covered + refRuleRow.covered, 'the total is the walk total with that one row swapped for its cycle figure');
		check(
			(await ruleRow.getAttribute('data-mode')) === ruleMode && (await ruleRow.evaluate((tr) => tr.classList.contains('own'))) && /另设/.test((await page.textContent('[data-testid=area-rules]')) ?? ''),
			'the row is marked as using its own mode, and the table says how many do'
		);
		await page.locator('#area-table').screenshot({ path: path.join(outDir, 'e2e-table-rule.png') });
		const ruleLink = page.url();
		const page7 = await context.newPage();
		await page7.goto(ruleLink);
		await page7.waitForSelector('[data-testid=map][data-idle=true]', { timeout: 90_000 });
		await page7.waitForFunction(() => !document.querySelector('[data-testid=progress]'));
		const linkRow = (await tableNumbers(page7)).find((r) => r.areaId === ruleArea.id);
		const linkSel = await page7.locator(`[data-testid=area-table] tbody tr[data-area-id="${ruleArea.id}"] select`).inputValue();
		check(linkRow?.covered === gotRule.covered && linkSel === ruleMode, 'a link with the rule reproduces the row and the select', `${linkRow?.covered} ${linkSel}`);
		await page7.close();
		await page.click('[data-testid=clear-area-modes]');
		await page.waitForFunction(() => new URL(location.href).searchParams.get('rules') === '');
		await page.waitForFunction(() => !document.querySelector('[data-testid=progress]'));
		await page.waitForFunction((n) => document.querySelector('[data-testid=table-total] [data-col=covered]')?.textContent?.replace(/[^\d]/g, '') === String(n), refA.total.covered);
		compareWithReference(await tableNumbers(page), refA, `after clearing per-area modes, ${policy.mode} ${policy.maxMinutes} min`);
		check((await ruleSelect.inputValue()) === '', 'the select is back on the default');

		console.log('\n[2] change the threshold');
		const newMinutes = REF_MINUTES[1];
		const before = await totalCovered(page);
		const recomputeMs = await page.evaluate(async (m) => {
			const input = document.querySelector('[data-testid=minutes-input]') as HTMLInputElement;
			const cap = () => document.querySelector('[data-testid=area-table] caption')?.textContent ?? '';
			const t0 = performance.now();
			input.value = String(m);
			input.dispatchEvent(new Event('change', { bubbles: true }));
			while (!cap().includes(` ${m} `)) await new Promise((r) => requestAnimationFrame(r));
			return performance.now() - t0;
		}, newMinutes);
		figure(`recompute after threshold ${policy.maxMinutes} -> ${newMinutes} min (input -> table updated)`, `${Math.round(recomputeMs)} ms`);
		const lastRun = await page.evaluate(() => {
			const all = performance.getEntriesByName('kejimap:coverage') as PerformanceMark[];
			return all[all.length - 1]?.detail;
		});
		figure('  of which in the worker (cached times re-bucketed)', `${Math.round(lastRun?.computeMs ?? NaN)} ms, reused=${lastRun?.reused}`);
		const after = await totalCovered(page);
		check(after !== before && after < before, `numbers change with the threshold (${before} -> ${after})`);
		const refB = refs.get(newMinutes)!;
		compareWithReference(await tableNumbers(page), refB, `${policy.mode} ${newMinutes} min`);
		check(new URL(page.url()).searchParams.get('min') === String(newMinutes), 'URL follows the threshold');

		// a slider dragged fast: many requests, only the last may show
		await page.evaluate(async () => {
			const slider = document.querySelector('input[type=range]') as HTMLInputElement;
			for (let m = 5; m <= 37; m++) {
				slider.value = String(m);
				slider.dispatchEvent(new Event('input', { bubbles: true }));
				await new Promise((r) => setTimeout(r, 3));
			}
		});
		await page.waitForFunction(() => (document.querySelector('[data-testid=area-table] caption')?.textContent ?? '').includes(' 37 '));
		await page.waitForFunction(() => !document.querySelector('[data-testid=progress]'));
		compareWithReference(await tableNumbers(page), refs.get(37)!, 'after a fast slider drag to 37 min (latest request wins)');
		await page.fill('[data-testid=minutes-input]', String(newMinutes));
		await page.locator('[data-testid=minutes-input]').dispatchEvent('change');
		await page.waitForFunction((n) => document.querySelector('[data-testid=table-total] [data-col=covered]')?.textContent?.replace(/[^\d]/g, '') === String(n), after);

		const modeMs = await page.evaluate(async () => {
			const cap = () => document.querySelector('[data-testid=area-table] caption')?.textContent ?? '';
			const before = cap();
			const t0 = performance.now();
			(document.querySelector('[data-testid=mode-cycle]') as HTMLInputElement).click();
			while (cap() === before) await new Promise((r) => requestAnimationFrame(r));
			return performance.now() - t0;
		});
		figure('recompute after a mode change walk -> cycle (input -> table updated)', `${Math.round(modeMs)} ms`);
		const cycleCovered = await totalCovered(page);
		check(cycleCovered > after, `cycling covers more people than walking (${after} -> ${cycleCovered})`);
		await page.locator('label:has([data-testid=mode-walk])').click();
		await page.waitForFunction(() => new URL(location.href).searchParams.get('mode') === 'walk');
		await page.waitForFunction((n) => document.querySelector('[data-testid=table-total] [data-col=covered]')?.textContent?.replace(/[^\d]/g, '') === String(n), after);

		await page.setViewportSize({ width: 1440, height: 2900 });
		await page.waitForTimeout(300);
		await page.locator('aside').screenshot({ path: path.join(outDir, 'e2e-panel.png') });
		await page.setViewportSize({ width: 1440, height: 900 });

		console.log('\n[2b] table: keyboard sorting');
		const popHeader = page.locator('[data-testid=area-table] th[data-col=population]');
		await popHeader.locator('button').focus();
		await page.keyboard.press('Enter');
		check((await popHeader.getAttribute('aria-sort')) === 'descending', 'Enter on a column header sorts by it (aria-sort=descending)');
		const pops = (await tableNumbers(page)).map((r) => r.population);
		check(pops.every((v, i) => i === 0 || pops[i - 1] >= v), 'rows are in descending population order');
		await page.keyboard.press('Enter');
		check((await popHeader.getAttribute('aria-sort')) === 'ascending', 'a second Enter reverses it (aria-sort=ascending)');
		check((await page.locator('[data-testid=area-table] caption').count()) === 1 && (await page.locator('[data-testid=area-table] th[scope=col]').count()) === 7, 'table has a caption and scoped column headers');
		await page.locator('#area-table').screenshot({ path: path.join(outDir, 'e2e-table.png') });
		const firstRow = page.locator('[data-testid=area-table] tbody tr').first();
		const rowName = (await firstRow.locator('th button').textContent())?.trim();
		await firstRow.locator('th button').focus();
		await page.keyboard.press('Enter');
		await page.waitForTimeout(900);
		await page.screenshot({ path: path.join(outDir, 'e2e-area-zoom.png') });
		check(!!rowName, `Enter on a row's name zooms to the area (${rowName}; see e2e-area-zoom.png)`);

		console.log('\n[3] gap view, facility search and click, cell click');
		await page.locator('label:has([data-testid=view-gap])').click();
		await page.waitForTimeout(400);
		await page.screenshot({ path: path.join(outDir, 'e2e-gap.png') });
		const gapPix = await nonBlankShare(page);
		check(gapPix.share > 0.05, 'gap view draws');
		const firstFacility = JSON.parse(readFileSync(path.join(buildRoot, defaultRegion, built.files.facilities), 'utf8'))[0] as Facility;
		const query = firstFacility.name.slice(0, Math.min(6, firstFacility.name.length));
		await page.fill('[data-testid=search-input]', query);
		const hits = await page.locator('[data-testid=search-results] button').count();
		check(hits > 0, `search "${query}" finds facilities (${hits} shown)`);
		await page.locator('[data-testid=search-results] button', { hasText: firstFacility.name }).first().click();
		await page.waitForSelector('[data-testid=facility-popup] [data-testid=catchment], [data-testid=facility-popup] dd:has-text("未计入")', { timeout: 30_000 });
		const popupTitle = await page.textContent('[data-testid=facility-popup] h3');
		check(popupTitle === firstFacility.name, 'facility popup shows the name (as text)', String(popupTitle));
		await page.waitForTimeout(700);
		await page.screenshot({ path: path.join(outDir, 'e2e-facility.png') });
		await page.locator('label:has([data-testid=view-time])').click();
		const box = (await page.locator('[data-testid=map]').boundingBox())!;
		await page.mouse.click(box.x + box.width * 0.56, box.y + box.height * 0.64);
		const cellPopup = await page.waitForSelector('[data-testid=cell-popup] [data-testid=cell-minutes]', { timeout: 15_000 }).catch(() => null);
		await page.screenshot({ path: path.join(outDir, 'e2e-cell.png') });
		check(cellPopup !== null, 'clicking a cell shows its population, time and nearest facility');

		console.log('\n[4] language and link');
		await page.click('[data-testid=lang-switch]');
		const caption = (await page.textContent('[data-testid=area-table] caption')) ?? '';
		check(/Coverage by/.test(caption), 'English switch translates the table caption', caption);
		check((await page.getAttribute('.maplibregl-ctrl-zoom-in', 'title')) === 'Zoom in', "English switch relabels MapLibre's controls");
		const link = page.url();
		check(new URL(link).searchParams.get('lang') === 'en', 'language is in the URL');
		const page2 = await context.newPage();
		await page2.goto(link);
		await page2.waitForSelector('[data-testid=map][data-idle=true]', { timeout: 90_000 });
		const caption2 = (await page2.textContent('[data-testid=area-table] caption')) ?? '';
		check(caption2 === caption, 'a link reproduces the view (same table caption)', `${caption2} vs ${caption}`);
		check((await totalCovered(page2)) === after, 'a link reproduces the numbers');
		await page2.close();

		await page.screenshot({ path: path.join(outDir, 'e2e-english.png') });

		if (netRegion) {
			console.log(`\n[5] region switcher -> ${netRegion.id} (has a network)`);
			const options = await page.$$eval('[data-testid=region-select] option', (os) => os.map((o) => (o as HTMLOptionElement).value));
			check(options.length === index.regions.length, `the switcher lists every built region (${options.length})`);
			const t0 = Date.now();
			await page.selectOption('[data-testid=region-select]', netRegion.id);
			await page.waitForFunction((id) => new URL(location.href).searchParams.get('region') === id, netRegion.id);
			await page.waitForSelector('[data-testid=map][data-idle=true]', { timeout: 90_000 });
			await page.waitForFunction(() => !document.querySelector('[data-testid=progress]'), undefined, { timeout: 90_000 });
			figure(`switch to ${netRegion.id} (select -> map idle, graph included)`, `${Date.now() - t0} ms`);
			const netBuilt = JSON.parse(readFileSync(path.join(buildRoot, netRegion.id, 'region.json'), 'utf8')) as BuiltRegion;
			check((await tableNumbers(page)).length === netBuilt.areas.length, `table shows the ${netBuilt.areas.length} areas of ${netRegion.id}`);
			const mt = (await page.textContent('[data-testid=method-text]')) ?? '';
			check(/Network method|路网法/.test(mt), 'the network method is named for a region with a network', mt.slice(0, 90));
			const netFacility = (JSON.parse(readFileSync(path.join(buildRoot, netRegion.id, netBuilt.files.facilities), 'utf8')) as Facility[])[0];
			await page.fill('[data-testid=search-input]', netFacility.name);
			await page.locator('[data-testid=search-results] button', { hasText: netFacility.name }).first().click();
			const reach = await page
				.waitForSelector('[data-testid=facility-popup] [data-testid=reach]', { timeout: 30_000 })
				.then((e) => e.textContent())
				.catch(() => null);
			check(reach !== null && Number(reach.replace(/[^\d]/g, '')) > 0, `a facility's network isochrone has people in it (${reach})`);
			await page.waitForTimeout(500);
			await page.screenshot({ path: path.join(outDir, 'e2e-network-region.png') });

			console.log(`\n[5b] ${netRegion.id}: method auto -> radius`);
			const autoText = (await page.textContent('[data-testid=method-text]')) ?? '';
			const autoTotal = await totalCovered(page);
			check(
				(await page.getAttribute('[data-testid=method-text]', 'data-method')) === 'auto' && new URL(page.url()).searchParams.get('method') === 'auto',
				'a region with a network starts on the auto method (label and URL)'
			);
			await page.locator('label:has([data-testid=method-radius])').click();
			await page.waitForFunction(() => new URL(location.href).searchParams.get('method') === 'radius');
			await page.waitForFunction(() => document.querySelector('[data-testid=method-text]')?.getAttribute('data-method') === 'radius' && !document.querySelector('[data-testid=progress]'), undefined, { timeout: 60_000 });
			const radiusText = (await page.textContent('[data-testid=method-text]')) ?? '';
			const radiusTotal = await totalCovered(page);
			check(radiusText !== autoText && /Service radius chosen|已选择服务半径法/.test(radiusText), 'the method label says the service radius is in use', radiusText.slice(0, 90));
			check(radiusTotal !== autoTotal, `the numbers change with the method (auto ${autoTotal} -> radius ${radiusTotal})`);
			if (refNetRadius) {
				compareWithReference(await tableNumbers(page), refNetRadius, `${netRegion.id} --method radius`);
				check(radiusTotal === refNetRadius.total.covered, `total covered equals the CLI with --method radius (${refNetRadius.total.covered})`);
			}
		}

		// scenarios (issue 7): tests/e2e/scenario-e2e.ts
		await scenarioChecks({ context, origin, repo, outDir, buildRoot, regionId: defaultRegion, built, check, figure, withCli: !synthetic });

		console.log('\n[6] a link to a region that does not exist');
		const page5 = await context.newPage();
		await page5.goto(`${origin}/?region=no-such-region&lang=en`);
		await page5.waitForSelector('[data-testid=map][data-ready=true]', { timeout: 90_000 });
		const notice = (await page5.textContent('.notice')) ?? '';
		check(/no-such-region/.test(notice) && (await page5.$eval('[data-testid=region-select]', (el) => (el as HTMLSelectElement).value)) === defaultRegion, 'an unknown region in a link says so and shows the default region', notice);
		await page5.close();

		// robustness (issue 9): bad link values, a basemap host the deployment does not allow, a dead basemap style
		console.log('\n[6b] bad link values keep their defaults and say so');
		const badLinkPage = await context.newPage();
		await badLinkPage.goto(`${origin}/?levels=CHC&target=90&min=abc&lang=en`);
		await badLinkPage.waitForSelector('[data-testid=map][data-idle=true]', { timeout: 90_000 });
		const notice7 = (await badLinkPage.textContent('.notice')) ?? '';
		check(/levels=“CHC”/.test(notice7) && /target=“90”/.test(notice7) && /min=“abc”/.test(notice7), 'each invalid link value is named on screen', notice7);
		const link7 = new URL(badLinkPage.url()).searchParams;
		check(
			link7.get('levels') !== 'CHC' && !!link7.get('levels') && link7.get('target') === String(policy.targetShare) && link7.get('min') === String(policy.maxMinutes),
			'the link is rewritten with the defaults, not the bad values (levels=CHC does not switch every level off)',
			link7.toString()
		);
		await badLinkPage.screenshot({ path: path.join(outDir, 'e2e-bad-link.png') });
		await badLinkPage.close();
		const evilPage = await context.newPage();
		await evilPage.goto(`${origin}/?lang=en&basemap=${encodeURIComponent('https://evil.example/{z}/{x}/{y}.png')}`);
		await evilPage.waitForSelector('[data-testid=map][data-idle=true]', { timeout: 90_000 });
		const notice8 = (await evilPage.textContent('.notice')) ?? '';
		check(/evil\.example/.test(notice8) && !outside.some((u) => u.includes('evil.example')), 'a ?basemap= host the deployment does not allow is not fetched, and the page says so', notice8);
		await evilPage.close();
		const deadPage = await context.newPage();
		await deadPage.goto(`${origin}/?lang=en&basemap=${encodeURIComponent(`${origin}/dead-style.json`)}`);
		await deadPage.waitForSelector('[data-testid=map][data-idle=true]', { timeout: 90_000 });
		await deadPage.waitForFunction(() => /could not be loaded/.test(document.querySelector('.notice')?.textContent ?? ''), null, { timeout: 30_000 }).catch(() => {});
		const notice9 = (await deadPage.textContent('.notice')) ?? '';
		const deadPix = await nonBlankShare(deadPage);
		check(/could not be loaded/.test(notice9) && deadPix.colours >= 4, `a dead basemap style falls back to the offline map with a notice (${deadPix.colours} colours drawn)`, notice9);
		await deadPage.screenshot({ path: path.join(outDir, 'e2e-dead-basemap.png') });
		await deadPage.close();

		console.log('\n[7] optional basemap (?basemap= XYZ template)');
		const page3 = await context.newPage();
		await page3.goto(`${origin}/?basemap=${encodeURIComponent(`${origin}/test-tiles/{z}/{x}/{y}.png`)}`);
		await page3.waitForSelector('[data-testid=map][data-idle=true]', { timeout: 90_000 });
		check(tileRequests.length > 0, `?basemap= loads raster tiles from the configured server (${tileRequests.length} tiles)`);
		check(new URL(page3.url()).searchParams.get('basemap') !== null, 'the basemap parameter stays in the link');
		await page3.close();
		const page4 = await context.newPage();
		await page4.goto(`${origin}/?basemap=${encodeURIComponent(`${origin}/test-style.json`)}`);
		await page4.waitForSelector('[data-testid=map][data-idle=true]', { timeout: 90_000 });
		const stylePix = await nonBlankShare(page4);
		check(tileRequests.includes('/test-style.json') && stylePix.colours >= 4, '?basemap= with a style URL replaces the style and the data layers are drawn on it');
		await page4.close();

		// import (bring your own data): tests/e2e/import-e2e.ts
		console.log('\n[7b] import a GBK facility list');
		await importStep({ context, origin, repo, outDir, buildRoot, regionId: defaultRegion, synthetic, check, totalCovered });

		console.log('\n[8] narrow screen');
		const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
		await phone.addInitScript('globalThis.__name = (f) => f;');
		const page6 = await phone.newPage();
		await page6.goto(`${origin}/`);
		await page6.waitForSelector('[data-testid=map][data-idle=true]', { timeout: 90_000 });
		const mapBox = await page6.locator('[data-testid=map]').boundingBox();
		check(!!mapBox && mapBox.width >= 380 && mapBox.height > 300, `on a phone the map spans the width (${Math.round(mapBox?.width ?? 0)}x${Math.round(mapBox?.height ?? 0)})`);
		await page6.screenshot({ path: path.join(outDir, 'e2e-phone.png'), fullPage: true });
		await phone.close();

		// a fresh context: no scenario saved in IndexedDB by the steps above, so the figures are the CLI's
		const ctx10 = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, acceptDownloads: true });
		await ctx10.addInitScript('globalThis.__name = (f) => f;');
		await checkExportsAndReport(ctx10, origin, refs.get(policy.maxMinutes)!);
		await ctx10.close();
		// ---- planning (kj-ui) ----
		console.log(`\n[9] planning: Cover K = ${PLAN_K} on ${defaultRegion}, from a link`);
		const page9 = await context.newPage();
		page9.on('console', (m) => {
			if (m.type() === 'error') consoleErrors.push(m.text());
		});
		page9.on('pageerror', (e) => consoleErrors.push(String(e)));
		await page9.goto(`${origin}/?panel=plan&plan=cover&planK=${PLAN_K}`);
		await page9.waitForSelector('[data-testid=map][data-idle=true]', { timeout: 90_000 });
		check(
			(await page9.locator('[data-testid=plan-panel]').count()) === 1 && (await page9.inputValue('[data-testid=plan-sites]')) === String(PLAN_K) && (await page9.isChecked('[data-testid=plan-objective-cover]')),
			'a link opens the Plan panel with its objective and K'
		);
		await page9.waitForSelector('[data-testid=plan-run]:not([disabled])');
		const planT0 = Date.now();
		await page9.click('[data-testid=plan-run]');
		await page9.waitForSelector('[data-testid=plan-progress]', { timeout: 10_000 });
		// the work is in the worker: the page's event loop stays free (SwiftShader makes frames slow here, so timers are
		// measured, not frames) and the coverage tab still works while the plan runs
		const loopMs = await page9.evaluate(async () => {
			let worst = 0;
			for (let i = 0; i < 20; i++) {
				const t = performance.now();
				await new Promise((r) => setTimeout(r, 0));
				worst = Math.max(worst, performance.now() - t);
			}
			return worst;
		});
		await page9.click('[data-testid=tab-coverage]');
		const summaryShown = await page9.locator('[data-testid=total-covered]').isVisible();
		await page9.click('[data-testid=tab-plan]');
		check(loopMs < 250 && summaryShown && (await page9.locator('[data-testid=plan-progress]').count()) === 1, `the page stays responsive during the run (slowest timer ${loopMs.toFixed(0)} ms; the coverage tab opens and the run goes on)`);
		await page9.waitForSelector('[data-testid=plan-result]', { timeout: 300_000 });
		const planMs = Date.now() - planT0;
		const planMark = await page9.evaluate(() => (performance.getEntriesByName('kejimap:plan')[0] as PerformanceMark | undefined)?.detail);
		figure(`plan Cover K = ${PLAN_K} (click -> table, reach sets cold)`, `${planMs} ms (worker: reach ${Math.round(planMark?.reachMs ?? NaN)} ms, plan ${Math.round(planMark?.planMs ?? NaN)} ms)`);
		const ref9 = await planRef;
		const appSites = await page9.$$eval('[data-testid=plan-sites] tbody tr[data-rank]', (trs) =>
			trs.map((tr) => ({ id: (tr as HTMLElement).dataset.siteId!, gain: Number((tr as HTMLElement).dataset.gain), runningTotal: Number((tr as HTMLElement).dataset.runningTotal) }))
		);
		const near = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
		const siteDiff = ref9.sites.filter((r, i) => appSites[i]?.id !== r.id || !near(appSites[i].gain, r.gain) || !near(appSites[i].runningTotal, r.runningTotal));
		const planRefName = synthetic ? 'engine in Node' : 'CLI (npm run plan -- --json)';
		check(appSites.length === PLAN_K && ref9.sites.length === PLAN_K && siteDiff.length === 0, `${PLAN_K} suggested sites, their gains and running totals equal the ${planRefName}`, JSON.stringify({ app: appSites.slice(0, 2), ref: ref9.sites.slice(0, 2) }));
		const appAreas = await page9.$$eval('[data-testid=plan-area-table] tbody tr', (trs) =>
			trs.map((tr) => ({ areaId: (tr as HTMLElement).dataset.areaId!, before: Number((tr as HTMLElement).dataset.before), after: Number((tr as HTMLElement).dataset.after) }))
		);
		const areaDiff = ref9.after.rows.filter((a, i) => appAreas[i]?.areaId !== a.areaId || appAreas[i].after !== a.covered || appAreas[i].before !== ref9.before.rows[i].covered);
		check(appAreas.length === ref9.after.rows.length && areaDiff.length === 0, `per-area before -> after (${appAreas.length} rows) equals the ${planRefName}`, JSON.stringify(areaDiff.slice(0, 2)));
		const boundEl = page9.locator('[data-testid=plan-bound]');
		const boundText = (await boundEl.textContent()) ?? '';
		check(
			(await boundEl.getAttribute('data-optimal')) === String(ref9.optimal) && near(Number(await boundEl.getAttribute('data-bound-share')), ref9.boundShare) && (ref9.optimal ? /已证明最优/.test(boundText) : /至少达到最优方案的/.test(boundText)),
			`the bound is shown as the ${planRefName} proves it: "${boundText}"`
		);
		const wasmServed = [...served.keys()].filter((p) => p.endsWith('.wasm'));
		check(wasmServed.length > 0, `HiGHS's wasm came from the site itself (${wasmServed.join(', ') || 'none'})`);
		const planUrl = new URL(page9.url()).searchParams;
		check(planUrl.get('panel') === 'plan' && planUrl.get('plan') === 'cover' && planUrl.get('planK') === String(PLAN_K), 'the plan settings stay in the link');
		await page9.waitForTimeout(1500); // the map moves to the sites: let the camera settle and the markers draw
		await page9.screenshot({ path: path.join(outDir, 'e2e-plan.png') });
		await page9.locator('aside').screenshot({ path: path.join(outDir, 'e2e-plan-panel.png') });

		// cancel: a new K, run, cancel at once -> the previous result stays, marked as for other settings
		await page9.fill('[data-testid=plan-sites]', String(PLAN_K + 1));
		await page9.press('[data-testid=plan-sites]', 'Enter');
		await page9.click('[data-testid=plan-run]');
		await page9.click('[data-testid=plan-cancel]');
		await page9.waitForSelector('[data-testid=plan-progress]', { state: 'detached', timeout: 10_000 });
		check(
			(await page9.locator('[data-testid=plan-sites] tbody tr[data-rank]').count()) === PLAN_K && (await page9.locator('[data-testid=plan-stale]').count()) === 1 && (await page9.isEnabled('[data-testid=plan-run]')),
			'cancel stops the run; the previous result stays, marked as made for other settings'
		);

		const county = index.regions.find((r) => r.id === 'anlong') ?? index.regions.find((r) => ['longxi', 'lingqiu', 'xixiang'].includes(r.id));
		if (county) {
			console.log(`\n[9b] planning: consolidate village clinics on ${county.id}`);
			await page9.goto(`${origin}/?region=${county.id}&panel=plan&plan=consolidate`);
			await page9.waitForSelector('[data-testid=map][data-ready=true]', { timeout: 90_000 });
			await page9.waitForSelector('[data-testid=plan-run]:not([disabled])');
			await page9.click('[data-testid=plan-run]');
			await page9.waitForSelector('[data-testid=plan-result]', { timeout: 300_000 });
			// reference: the engine's consolidate in Node, the worker's code path (no CLI form for it yet)
			const cs = loadSession(county.id, undefined, buildRoot);
			const cref = await plan(consolidationInstance(cs, settingsFromPolicy(cs.region.manifest.policy)), { objective: 'consolidate' });
			const ext = cref.extensions as { closures: { id: string; servedPopulation: number; lossPopulation: number }[]; circuitCare: unknown[]; consolidation: { clinicsAssumed: boolean } };
			const appClosures = await page9.$$eval('[data-testid=plan-closures] tbody tr[data-clinic-id]', (trs) =>
				trs.map((tr) => ({ id: (tr as HTMLElement).dataset.clinicId!, served: Number((tr as HTMLElement).dataset.served), loss: Number((tr as HTMLElement).dataset.loss) }))
			);
			const closureDiff = ext.closures.filter((c, i) => appClosures[i]?.id !== c.id || appClosures[i].served !== c.servedPopulation || appClosures[i].loss !== c.lossPopulation);
			check(appClosures.length === ext.closures.length && closureDiff.length === 0, `${appClosures.length} closures (clinic, served, loss) equal the engine's consolidate in Node`, JSON.stringify(closureDiff.slice(0, 2)));
			check(Number(await page9.getAttribute('[data-testid=plan-circuit-care]', 'data-count')) === ext.circuitCare.length, `circuit-care list: ${ext.circuitCare.length} places, as the engine`);
			check(!ext.consolidation.clinicsAssumed || (await page9.locator('[data-testid=plan-assumed]').count()) === 1, 'assumed village clinics are labelled as assumptions');
			await page9.waitForTimeout(1500);
			await page9.screenshot({ path: path.join(outDir, 'e2e-plan-consolidate.png') });
		}
		await page9.close();

		check(outside.length === 0, 'no request leaves the site by default', outside.slice(0, 3).join(', '));
		// the dead basemap style of [6b] is a 404 on purpose
		const seriousErrors = consoleErrors.filter((e) => !/favicon/.test(e) && !/dead-style/.test(e));
		check(seriousErrors.length === 0, 'no console errors', [...seriousErrors.slice(0, 3), ...consoleErrors404.map((p) => `404 ${p}`)].join('\n       '));
	} finally {
		await browser.close();
		server.close();
	}
	writeFileSync(path.join(outDir, 'e2e-figures.json'), JSON.stringify(Object.fromEntries(figures), null, 1));
	console.log(`\nfigures:\n${figures.map(([k, v]) => `  ${k}: ${v}`).join('\n')}`);
	console.log(`\n${passes} passed, ${failures} failed`);
	process.exit(failures ? 1 : 0);
}

// ---------------------------------------------------------------- exports, SQL panel, printable report (kj-export)
async function checkExportsAndReport(context: import('playwright-core').BrowserContext, origin: string, ref: CoverageSummary) {
	console.log('\n[10] exports, the SQL panel (DuckDB on demand) and the printable report');
	const page = await context.newPage();
	const requested: string[] = [];
	page.on('request', (r) => requested.push(r.url()));
	await page.goto(`${origin}/`);
	await page.waitForSelector('[data-testid=map][data-idle=true]', { timeout: 90_000 });
	await page.waitForFunction(() => !document.querySelector('[data-testid=progress]') && !document.querySelector('[data-testid=export-parquet]')?.hasAttribute('disabled'));
	const duckFiles = () => requested.filter((u) => /duckdb/i.test(u));
	check(duckFiles().length === 0, 'the first page load fetches no DuckDB file', duckFiles().join(', '));

	// Parquet download of the per-area table = the CLI's rows
	const dl = page.waitForEvent('download');
	await page.click('[data-testid=export-parquet]');
	const file = await (await dl).path();
	const pq = file ? await readParquet(readFileSync(file), 'areas.parquet') : null;
	check(
		!!pq && JSON.stringify(pq.rows.map((r) => [r.area_id, r.covered, r.shortfall])) === JSON.stringify(ref.rows.map((r) => [r.areaId, r.covered, r.shortfall])),
		`the app's Parquet export of the areas equals the CLI (${pq?.rows.length ?? 0} rows, metadata ${pq?.metadata.kejimap ? 'present' : 'missing'})`
	);
	const dlCsv = page.waitForEvent('download');
	await page.click('[data-testid=export-csv]');
	const csvPath = await (await dlCsv).path();
	check(!!csvPath && readFileSync(csvPath).subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'the CSV download starts with a UTF-8 BOM');

	// SQL: DuckDB comes only now, from this site; the answer equals the CLI
	await page.click('[data-testid=sql-panel] summary');
	await page.fill('[data-testid=sql-input]', 'SELECT sum(covered) AS covered, count(*) AS n FROM areas');
	await page.click('[data-testid=sql-run]');
	await page.waitForSelector('[data-testid=sql-result], [data-testid=sql-error]', { timeout: 120_000 });
	const cells = await page.$$eval('[data-testid=sql-result] tbody td', (tds) => tds.map((td) => td.textContent ?? ''));
	check(cells[0] === String(ref.total.covered) && cells[1] === String(ref.rows.length), `SQL over the loaded tables equals the CLI (sum covered ${cells[0]}, ${cells[1]} areas)`, (await page.textContent('[data-testid=sql-error]').catch(() => '')) ?? '');
	check(duckFiles().length > 0 && duckFiles().every((u) => u.startsWith(origin)), `DuckDB is fetched on the first query, from this site (${duckFiles().map((u) => u.replace(/.*\//, '')).join(', ')})`);
	await page.fill('[data-testid=sql-input]', 'DROP TABLE areas');
	await page.click('[data-testid=sql-run]');
	await page.waitForSelector('[data-testid=sql-error]', { timeout: 60_000 });
	check(/read-only/.test((await page.textContent('[data-testid=sql-error]')) ?? ''), 'the SQL panel refuses a statement that is not a query');
	const reportHref = await page.getAttribute('[data-testid=report-link]', 'href');
	await page.close();

	// the report: same query string, printed to PDF by Chromium, its text read back with pdftotext (poppler-utils)
	for (const lang of ['zh-CN', 'en'] as const) {
		const rp = await context.newPage();
		const url = new URL(`${origin}${reportHref ?? '/report'}`);
		url.searchParams.set('lang', lang);
		await rp.goto(url.href);
		await rp.waitForSelector('[data-testid=report][data-ready=true]', { timeout: 120_000 });
		if (lang === 'zh-CN') await rp.screenshot({ path: path.join(outDir, 'e2e-report.png'), fullPage: true });
		const pdfPath = path.join(outDir, `e2e-report-${lang}.pdf`);
		writeFileSync(pdfPath, await rp.pdf({ format: 'A4', printBackground: true }));
		await rp.close();
		const text = spawnSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
		if (text.error) {
			check(false, 'pdftotext reads the printed report', 'pdftotext is missing: install poppler-utils (.ci/run does)');
			continue;
		}
		const info = spawnSync('pdfinfo', [pdfPath], { encoding: 'utf8' }).stdout ?? '';
		const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1] ?? 0);
		const t = text.stdout;
		const fmt = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'zh-CN');
		const want = [
			lang === 'en' ? 'Primary healthcare accessibility report' : '基层医疗卫生设施可达性评估报告',
			lang === 'en' ? built.name.en : built.name.zh,
			lang === 'en' ? policy.source.en.slice(0, 30) : policy.source.zh.slice(0, 20),
			fmt.format(ref.total.covered),
			fmt.format(ref.total.shortfall || 0),
			...ref.rows.map((r) => r.name),
			lang === 'en' ? 'Population models compared' : '人口模型对比',
			...(built.populationMethod === 'raster' ? [] : [lang === 'en' ? 'the population is modelled' : '人口为模型推算值'])
		];
		const missing = want.filter((w) => !t.replace(/\s+/g, ' ').includes(w.replace(/\s+/g, ' ')));
		check(missing.length === 0, `report (${lang}) printed to an A4 PDF of ${pages} pages holds the title, region, policy source, caveat, every area and the CLI's totals`, missing.slice(0, 4).join(' | '));
		check(/595\.\d+ x 84\d\.\d+ pts/.test(info) && pages >= 3, `the PDF is A4 with the sections on their own pages (${pages} pages)`);
		check(!/打印 \/ 另存为 PDF|Print \/ save as PDF|返回地图|Back to the map/.test(t), 'no UI chrome in the printed report');
	}
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
