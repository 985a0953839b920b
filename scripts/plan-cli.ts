/**
 * npm run plan -- --region <id|manifest> --objective cover|target|median [--sites K] [--mode ..] [--minutes ..]
 *   [--levels ..] [--method ..] [--target 0.9] [--candidates cells|upgrade|file.csv] [--penalty M] [--exact]
 *   [--time-limit S] [--json]
 * npm run plan -- --demand demand.csv --candidates sites.csv --matrix od.csv --minutes T --objective ..
 *   [--existing id,id] [--sites K] [--target ..] [--exact] [--time-limit S] [--json]
 * The same code path as the worker: a PlanInstance (regionInstanceAsync through CoverageSession, or matrixInstance),
 * then plan() with HiGHS. Exit codes: 0 ok, 2 bad usage / bad input (one line), 1 unexpected failure.
 */
import { readFileSync } from 'node:fs';
import { readDemandCsv, readMatrixCsv, readSitesCsv } from '../src/lib/data/planning-input';
import { droppedRows } from '../src/lib/data/dropped';
import { terminalSafe } from '../src/lib/data/export/terminal';
import type { CandidateRule } from '../src/lib/engine/allocation/candidates';
import { regionInstanceAsync } from '../src/lib/engine/allocation/instance';
import { matrixInstance } from '../src/lib/engine/allocation/matrix-instance';
import { OBJECTIVES, plan } from '../src/lib/engine/allocation/plan';
import type { PlanInstance, PlanParams, PlanResult } from '../src/lib/engine/allocation/types';
import { KejimapError } from '../src/lib/engine/errors';
import { MIN_CUTOFF_MINUTES } from '../src/lib/engine/session';
import { METHODS, parseLevels, parseMethod, parseMinutes, parseMode, parseTargetShare, settingsFromPolicy, type Parsed } from '../src/lib/engine/settings';
import type { FacilityLevel, MethodChoice, Mode } from '../src/lib/engine/types';
import { createHighsSolver } from '../src/lib/workers/solvers/highs';
import { pct, tableLines } from './lib/area-table';
import { CONSOLIDATE_FLAGS, CONSOLIDATE_USAGE, consolidateInstanceFor, OBJECTIVES_WITHOUT_SITES, parseConsolidateFlag, printConsolidateText, type ConsolidateArgs } from './lib/plan-consolidate';
import { buildRegion } from './build-region';
import { UsageError, walkFlags } from './lib/flags';
import { loadSession } from './lib/load-built';
import { dataRoot, hasSourceData } from './lib/paths';
// scenarios (issue 7): --save-scenario, --link
import { writeOutputFile } from '../src/lib/data/node/output';
import { MAX_LINK_CHARS, writeScenarioFile } from '../src/lib/engine/scenario/codec';
import type { CoverageSession, CoverageSettings } from '../src/lib/engine/session';
import { planScenarioDocument, scenarioLinkPath } from './lib/scenario-file';

const USAGE = [
	`usage: npm run plan -- --region <name|manifest.json> --objective ${Object.keys(OBJECTIVES).join('|')} [--save-scenario F.json] [--link] [--sites K] [--mode walk|cycle|drive] [--minutes 15] [--levels a,b] [--method ${METHODS.join('|')}] [--target 0.9|90%] [--candidates cells|upgrade|sites.csv] [--penalty MIN] [--exact] [--time-limit S] [--json] ${CONSOLIDATE_USAGE}`,
	`       npm run plan -- --demand demand.csv --candidates sites.csv --matrix od.csv --minutes T --objective .. [--existing id,id] [--sites K] [--target ..] [--penalty MIN] [--exact] [--time-limit S] [--json]`
].join('\n');

export interface PlanArgs extends ConsolidateArgs {
	region?: string;
	demand?: string;
	matrix?: string;
	candidates?: string;
	existing?: string[];
	objective: string;
	sites?: number;
	maxSites?: number;
	mode?: Mode;
	minutes?: number;
	levels?: FacilityLevel[];
	method: MethodChoice;
	target?: number;
	penalty?: number;
	exact: boolean;
	timeLimitS?: number;
	noSwap: boolean;
	json: boolean;
	/** scenarios (issue 7): write the result as a scenario file / print its share link */
	saveScenario?: string;
	link: boolean;
}

const VALUE_FLAGS = new Set(['--save-scenario', '--region', '--demand', '--matrix', '--candidates', '--existing', '--objective', '--sites', '--max-sites', '--mode', '--minutes', '--levels', '--method', '--target', '--penalty', '--time-limit', ...CONSOLIDATE_FLAGS]);
const FLAGS = { booleans: new Set(['--exact', '--json', '--no-swap', '--link']), values: VALUE_FLAGS };

