/**
 * The coverage CLI's import flags, through the same importers as the app:
 *   --import-facilities f.csv|f.geojson [--import-add] [--crs auto|wgs84|gcj02|bd09] [--encoding auto|utf-8|gbk]
 *   --import-population f.tif|f.csv   --import-network f.osm|f.pbf
 * Rejected rows go to stderr with their line and reason; the computation runs on the accepted rows.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { areaSetFromGeoJson } from '../../src/lib/data/area-set';
import { ENCODING_CHOICES, type TextEncodingChoice } from '../../src/lib/data/import/decode';
import { importFacilities, type CrsChoice } from '../../src/lib/data/import/facilities';
import { checkImportSize, IMPORT_LIMITS } from '../../src/lib/data/import/limits';
import { exactArrayBuffer } from '../../src/lib/data/pipeline/file-source';
import { importNetwork } from '../../src/lib/data/import/network';
import { importPopulationRaster, importPopulationTable, isRasterFile } from '../../src/lib/data/import/population';
import { applyFacilityImport, applyNetworkImport, applyPopulationImport, crsReferenceOf, type RegionData } from '../../src/lib/data/import/region';
import type { RejectedRow } from '../../src/lib/data/import/table';
import type { BuiltRegion } from '../../src/lib/engine/built-region';
import { KejimapError } from '../../src/lib/engine/errors';
import { CRS_VALUES, type Crs } from '../../src/lib/engine/region';
import { CoverageSession } from '../../src/lib/engine/session';
import { buildRoot } from './paths';

export const IMPORT_USAGE = '[--import-facilities F [--import-add] [--crs auto|wgs84|gcj02|bd09] [--encoding auto|utf-8|gbk]] [--import-population F] [--import-network F]';

export interface ImportFlags {
	facilities?: string;
	add: boolean;
	crs: CrsChoice;
	encoding: TextEncodingChoice;
	population?: string;
	network?: string;
}

/** Take the import flags out of argv (the rest goes to the CLI's own parser). Throws `makeError(message)` on a bad value. */
export function takeImportFlags(argv: string[], makeError: (msg: string) => Error): { rest: string[]; flags: ImportFlags } {
	const flags: ImportFlags = { add: false, crs: 'auto', encoding: 'auto' };
	const rest: string[] = [];
	const value = (i: number, flag: string) => {
		const v = argv[i];
		if (v === undefined || v.startsWith('--')) throw makeError(`flag ${flag} needs a value`);
		return v;
	};
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		switch (flag) {
			case '--import-facilities':
				flags.facilities = value(++i, flag);
				break;
			case '--import-population':
				flags.population = value(++i, flag);
				break;
			case '--import-network':
				flags.network = value(++i, flag);
				break;
			case '--import-add':
				flags.add = true;
				break;
			case '--crs': {
				const v = value(++i, flag);
				if (v !== 'auto' && !CRS_VALUES.includes(v as Crs)) throw makeError(`--crs must be auto, ${CRS_VALUES.join(', ')} (got "${v}")`);
				flags.crs = v as CrsChoice;
				break;
			}
			case '--encoding': {
				const v = value(++i, flag).toLowerCase().replace('utf8', 'utf-8');
				if (!ENCODING_CHOICES.includes(v as TextEncodingChoice)) throw makeError(`--encoding must be ${ENCODING_CHOICES.join(', ')} (got "${v}")`);
				flags.encoding = v as TextEncodingChoice;
				break;
			}
			default:
				rest.push(flag);
		}
	}
	if (flags.add && !flags.facilities) throw makeError('--import-add needs --import-facilities');
	return { rest, flags };
}

/** The files the imports read (an output must not overwrite them). */
export function importedFiles(flags: ImportFlags): string[] {
	return [flags.facilities, flags.population, flags.network].filter((f): f is string => !!f);
}

function readInput(file: string, limit: number, what: string): Uint8Array {
	let size: number;
	try {
		size = statSync(file).size;
	} catch {
		throw new KejimapError('FILE_MISSING', `${what}: file not found: ${file}`, { file });
	}
	checkImportSize(file, size, limit, `a ${what}`); // before reading: a huge file is refused, not loaded
	return new Uint8Array(readFileSync(file));
}

