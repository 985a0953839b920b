/**
 * What every export carries: the settings, the method, the population source (with the *modelled* caveat) and the
 * data sources. CSV gets it as a sidecar (<file>.metadata.json), GeoJSON as a top-level "metadata" member, Parquet
 * as key-value metadata "kejimap", the report as its header sections. One builder, so they cannot disagree.
 */
import type { BuiltRegion } from '../../engine/built-region';
import type { Localized } from '../../engine/region';
import type { CoverageSettings } from '../../engine/session';
import type { CoverageSummary } from '../../engine/types';
import { MESSAGES } from '../../i18n';
import type { TableName } from './tables';

export interface DataSourceEntry {
	role: 'facilities' | 'areas' | 'population' | 'population-weights' | 'network';
	/** path inside the data folder; its first segment is the dataset (each has a SOURCE.md with dates and licence) */
	path: string;
	label?: Localized;
}

export interface ExportMetadata {
	tool: 'Kejimap 可及地图';
	formatVersion: 1;
	table: TableName | 'report';
	generatedAt: string;
	region: { id: string; name: Localized; builtAt: string; inputHash: string };
	settings: CoverageSettings;
	activeFacilities: number;
	method: { choice: CoverageSummary['method']; label: Localized };
	population: { method: BuiltRegion['populationMethod']; modelled: boolean; label: Localized; caveat?: Localized };
	policySource: Localized;
	modelledFacilities: Localized[];
	dataSources: DataSourceEntry[];
	attribution: string[];
	/** set when the rows were computed on another population model than the region's own (see population/worldpop-model.ts) */
	populationModel?: { id: string; label: Localized };
}

const both = (key: keyof (typeof MESSAGES)['en']): Localized => ({ zh: MESSAGES['zh-CN'][key], en: MESSAGES.en[key] });

export function methodLabel(method: CoverageSummary['method']): Localized {
	return both(`report.methodName.${method}`);
}

/** Every input file the manifest names, with its role and label. */
export function dataSourcesOf(region: BuiltRegion): DataSourceEntry[] {
	const m = region.manifest;
	const out: DataSourceEntry[] = [];
	for (const f of m.facilities) out.push({ role: 'facilities', path: f.path, label: f.label });
	out.push({ role: 'areas', path: m.areas.path });
	const p = m.population;
	if (p.method === 'raster') out.push({ role: 'population', path: p.path, label: p.label });
	if (p.method === 'census-weights') {
		out.push({ role: 'population', path: p.census.path, label: p.census.label });
		for (const w of p.weights) if ('path' in w) out.push({ role: 'population-weights', path: w.path, label: w.label });
	}
	const n = m.network;
	if (n) for (const path of [n.path, n.nodesPath, n.edgesPath]) if (path) out.push({ role: 'network', path, label: n.note });
	return out;
}

export interface MetadataInput {
	region: BuiltRegion;
	settings: CoverageSettings;
	summary: CoverageSummary;
	activeFacilities: number;
	table: ExportMetadata['table'];
	/** ISO time; passed in so outputs are reproducible in tests */
	generatedAt: string;
	populationModel?: ExportMetadata['populationModel'];
}

export function exportMetadata({ region, settings, summary, activeFacilities, table, generatedAt, populationModel }: MetadataInput): ExportMetadata {
	const modelled = region.populationMethod !== 'raster' || populationModel !== undefined;
	return {
		tool: 'Kejimap 可及地图',
		formatVersion: 1,
		table,
		generatedAt,
		region: { id: region.id, name: region.name, builtAt: region.builtAt, inputHash: region.inputHash },
		settings,
		activeFacilities,
		method: { choice: summary.method, label: methodLabel(summary.method) },
		population: {
			method: region.populationMethod,
			modelled,
			label: populationModel?.label ?? region.populationLabel,
			caveat: modelled ? both('report.modelledCaveat') : undefined
		},
		policySource: region.manifest.policy.source,
		modelledFacilities: region.modelledFacilities,
		dataSources: dataSourcesOf(region),
		attribution: region.manifest.attribution,
		populationModel
	};
}