function positiveInteger(v: string): Parsed<number> {
	const n = Number(v);
	return Number.isInteger(n) && n >= 1 ? { ok: true, value: n } : { ok: false, reason: `must be a whole number >= 1 (got "${v}")` };
}
function positiveNumber(v: string): Parsed<number> {
	const n = Number(v);
	return Number.isFinite(n) && n > 0 ? { ok: true, value: n } : { ok: false, reason: `must be a number > 0 (got "${v}")` };
}

export function parsePlanArgs(argv: string[]): PlanArgs {
	const a: Partial<PlanArgs> = { json: false, exact: false, noSwap: false, method: 'auto', link: false };
	let minutesText: string | undefined;
	walkFlags(argv, FLAGS, {
		boolean: (flag) => {
			if (flag === '--exact') a.exact = true;
			else if (flag === '--json') a.json = true;
			else if (flag === '--link') a.link = true;
			else a.noSwap = true;
		},
		value: (flag, v, take) => {
			switch (flag) {
				case '--region':
					a.region = v;
					break;
				case '--save-scenario':
					a.saveScenario = v;
					break;
				case '--demand':
					a.demand = v;
					break;
				case '--matrix':
					a.matrix = v;
					break;
				case '--candidates':
					a.candidates = v;
					break;
				case '--existing':
					a.existing = v
						.split(',')
						.map((s) => s.trim())
						.filter(Boolean);
					break;
				case '--objective':
					if (!OBJECTIVES[v]) throw new UsageError(`--objective must be one of ${Object.keys(OBJECTIVES).join(', ')} (got "${v}")`);
					a.objective = v;
					break;
				case '--sites':
					a.sites = take(positiveInteger(v));
					break;
				case '--max-sites':
					a.maxSites = take(positiveInteger(v));
					break;
				case '--mode':
					a.mode = take(parseMode(v));
					break;
				case '--minutes':
					minutesText = v;
					break;
				case '--levels':
					a.levels = take(parseLevels(v));
					break;
				case '--method':
					a.method = take(parseMethod(v));
					break;
				case '--target':
					a.target = take(parseTargetShare(v));
					break;
				case '--penalty':
					a.penalty = take(positiveNumber(v));
					break;
				case '--time-limit':
					a.timeLimitS = take(positiveNumber(v));
					break;
				default: {
					// kj-consolidate: --max-loss, --min-service, --demand-weight
					const problem = parseConsolidateFlag(flag, v, a);
					if (problem) throw new UsageError(problem);
				}
			}
		}
	});
	if (!a.objective) throw new UsageError(`--objective is required (${Object.keys(OBJECTIVES).join(', ')})`);
	const matrixForm = a.demand !== undefined || a.matrix !== undefined;
	if (minutesText !== undefined) {
		// a region's threshold is a coverage setting (its range); a matrix's is in the matrix's own unit
		const r = matrixForm ? positiveNumber(minutesText) : parseMinutes(minutesText);
		if (!r.ok) throw new UsageError(`--minutes ${r.reason}`);
		a.minutes = r.value;
	}
	if (matrixForm && (a.saveScenario || a.link)) throw new UsageError('--save-scenario and --link need --region (a scenario edits a region\'s facilities)');
	if (matrixForm) {
		if (a.region) throw new UsageError('give either --region, or --demand/--candidates/--matrix, not both');
		for (const [f, v] of [
			['--demand', a.demand],
			['--candidates', a.candidates],
			['--matrix', a.matrix],
			['--minutes', a.minutes]
		] as const)
			if (v === undefined) throw new UsageError(`${f} is required with --demand/--matrix`);
		for (const [f, v] of [
			['--mode', a.mode],
			['--levels', a.levels]
		] as const)
			if (v !== undefined) throw new UsageError(`${f} applies to --region only (the matrix gives the times)`);
	} else {
		if (!a.region) throw new UsageError('--region (or --demand/--candidates/--matrix) is required');
		if (a.existing) throw new UsageError('--existing applies to the matrix form; with --region the counted levels are the existing facilities');
	}
	return a as PlanArgs;
}

/** Region labels as the coverage CLI's JSON gives them. */
type Labels = Record<string, unknown>;