function printRejected(file: string, rejected: RejectedRow[], log: (m: string) => void): void {
	for (const r of rejected) log(`rejected: ${r.message}`);
	if (rejected.length) log(`${path.basename(file)}: ${rejected.length} row(s) or field(s) rejected (listed above); the accepted rows are used`);
}

/** Apply the imports to a built region's session; no flag = the session unchanged. */
export async function applyImportFlags(
	built: BuiltRegion,
	session: CoverageSession,
	flags: ImportFlags,
	log: (m: string) => void
): Promise<{ built: BuiltRegion; session: CoverageSession }> {
	if (!flags.facilities && !flags.population && !flags.network) return { built, session };
	const areasFile = path.join(buildRoot, built.id, built.files.areas);
	const areas = areaSetFromGeoJson(readFileSync(areasFile, 'utf8'), { crs: 'wgs84', idField: 'id', nameField: 'name' }, areasFile);
	let data: RegionData = { region: built, areas, facilities: session.facilities, cells: session.cells, graphs: session.graphs };
	// the network first: a facility list is then checked against the user's roads
	if (flags.network) {
		const imp = await importNetwork(readInput(flags.network, IMPORT_LIMITS.networkBytes, 'road network'), { file: flags.network, regionId: built.id, log });
		data = applyNetworkImport(data, imp);
		log(`imported network ${flags.network}: ${imp.report.networkNodes} nodes, ${imp.report.networkWays} ways -> ${Object.keys(imp.graphs).join(', ')} graphs`);
	}
	if (flags.population) {
		const bytes = readInput(flags.population, isRasterFile(flags.population, new Uint8Array(0)) ? Number.MAX_SAFE_INTEGER : IMPORT_LIMITS.tableBytes, 'population table');
		const perArea = (built.reports.population as { perArea?: { census?: number }[] } | undefined)?.perArea;
		const opts = {
			file: flags.population,
			areas,
			bbox: built.bbox,
			resolution: data.cells.resolution,
			censusTotals: perArea && perArea.some((a) => a.census !== undefined) ? perArea.map((a) => a.census ?? null) : null,
			currentCells: data.cells,
			encoding: flags.encoding
		};
		const imp = isRasterFile(flags.population, bytes) ? await importPopulationRaster(exactArrayBuffer(bytes), opts) : importPopulationTable(bytes, opts);
		printRejected(flags.population, imp.rejected, log);
		data = applyPopulationImport(data, imp);
		log(`imported population ${flags.population} (${imp.method}): ${Math.round(imp.inputTotal)} in the file over the region -> ${Math.round(imp.total)} in ${imp.cells.count} cells`);
	}
	if (flags.facilities) {
		const imp = importFacilities(readInput(flags.facilities, IMPORT_LIMITS.tableBytes, 'facility list'), {
			file: flags.facilities,
			encoding: flags.encoding,
			crs: flags.crs,
			areas,
			bbox: built.bbox,
			reference: crsReferenceOf(data),
			takenIds: flags.add ? new Set(data.facilities.map((f) => f.id)) : undefined
		});
		printRejected(flags.facilities, imp.rejected, log);
		const c = imp.crsCheck;
		if (c?.flagged && imp.crsFrom === 'user')
			log(`warning: ${flags.facilities}: the points sit ${c.medianM[c.assumed]} m (median) from the region's ${c.reference} as ${c.assumed}, ${c.medianM[c.best]} m as ${c.best}: try --crs ${c.best}`);
		else if (imp.crsFrom === 'check') log(`${flags.facilities}: coordinates read as ${imp.crs} (median ${c!.medianM[imp.crs]} m from the region's ${c!.reference}, ${c!.medianM.wgs84} m as wgs84)`);
		data = applyFacilityImport(data, imp, flags.add ? 'add' : 'replace');
		log(`imported facilities ${flags.facilities} (${imp.encoding ?? 'text'}, ${imp.crs}): ${imp.facilities.length} of ${imp.rows} rows ${flags.add ? 'added' : 'used'}`);
	}
	return { built: data.region, session: new CoverageSession(data.region, data.facilities, data.cells, data.graphs) };
}
