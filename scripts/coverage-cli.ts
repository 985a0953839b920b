/**
 * npm run coverage -- --region <name|manifest.json> [--mode walk|cycle|drive] [--minutes 15]
 *   [--levels chc,chs,...] [--method network|radius|auto] [--target 0.9] [--json] [--cells F] [--facilities F]
 *   [--import-facilities F [--import-add] [--crs C] [--encoding E]] [--import-population F] [--import-network F] (scripts/lib/import-options.ts)
 * Prints the per-area table (population, covered, share, pass/fail, shortfall) and totals.
 * Exit codes: 0 ok, 2 bad usage / unknown region / missing file, 1 unexpected failure.
 */
import { writeFileSync } from 'node:fs';
import { KejimapError } from '../src/lib/engine/errors';
import { FACILITY_LEVELS, MODES, type FacilityLevel, type MethodChoice, type Mode } from '../src/lib/engine/types';
import { METHOD_CODES } from '../src/lib/engine/types';
import { buildRegion } from './build-region';
import { applyImportFlags, IMPORT_USAGE, takeImportFlags, type ImportFlags } from './lib/import-options';
import { loadSession } from './lib/load-built';
import { dataRoot, hasSourceData } from './lib/paths';

const USAGE =
	'usage: npm run coverage -- --region <name|manifest.json> [--mode walk|cycle|drive] [--minutes 15] [--levels a,b] [--method network|radius|auto] [--target 0.9] [--json] [--cells F] [--facilities F] ' +
	IMPORT_USAGE;

class UsageError extends Error {}

interface Args {
	region: string;
	mode?: Mode;
	minutes?: number;
	levels?: FacilityLevel[];
	method: MethodChoice;
	target?: number;
	json: boolean;
	cells?: string;
	facilities?: string;
}

export function parseArgs(argv: string[]): Args {
	const a: Partial<Args> = { json: false, method: 'auto' };
	const valueFlags = new Set(['--region', '--mode', '--minutes', '--levels', '--method', '--target', '--cells', '--facilities']);
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		if (flag === '--json') {
			a.json = true;
			continue;
		}
		if (!valueFlags.has(flag)) throw new UsageError(`unknown flag "${flag}"`);
		const v = argv[++i];
		if (v === undefined || v.startsWith('--')) throw new UsageError(`flag ${flag} needs a value`);
		switch (flag) {
			case '--region':
				a.region = v;
				break;
			case '--mode':
				if (!MODES.includes(v as Mode)) throw new UsageError(`--mode must be one of ${MODES.join(', ')} (got "${v}")`);
				a.mode = v as Mode;
				break;
			case '--minutes': {
				const n = Number(v);
				if (!Number.isFinite(n) || n <= 0 || n > 240) throw new UsageError(`--minutes must be a number in (0, 240] (got "${v}")`);
				a.minutes = n;
				break;
			}
			case '--levels': {
				const ls = v.split(',').map((s) => s.trim()).filter(Boolean);
				const bad = ls.filter((l) => !FACILITY_LEVELS.includes(l as FacilityLevel));
				if (bad.length || !ls.length) throw new UsageError(`--levels: unknown level(s) ${bad.join(', ') || '(none given)'}; known: ${FACILITY_LEVELS.join(', ')}`);
				a.levels = ls as FacilityLevel[];
				break;
			}
			case '--method':
				if (!['network', 'radius', 'auto'].includes(v)) throw new UsageError(`--method must be network, radius or auto (got "${v}")`);
				a.method = v as MethodChoice;
				break;
			case '--target': {
				let n = Number(v);
				if (n > 1 && n <= 100) n = n / 100; // accept 90 as 90%
				if (!Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`--target must be a share 0..1 or a percentage (got "${v}")`);
				a.target = n;
				break;
			}
			case '--cells':
				a.cells = v;
				break;
			case '--facilities':
				a.facilities = v;
				break;
		}
	}
	if (!a.region) throw new UsageError('--region is required');
	return a as Args;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

