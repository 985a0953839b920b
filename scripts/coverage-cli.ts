/**
 * npm run coverage -- --region <name|manifest.json> [--mode walk|cycle|drive] [--minutes 15]
 *   [--levels chc,chs,...] [--method network|radius|auto] [--target 0.9] [--json] [--cells F] [--facilities F]
 *   [--scenario file.json]   (a scenario file: its settings, then any flag given here, and its edits applied)
 *   [--import-facilities F [--import-add] [--crs C] [--encoding E]] [--import-population F] [--import-network F] (scripts/lib/import-options.ts)
 *   [--table cells|areas|facilities --out F.csv|F.geojson|F.parquet] [--compare-population]
 * Prints the per-area table (population, covered, share, pass/fail, shortfall) and totals.
 * Exit codes: 0 ok, 2 bad usage / unknown region / missing file, 1 unexpected failure.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { droppedLine, droppedRows, guessedEncodings } from '../src/lib/data/dropped';
import { csvText } from '../src/lib/data/export/csv-safe';
import { terminalSafe } from '../src/lib/data/export/terminal';
import { writeOutputFile } from '../src/lib/data/node/output';
// exports and population models (kj-export)
import { exportFiles, formatOfPath } from '../src/lib/data/export/export';
import { exportMetadata, methodLabel } from '../src/lib/data/export/metadata';
import { bilingual, compareModels } from '../src/lib/data/export/report-model';
import { areasTable, cellsTable, facilitiesTable, TABLE_NAMES, type TableName } from '../src/lib/data/export/tables';
import { loadAlternativeModels } from '../src/lib/data/node/population-models';
import { KejimapError } from '../src/lib/engine/errors';
import { METHODS, parseLevels, parseMethod, parseMinutes, parseMode, parseTargetShare, settingsFromPolicy } from '../src/lib/engine/settings';
import { type FacilityLevel, type MethodChoice, type Mode } from '../src/lib/engine/types';
import { METHOD_CODES } from '../src/lib/engine/types';
import { buildRegion, inputFiles } from './build-region';
import { coverageTableLines, pct, tableLines } from './lib/area-table';
import { applyImportFlags, IMPORT_USAGE, importedFiles, takeImportFlags, type ImportFlags } from './lib/import-options';
import { UsageError, walkFlags } from './lib/flags';
import { loadSession } from './lib/load-built';
import { readScenarioFile, runScenario, scenarioSettings } from './lib/scenario-file';
import { openFacilities } from '../src/lib/engine/scenario/edits';
import { loadRegion } from './lib/load-region';
import { buildRoot, dataRoot, hasSourceData } from './lib/paths';

const USAGE = `usage: npm run coverage -- --region <name|manifest.json> [--mode walk|cycle|drive] [--minutes 15] [--levels a,b] [--method ${METHODS.join('|')}] [--target 0.9|90%] [--json] [--cells F] [--facilities F] [--scenario file.json] [--table ${TABLE_NAMES.join('|')} --out F.csv|F.geojson|F.parquet] [--compare-population] ${IMPORT_USAGE}`;

const FLAGS = {
	booleans: new Set(['--json', '--compare-population']),
	values: new Set(['--region', '--mode', '--minutes', '--levels', '--method', '--target', '--cells', '--facilities', '--scenario', '--table', '--out'])
};

interface Args {
	region: string;
	mode?: Mode;
	minutes?: number;
	levels?: FacilityLevel[];
	method?: MethodChoice;
	target?: number;
	json: boolean;
	cells?: string;
	facilities?: string;
	scenario?: string;
	table?: TableName;
	out?: string;
	comparePopulation?: boolean;
}

export function parseArgs(argv: string[]): Args {
	const a: Partial<Args> = { json: false };
	walkFlags(argv, FLAGS, {
		boolean: (flag) => {
			if (flag === '--json') a.json = true;
			else a.comparePopulation = true;
		},
		value: (flag, v, take) => {
			switch (flag) {
				case '--region':
					a.region = v;
					break;
				case '--mode':
					a.mode = take(parseMode(v));
					break;
				case '--minutes':
					a.minutes = take(parseMinutes(v));
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
				case '--cells':
					a.cells = v;
					break;
				case '--facilities':
					a.facilities = v;
					break;
				case '--scenario':
					a.scenario = v;
					break;
				case '--table':
					if (!(TABLE_NAMES as readonly string[]).includes(v)) throw new UsageError(`--table must be one of ${TABLE_NAMES.join(', ')} (got "${v}")`);
					a.table = v as TableName;
					break;
				case '--out':
					formatOfPath(v); // refuse an unknown extension before any work
					a.out = v;
					break;
			}
		}
	});
	if (!a.region) throw new UsageError('--region is required');
	if (!!a.table !== !!a.out) throw new UsageError('--table and --out go together (e.g. --table areas --out areas.csv)');
	return a as Args;
}

/** Every text from a data file goes through this before the terminal. */
const say = (t: string) => console.log(terminalSafe(t));

