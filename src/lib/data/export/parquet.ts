/**
 * Parquet export with hyparquet-writer (pure JS, runs in Node and the worker). duckdb-wasm 1.32 has no built-in
 * Parquet: it fetches the extension from the internet at run time, which an offline intranet cannot (it hangs).
 * The export metadata is the file's key-value metadata "kejimap" (JSON).
 */
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { ExportMetadata } from './metadata';
import type { ColumnType, ExportTable } from './tables';

const PARQUET_TYPE: Record<ColumnType, 'STRING' | 'DOUBLE' | 'INT64' | 'BOOLEAN'> = {
	string: 'STRING',
	float64: 'DOUBLE',
	int64: 'INT64',
	bool: 'BOOLEAN'
};

export const PARQUET_METADATA_KEY = 'kejimap';

export function tableToParquet(t: ExportTable, metadata: ExportMetadata): Uint8Array {
	const buffer = parquetWriteBuffer({
		columnData: t.columns.map((c) => ({
			name: c.name,
			type: PARQUET_TYPE[c.type],
			// INT64 columns take bigint values
			data: c.type === 'int64' ? c.values.map((v) => (v === null ? null : BigInt(Math.round(v as number)))) : c.values
		})),
		kvMetadata: [{ key: PARQUET_METADATA_KEY, value: JSON.stringify(metadata) }],
		createdBy: 'Kejimap'
	});
	return new Uint8Array(buffer);
}