async function main() {
	let args: Args;
	let imports: ImportFlags;
	try {
		const taken = takeImportFlags(process.argv.slice(2), (m) => new UsageError(m));
		imports = taken.flags;
		args = parseArgs(taken.rest);
	} catch (e) {
		console.error(`error: ${(e as Error).message}\n${USAGE}`);
		process.exit(2);
	}
	if (!hasSourceData()) {
		console.error(`error: source data not found at ${dataRoot}; set KEJIMAP_DATA (see README "Data")`);
		process.exit(2);
	}
	// progress goes to stderr, so stdout holds only the table or the JSON
	const log = (m: string) => console.error(m);
	const shipped = await buildRegion(args.region, { log });
	const { built, session } = await applyImportFlags(shipped.built, loadSession(shipped.built.id), imports, log);
	const policy = built.manifest.policy;
	const mode = args.mode ?? policy.mode;
	const settings = {
		mode,
		maxMinutes: args.minutes ?? policy.maxMinutes,
		levels: args.levels ?? policy.levels,
		targetShare: args.target ?? policy.targetShare,
		method: args.method,
		areaModeRules: args.mode ? undefined : policy.areaModeRules
	};
	if (args.method === 'network' && !built.files.graphs[mode])
		throw new KejimapError('BAD_ARGUMENT', `region "${built.id}" has no ${mode} network; use --method radius or auto`);
	const { summary, result, diagnostics, activeFacilities } = session.compute(settings);
	const labels = {
		region: built.id,
		populationMethod: built.populationMethod,
		population: built.populationLabel.en,
		modelledFacilities: built.modelledFacilities.map((l) => l.en),
		activeFacilities,
		levels: settings.levels,
		diagnostics
	};

	if (args.cells) {
		const lines = ['h3,lon,lat,population,minutes,facility_id,method'];
		for (let c = 0; c < session.cells.count; c++) {
			const f = result.facility[c];
			const m = result.minutes[c];
			lines.push(
				[
					session.cells.h3[c],
					session.cells.lon[c].toFixed(6),
					session.cells.lat[c].toFixed(6),
					session.cells.population[c].toFixed(2),
					Number.isFinite(m) ? m.toFixed(2) : '',
					f >= 0 ? session.facilities[f].id : '',
					result.method[c] === METHOD_CODES.network ? 'network' : 'radius'
				].join(',')
			);
		}
		writeFileSync(args.cells, lines.join('\n') + '\n');
	}
	if (args.facilities) {
		const lines = ['id,name,level,lon,lat,source,official_match,merged_from'];
		for (const f of session.facilities)
			lines.push(
				[f.id, csvCell(f.name), f.level, f.lon.toFixed(6), f.lat.toFixed(6), f.source, csvCell(f.officialMatch ?? ''), csvCell((f.mergedFrom ?? []).join('; '))].join(',')
			);
		writeFileSync(args.facilities, lines.join('\n') + '\n');
	}
	if (args.json) {
		console.log(JSON.stringify({ ...summary, labels }, null, 1));
		return;
	}
	const methodName =
		summary.method === 'radius'
			? '服务半径法（直线距离×绕行系数） service radius (straight line x detour)'
			: summary.method === 'network'
				? '路网法 network'
				: '路网覆盖处用路网法，其余用服务半径法 network where the network covers the cell, radius elsewhere';
	const modeZh = { walk: '步行', cycle: '骑行', drive: '驾车' }[summary.mode];
	console.log(`${built.name.zh} ${built.name.en}`);
	console.log(
		`方式 mode: ${modeZh} ${summary.mode}; 阈值 threshold: ${summary.maxMinutes} 分钟 min; 目标 target: ${pct(summary.targetShare)}; 设施 levels: ${settings.levels.join(',')} (${activeFacilities})`
	);
	console.log(`方法 method: ${methodName}`);
	console.log(`人口 population: ${built.populationMethod === 'raster' ? '' : '模型 modelled — '}${built.populationLabel.zh} / ${built.populationLabel.en}`);
	for (const l of built.modelledFacilities) console.log(`假定设施 assumed facilities: ${l.zh} / ${l.en}`);
	for (const [m, d] of Object.entries(diagnostics)) {
		if (!d || d.method === 'radius') continue;
		console.log(
			`路网 network (${m}): ${d.offNetworkCells} 个网格距道路超过300米 cells > 300 m from a road, ${d.fallbackCells} 个网格所在路网片段无设施 cells on a piece with no facility` +
				`${d.method === 'auto' ? ' → 服务半径法 radius method' : ' → 不可达 unreachable'}; ${d.unsnappedFacilities} 处设施距道路超过500米 facilities > 500 m from a road`
		);
	}
	// Chinese characters take two columns in a terminal
	const width = (t: string) => [...t].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
	const padTo = (t: string, w: number) => t + ' '.repeat(Math.max(0, w - width(t)));
	const padLeft = (t: string, w: number) => ' '.repeat(Math.max(0, w - width(t))) + t;
	const colW = [11, 12, 10, 9, 14, 12];
	const w = Math.max(12, ...summary.rows.map((r) => width(r.name)));
	const cols = ['人口 pop', '可达 covered', '比例 share', '达标 pass', '缺口 shortfall', '路网 network'];
	console.log([padTo('地区 area', w), ...cols.map((c, i) => padLeft(c, colW[i]))].join(' '));
	const line = (name: string, r: { population: number; covered: number; share: number; pass: boolean; shortfall: number; networkShare: number }) =>
		console.log(
			[
				padTo(name, w),
				...[String(r.population), String(r.covered), pct(r.share), r.pass ? '是 yes' : '否 NO', String(r.shortfall), pct(r.networkShare)].map((t, i) => padLeft(t, colW[i]))
			].join(' ')
		);
	for (const r of summary.rows) line(r.name, r);
	line('合计 total', summary.total);
	console.log(`${summary.total.areasPassing} / ${summary.total.areaCount} 个地区达标 areas meet the target`);
}

main().catch((e) => {
	if (e instanceof KejimapError) {
		console.error(`error: ${e.message}`);
		process.exit(2);
	}
	console.error(`error: ${(e as Error).stack ?? e}`);
	process.exit(1);
});