async function regionRun(
	args: PlanArgs,
	log: (m: string) => void
): Promise<{ inst: PlanInstance; labels: Labels; title: string; targetShare?: number; scenario?: { session: CoverageSession; settings: CoverageSettings } }> {
	if (!hasSourceData()) throw new KejimapError('FILE_MISSING', `source data not found at ${dataRoot}; set KEJIMAP_DATA (see README "Data")`);
	const { built } = await buildRegion(args.region!, { log });
	const settings = settingsFromPolicy(built.manifest.policy, { mode: args.mode, maxMinutes: args.minutes, levels: args.levels, targetShare: args.target, method: args.method });
	if (args.method === 'network' && !built.files.graphs[settings.mode])
		throw new KejimapError('BAD_ARGUMENT', `region "${built.id}" has no ${settings.mode} network; use --method radius or auto`);
	const session = loadSession(built.id);
	let rule: CandidateRule = { kind: 'cells' };
	if (args.candidates === 'upgrade') rule = { kind: 'upgrade' };
	else if (args.candidates && args.candidates !== 'cells') rule = { kind: 'file', sites: readSitesCsv(readText(args.candidates), args.candidates) };
	const cutoff = Math.max(MIN_CUTOFF_MINUTES, settings.maxMinutes);
	if (args.penalty !== undefined && args.penalty > cutoff) throw new UsageError(`--penalty must be at most ${cutoff} minutes (the coverage cutoff) (got ${args.penalty})`);
	const t0 = performance.now();
	const ownInstance = () => regionInstanceAsync(session, settings, rule, { reachMinutes: args.objective === 'median' ? args.penalty : undefined }, { onProgress: (p) => log(`reach sets: ${p.done} of ${p.total} sites`) });
	// kj-consolidate: consolidate and elderly carry their session (no candidate sites); --demand-weight reweights demand
	const mine = await consolidateInstanceFor(args.objective, args, session, settings, ownInstance);
	const inst = mine ?? (await ownInstance());
	if (inst.candidates.length === 0 && !OBJECTIVES_WITHOUT_SITES.includes(args.objective)) throw new KejimapError('BAD_ARGUMENT', `no candidate sites for --candidates ${args.candidates ?? 'cells'} in region "${built.id}"`);
	log(`reach sets: ${inst.candidates.length} candidates, ${inst.reach.demand.length} entries, ${(performance.now() - t0).toFixed(0)} ms`);
	const labels: Labels = {
		region: built.id,
		populationMethod: built.populationMethod,
		population: built.populationLabel.en,
		modelledFacilities: built.modelledFacilities.map((l) => l.en),
		levels: settings.levels,
		candidates: args.candidates ?? 'cells',
		dropped: droppedRows(built.reports)
	};
	return { inst, labels, title: `${built.name.zh} ${built.name.en}`, targetShare: settings.targetShare, scenario: { session, settings } };
}

function readText(file: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		throw new KejimapError('FILE_MISSING', `cannot read ${file}`, { file });
	}
}

function matrixRun(args: PlanArgs): { inst: PlanInstance; labels: Labels; title: string; targetShare?: number } {
	const demand = readDemandCsv(readText(args.demand!), args.demand!);
	const sites = readSitesCsv(readText(args.candidates!), args.candidates!);
	const entries = readMatrixCsv(
		readText(args.matrix!),
		args.matrix!,
		demand.map((d) => d.id),
		sites.map((s) => s.id)
	);
	const inst = matrixInstance({ demand, sites, entries, existing: args.existing, maxMinutes: args.minutes! });
	return { inst, labels: { demand: args.demand, candidates: args.candidates, matrix: args.matrix, existing: args.existing ?? [] }, title: `${args.demand} × ${args.candidates}`, targetShare: args.target };
}

const OBJECTIVE_NAMES: Record<string, string> = {
	cover: '最大覆盖 cover (people newly within the threshold)',
	target: '达标所需最少站点 target (fewest sites for every area to pass)',
	median: '平均可达 median (population-weighted minutes)',
	consolidate: '村卫生室撤并 consolidate (village clinics that may close or merge, number suggested)',
	elderly: '医养结合 elderly (care homes with no counted facility within the threshold)'
};

function boundSentence(r: PlanResult): string {
	if (r.optimal) return '已证明最优 proven optimal';
	return `至少达到最优的 ${pct(r.boundShare)} at least ${pct(r.boundShare)} of the best possible (bound ${r.bound.toFixed(r.objective === 'target' ? 0 : 1)}, ${r.boundMethod})`;
}