/** Files this run reads: an output must never overwrite one of them. */
function runInputs(region: string, id: string): string[] {
	const loaded = loadRegion(region);
	const dir = path.join(buildRoot, id);
	let built: string[] = [];
	try {
		built = readdirSync(dir).map((f) => path.join(dir, f));
	} catch {
		// not built yet: nothing there to protect
	}
	return [...loaded.manifestFiles, ...inputFiles(loaded.manifest, loaded.resolvePath), ...built];
}

async function main() {
	let args: Args;
	let imports: ImportFlags;
	try {
		const taken = takeImportFlags(process.argv.slice(2), (m) => new UsageError(m));
		imports = taken.flags;
		args = parseArgs(taken.rest);
	} catch (e) {
		console.error(`error: ${terminalSafe((e as Error).message)}\n${USAGE}`);
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
	const over = { mode: args.mode, maxMinutes: args.minutes, levels: args.levels, targetShare: args.target, method: args.method };
	// a scenario file's settings stand in for the policy; flags given here still win
	const scenarioDoc = args.scenario ? readScenarioFile(args.scenario, session, log) : null;
	const settings = scenarioDoc ? scenarioSettings(scenarioDoc, over) : settingsFromPolicy(built.manifest.policy, over);
	const mode = settings.mode;
	const inputs = args.cells || args.facilities || args.out ? [...runInputs(args.region, built.id), ...importedFiles(imports)] : [];
	if (args.cells && args.facilities && path.resolve(args.cells) === path.resolve(args.facilities))
		throw new KejimapError('OUTPUT_REFUSED', `--cells and --facilities name the same file (${args.cells})`, { field: '--facilities' });
	if (settings.method === 'network' && !built.files.graphs[mode])
		throw new KejimapError('BAD_ARGUMENT', `region "${built.id}" has no ${mode} network; use --method radius or auto`);
	const scenario = scenarioDoc ? runScenario(session, scenarioDoc, settings, args.scenario!) : null;
	const { summary, result, diagnostics, activeFacilities } = scenario ?? session.compute(settings);
	const facilityIdOf = (f: number) => (scenario ? (scenario.live.slotId(f) ?? '') : session.facilities[f].id);
	const labels = {
		region: built.id,
		populationMethod: built.populationMethod,
		population: built.populationLabel.en,
		modelledFacilities: built.modelledFacilities.map((l) => l.en),
		activeFacilities,
		levels: settings.levels,
		diagnostics,
		dropped: droppedRows(built.reports),
		encodingsGuessed: guessedEncodings(built.reports),
		scenario: scenarioDoc ? { name: scenarioDoc.name, edits: scenarioDoc.edits.length } : undefined
	};

	if (args.cells) {
		const rows: (string | number)[][] = [];
		for (let c = 0; c < session.cells.count; c++) {
			const f = result.facility[c];
			const m = result.minutes[c];
			rows.push([
				session.cells.h3[c],
				session.cells.lon[c].toFixed(6),
				session.cells.lat[c].toFixed(6),
				session.cells.population[c].toFixed(2),
				Number.isFinite(m) ? m.toFixed(2) : '',
				f >= 0 ? facilityIdOf(f) : '',
				result.method[c] === METHOD_CODES.network ? 'network' : 'radius'
			]);
		}
		writeOutputFile(args.cells, csvText(['h3', 'lon', 'lat', 'population', 'minutes', 'facility_id', 'method'], rows), '--cells', inputs);
	}
	if (args.facilities) {
		const rows = (scenario ? openFacilities(scenario.live.facilities, session.facilities) : session.facilities).map((f) => [f.id, f.name, f.level, f.lon.toFixed(6), f.lat.toFixed(6), f.source, f.officialMatch ?? '', (f.mergedFrom ?? []).join('; ')]);
		writeOutputFile(args.facilities, csvText(['id', 'name', 'level', 'lon', 'lat', 'source', 'official_match', 'merged_from'], rows), '--facilities', inputs);
	}
	// --table / --out and --compare-population (kj-export)
	if (args.table && args.out) {
		const facilities = scenario ? openFacilities(scenario.live.facilities, session.facilities) : session.facilities;
		const byId = new Map(facilities.map((f) => [f.id, f]));
		const table =
			args.table === 'cells'
				? cellsTable({ cells: session.cells, result, facilityOfSlot: (f) => byId.get(facilityIdOf(f)) ?? null, areas: built.areas, maxMinutes: settings.maxMinutes })
				: args.table === 'facilities'
					? facilitiesTable({ facilities, levels: settings.levels, ...(scenario ? {} : { cells: session.cells, result, maxMinutes: settings.maxMinutes }) })
					: areasTable(summary, (id) => settings.areaModeRules?.find((r) => r.areaIds.includes(id))?.mode ?? settings.mode);
		const metadata = exportMetadata({ region: built, settings, summary, activeFacilities, table: args.table, generatedAt: new Date().toISOString() });
		const areaGeometry = new Map<string, { type: string; coordinates: unknown }>();
		if (args.table === 'areas') {
			const fc = JSON.parse(readFileSync(path.join(buildRoot, built.id, built.files.areas), 'utf8')) as { features: { geometry: { type: string; coordinates: unknown }; properties: { id: string } }[] };
			for (const f of fc.features) areaGeometry.set(String(f.properties.id), f.geometry);
		}
		for (const file of exportFiles(table, formatOfPath(args.out), metadata, args.out, (id) => areaGeometry.get(id) ?? null)) writeOutputFile(file.name, file.content, '--out', inputs);
		log(`wrote ${args.table} (${table.rowCount} rows) to ${args.out}`);
	}
	const comparison = args.comparePopulation
		? loadAlternativeModels(built.id, session.cells, built.areas.length).map(({ model, grid }) => ({
				model,
				...compareModels(session.cells, result, built.areas, settings.maxMinutes, settings.targetShare, grid.population, grid.inGrid)
			}))
		: undefined;
	if (args.comparePopulation && !comparison?.length) log(`notice: ${bilingual('popmodel.none')}`);
	if (args.json) {
		console.log(JSON.stringify({ ...summary, labels, ...(comparison ? { populationModels: comparison } : {}) }, null, 1));
		return;
	}
	const methodName = `${methodLabel(summary.method).zh} ${methodLabel(summary.method).en}`;
	const modeZh = { walk: '步行', cycle: '骑行', drive: '驾车' }[summary.mode];
	say(`${built.name.zh} ${built.name.en}`);
	if (scenarioDoc) say(`方案 scenario: ${scenarioDoc.name} (${scenarioDoc.edits.length} 步 edits, ${args.scenario})`);
	say(
		`方式 mode: ${modeZh} ${summary.mode}; 阈值 threshold: ${summary.maxMinutes} 分钟 min; 目标 target: ${pct(summary.targetShare)}; 设施 levels: ${settings.levels.join(',')} (${activeFacilities})`
	);
	say(`方法 method: ${methodName}`);
	say(`人口 population: ${built.populationMethod === 'raster' ? '' : '模型 modelled — '}${built.populationLabel.zh} / ${built.populationLabel.en}`);
	for (const l of built.modelledFacilities) say(`假定设施 assumed facilities: ${l.zh} / ${l.en}`);
	for (const d of labels.dropped) say(`已舍弃 dropped: ${droppedLine(d)}`);
	for (const g of labels.encodingsGuessed) say(`编码 encoding: ${g.source} 非UTF-8，按 ${g.encoding.toUpperCase()} 读取 not UTF-8, read as ${g.encoding.toUpperCase()}`);
	for (const [m, d] of Object.entries(diagnostics)) {
		if (!d || d.method === 'radius') continue;
		console.log(
			`路网 network (${m}): ${d.offNetworkCells} 个网格距道路超过300米 cells > 300 m from a road, ${d.fallbackCells} 个网格所在路网片段无设施 cells on a piece with no facility` +
				`${d.method === 'auto' ? ' → 服务半径法 radius method' : ' → 不可达 unreachable'}; ${d.unsnappedFacilities} 处设施距道路超过500米 facilities > 500 m from a road`
		);
	}
	for (const l of coverageTableLines(summary.rows, summary.total)) console.log(l);
	console.log(`${summary.total.areasPassing} / ${summary.total.areaCount} 个地区达标 areas meet the target`);
	for (const c of comparison ?? []) {
		console.log('');
		say(`${bilingual('popmodel.heading')}: ${c.model.label.zh} / ${c.model.label.en}`);
		const points = (d: number) => `${d >= 0 ? '+' : ''}${d.toFixed(1)}`;
		const values = (r: (typeof c)['total']) => [pct(r.shareA), pct(r.shareB), points(r.diffPoints), pct(r.inModelShare)];
		const head = ['地区 area', 'POI 模型 POI model', 'WorldPop 模型 model', '差 diff (pt)', '栅格内 in grid'];
		for (const l of tableLines(head, [...c.rows.map((r) => ({ name: r.name, values: values(r) })), { name: '合计 total', values: values(c.total) }], [20, 20, 14, 16])) console.log(l);
		say(bilingual('popmodel.caveat'));
	}
}

main().catch((e) => {
	if (e instanceof KejimapError) {
		console.error(`error: ${terminalSafe(e.message)}`);
		process.exit(2);
	}
	console.error(`error: ${(e as Error).stack ?? e}`);
	process.exit(1);
});
