/** Parquet reading (hyparquet, pure JS: Node and the worker). Values come back typed; BigInt as number. */
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { KejimapError } from '../engine/errors';

export interface ParquetTable {
	file: string;
	header: string[];
	rows: Record<string, string | number | boolean | null>[];
	/** the file's key-value metadata */
	metadata: Record<string, string>;
}

export async function readParquet(bytes: Uint8Array | ArrayBuffer, file: string): Promise<ParquetTable> {
	const buf: ArrayBuffer = bytes instanceof Uint8Array ? (bytes.slice().buffer as ArrayBuffer) : bytes;
	try {
		const meta = parquetMetadata(buf);
		const header = meta.schema.slice(1).map((s) => s.name);
		const objects = await parquetReadObjects({ file: buf });
		const rows = objects.map((o) => {
			const r: ParquetTable['rows'][number] = {};
			for (const k of header) {
				const v = o[k];
				r[k] = v === undefined || v === null ? null : typeof v === 'bigint' ? Number(v) : (v as string | number | boolean);
			}
			return r;
		});
		const metadata: Record<string, string> = {};
		for (const kv of meta.key_value_metadata ?? []) metadata[kv.key] = kv.value ?? '';
		return { file, header, rows, metadata };
	} catch (e) {
		if (e instanceof KejimapError) throw e;
		throw new KejimapError('FILE_MALFORMED', `${file}: not a readable Parquet file (${(e as Error).message})`, { file });
	}
}