function printText(r: PlanResult, inst: PlanInstance, title: string): void {
	const say = (t: string) => console.log(terminalSafe(t));
	say(title);
	say(`目标 objective: ${OBJECTIVE_NAMES[r.objective] ?? r.objective}; 阈值 threshold: ${inst.maxMinutes} 分钟 min; 方法 method: ${r.method}`);
	say(`结果 value: ${r.objective === 'target' ? r.objectiveValue : r.objectiveValue.toFixed(1)}; ${boundSentence(r)}`);
	if (r.objective === 'median' && r.after.total.population > 0)
		say(`平均 mean: ${(r.objectiveValue / r.after.total.population).toFixed(2)} 分钟/人 minutes per person (each time capped at ${r.params.penaltyMinutes} min)`);
	for (const n of r.diagnostics.notes) say(`注 note: ${n.code}${n.count !== undefined ? ` (${n.count})` : ''}`);
	const areaName = (i: number) => (i >= 0 ? (inst.areas[i]?.name ?? '') : '-');
	console.log('');
	for (const l of tableLines(
		['站点 site', '排名 rank', '地区 area', '经度 lon', '纬度 lat', '增益 gain', '累计 total'],
		r.sites.map((s) => ({ name: s.name ? `${s.id} ${s.name}` : s.id, values: [String(s.rank), terminalSafe(areaName(s.areaIndex)), s.lon.toFixed(5), s.lat.toFixed(5), s.gain.toFixed(0), s.runningTotal.toFixed(0)] })),
		[8, 14, 11, 10, 10, 12]
	))
		console.log(l);
	console.log('');
	const rows = r.after.rows.map((a, i) => {
		const b = r.before.rows[i];
		return { name: a.name, values: [String(a.population), String(b.covered), String(a.covered), `${pct(b.share)} → ${pct(a.share)}`, `${b.pass ? '是' : '否'} → ${a.pass ? '是 yes' : '否 NO'}`] };
	});
	rows.push({ name: '合计 total', values: [String(r.after.total.population), String(r.before.total.covered), String(r.after.total.covered), `${pct(r.before.total.share)} → ${pct(r.after.total.share)}`, `${r.before.total.areasPassing} → ${r.after.total.areasPassing}`] });
	for (const l of tableLines(['地区 area', '人口 pop', '之前 before', '之后 after', '比例 share', '达标 pass'], rows, [11, 12, 12, 18, 14])) console.log(l);
	if (r.areaNeeds) {
		console.log('');
		for (const a of r.areaNeeds)
			if (a.need > 0)
				say(
					`${a.name}: 缺口 need ${a.need}; ${a.reachable ? `站点 sites ${a.siteRanks.length ? a.siteRanks.join(',') : '-'}` : `无法达标 cannot reach the target from these candidates (at most ${a.reachableCovered} of ${a.population})`}`
				);
	}
	printConsolidateText(r, say);
}

async function main() {
	let args: PlanArgs;
	try {
		args = parsePlanArgs(process.argv.slice(2));
	} catch (e) {
		console.error(`error: ${terminalSafe((e as Error).message)}\n${USAGE}`);
		process.exit(2);
	}
	const log = (m: string) => console.error(m);
	const { inst, labels, title, targetShare, scenario } = args.region ? await regionRun(args, log) : { ...matrixRun(args), scenario: undefined };
	const params: PlanParams = {
		objective: args.objective,
		sites: args.sites,
		maxSites: args.maxSites,
		targetShare,
		penaltyMinutes: args.penalty,
		exact: args.exact ? 'always' : 'auto',
		timeLimitS: args.timeLimitS,
		localSearch: !args.noSwap,
		maxLossPeople: args.maxLoss,
		minServicePopulation: args.minService,
		demandWeight: args.demandWeight
	};
	const r = await plan(inst, params, {
		solver: createHighsSolver(),
		control: { onProgress: (p) => (p.stage === 'exact' || p.stage === 'bound' ? log(`${p.stage}: HiGHS…`) : undefined) }
	});
	// scenarios (issue 7): the plan as one undoable step of a scenario file, and/or the app's share link
	let scenarioLink: string | undefined;
	if (scenario && (args.saveScenario || args.link)) {
		const doc = planScenarioDocument(scenario.session, scenario.settings, r, `${args.objective}: ${r.sites.length} sites`);
		if (args.saveScenario) writeOutputFile(args.saveScenario, writeScenarioFile(doc), '--save-scenario', []);
		if (args.link) {
			scenarioLink = scenarioLinkPath(doc);
			if (scenarioLink.length > MAX_LINK_CHARS + 400) log(`warning: the link is ${scenarioLink.length} characters, too long for some servers and proxies; send the scenario file instead`);
			if (!args.json) return void console.log(scenarioLink);
		}
	}
	if (args.json) {
		const { extensions, ...rest } = r;
		const sites = r.sites.map((s) => ({ id: s.id, ...(s.name !== undefined ? { name: s.name } : {}), lon: s.lon, lat: s.lat, area: s.areaId, areaName: s.areaIndex >= 0 ? (inst.areas[s.areaIndex]?.name ?? null) : null, gain: s.gain, rank: s.rank, runningTotal: s.runningTotal, kind: s.kind }));
		console.log(JSON.stringify({ ...rest, sites, ...(extensions ?? {}), labels, ...(scenarioLink ? { scenarioLink } : {}) }, null, 1));
		return;
	}
	printText(r, inst, title);
}

main().catch((e) => {
	if (e instanceof KejimapError || e instanceof UsageError) {
		console.error(`error: ${terminalSafe(e.message)}`);
		process.exit(2);
	}
	console.error(`error: ${(e as Error).stack ?? e}`);
	process.exit(1);
});
