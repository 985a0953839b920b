/** One entry point for every export: the format from the file extension, the metadata always attached. */
import { KejimapError } from '../../engine/errors';
import { tableToCsv } from './csv';
import { tableToGeoJson } from './geojson';
import type { ExportMetadata } from './metadata';
import { tableToParquet } from './parquet';
import type { ExportTable } from './tables';

export const EXPORT_FORMATS = ['csv', 'geojson', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportFile {
	name: string;
	mime: string;
	content: string | Uint8Array;
}

/** "out/cells.parquet" -> "parquet"; .json counts as GeoJSON. */
export function formatOfPath(path: string): ExportFormat {
	const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
	if (ext === 'csv') return 'csv';
	if (ext === 'geojson' || ext === 'json') return 'geojson';
	if (ext === 'parquet') return 'parquet';
	throw new KejimapError('BAD_ARGUMENT', `${path}: the file name must end in .csv, .geojson or .parquet (the format is taken from it)`, { file: path });
}

/** The sidecar of a CSV: <file>.metadata.json. */
export function sidecarName(path: string): string {
	return `${path}.metadata.json`;
}

/** The file(s) one export writes: the table, and for CSV its metadata sidecar. */
export function exportFiles(
	table: ExportTable,
	format: ExportFormat,
	metadata: ExportMetadata,
	name: string,
	areaGeometry?: Parameters<typeof tableToGeoJson>[2]
): ExportFile[] {
	if (format === 'csv')
		return [
			{ name, mime: 'text/csv;charset=utf-8', content: tableToCsv(table) },
			{ name: sidecarName(name), mime: 'application/json', content: JSON.stringify(metadata, null, 1) }
		];
	if (format === 'geojson') return [{ name, mime: 'application/geo+json', content: tableToGeoJson(table, metadata, areaGeometry) }];
	return [{ name, mime: 'application/vnd.apache.parquet', content: tableToParquet(table, metadata) }];
}
