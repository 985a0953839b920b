/**
 * Imports applied to a region: the result is a region like any shipped one (BuiltRegion + its data), with what was
 * imported recorded in `reports.imports` and every label saying where the data came from. Pure: the input region is
 * not changed, so a failed import loses nothing (the caller keeps the old one).
 */
import type { BuiltRegion } from '../../engine/built-region';
import type { Localized } from '../../engine/region';
import type { Facility, MethodChoice, Mode } from '../../engine/types';
import type { RegionBuild } from '../pipeline/build-region';
import { encodeRegionFiles } from '../pipeline/build-region';
import type { CrsReference } from './crs-check';
import type { FacilityImport } from './facilities';
import type { NetworkImport } from './network';
import type { PopulationImport } from './population';
import { roadLengthPoints } from '../pipeline/road-weights';

export type RegionData = Pick<RegionBuild, 'region' | 'areas' | 'facilities' | 'cells' | 'graphs'>;

export interface ImportRecord {
	kind: 'facilities' | 'population' | 'network';
	file: string;
	at: string;
	summary: Record<string, unknown>;
}

function withRecord(region: BuiltRegion, rec: ImportRecord, patch: Partial<BuiltRegion>): BuiltRegion {
	const prev = (region.reports.imports as ImportRecord[] | undefined) ?? [];
	return { ...region, ...patch, reports: { ...region.reports, imports: [...prev, rec] } };
}

/** What to check a facility list's coordinates against: the roads where the region has them, else its (real) facilities. */
export function crsReferenceOf(data: RegionData): CrsReference | undefined {
	const g = data.graphs.walk ?? data.graphs.drive ?? data.graphs.cycle;
	if (g && g.nodeCount > 0) {
		const pts = roadLengthPoints(g, 1, 'roads').points;
		return { kind: 'roads', lon: pts.map((p) => p.lon), lat: pts.map((p) => p.lat) };
	}
	if (data.region.modelledFacilities.length > 0 || data.facilities.length === 0) return undefined; // assumed points are no reference
	return { kind: 'facilities', lon: data.facilities.map((f) => f.lon), lat: data.facilities.map((f) => f.lat) };
}

export function applyFacilityImport(data: RegionData, imp: FacilityImport, mode: 'replace' | 'add', at = new Date().toISOString()): RegionData {
	const facilities: Facility[] = mode === 'add' ? [...data.facilities, ...imp.facilities] : imp.facilities;
	const region = withRecord(
		data.region,
		{
			kind: 'facilities',
			file: imp.file,
			at,
			summary: { mode, accepted: imp.facilities.length, rejected: imp.rejected.length, rows: imp.rows, crs: imp.crs, crsFrom: imp.crsFrom, crsCheck: imp.crsCheck, encoding: imp.encoding, mapping: imp.mapping, levelFrom: imp.levelFrom }
		},
		// the user's list replaces the assumed facilities; added to them, the assumption still holds for the rest
		{ modelledFacilities: mode === 'replace' ? [] : data.region.modelledFacilities }
	);
	return { ...data, region, facilities };
}

const POPULATION_LABEL: Record<PopulationImport['method'], (file: string) => Localized> = {
	raster: (f) => ({ zh: `导入栅格：${f}`, en: `imported raster: ${f}` }),
	'raster-weights-census': (f) => ({ zh: `普查总数按导入栅格分配：${f}（模型）`, en: `census totals spread by the imported raster: ${f} (modelled)` }),
	points: (f) => ({ zh: `导入人口点：${f}`, en: `imported population points: ${f}` }),
	'points-weights-census': (f) => ({ zh: `普查总数按导入人口点分配：${f}（模型）`, en: `census totals spread by the imported points: ${f} (modelled)` }),
	'area-totals': (f) => ({ zh: `导入分区人口（有普查处以普查为准）：${f}（模型）`, en: `imported area totals (census where it exists): ${f} (modelled)` })
};

export function applyPopulationImport(data: RegionData, imp: PopulationImport, at = new Date().toISOString()): RegionData {
	const region = withRecord(
		data.region,
		{ kind: 'population', file: imp.file, at, summary: { method: imp.method, rows: imp.rows, rejected: imp.rejected.length, inputTotal: imp.inputTotal, total: imp.total, areasControlled: imp.areasControlled, comparison: imp.comparison } },
		{ populationMethod: imp.cells.populationMethod, populationLabel: POPULATION_LABEL[imp.method](imp.file) }
	);
	return { ...data, region, cells: imp.cells };
}

export function applyNetworkImport(data: RegionData, imp: NetworkImport, at = new Date().toISOString()): RegionData {
	const graphs = { ...data.graphs, ...imp.graphs };
	const files = Object.fromEntries((Object.keys(graphs) as Mode[]).map((m) => [m, `graph-${m}.bin`]));
	const region = withRecord(
		data.region,
		{ kind: 'network', file: imp.file, at, summary: { format: imp.network.format, modes: imp.report.modes, networkNodes: imp.report.networkNodes, networkWays: imp.report.networkWays } },
		{ hasNetwork: true, files: { ...data.region.files, graphs: files } }
	);
	return { ...data, region, graphs };
}

/** The region's files after imports (for IndexedDB), with the sizes in region.bytes. */
export function regionFilesOf(data: RegionData): { region: BuiltRegion; files: Record<string, Uint8Array> } {
	const { files, bytes, graphFiles } = encodeRegionFiles(data);
	return { region: { ...data.region, bytes, files: { ...data.region.files, graphs: graphFiles } }, files };
}

/**
 * After an import, the method the analysis should switch to: a region that gained a network for the mode moves
 * from the radius method to auto (network where it reaches, radius elsewhere); otherwise the choice stays.
 */
export function methodAfterImport(before: BuiltRegion, after: BuiltRegion, mode: Mode, current: MethodChoice): MethodChoice {
	const had = !!before.files.graphs[mode];
	const has = !!after.files.graphs[mode];
	if (!had && has && current === 'radius') return 'auto';
	if (had && !has && current === 'network') return 'auto';
	return current;
}
