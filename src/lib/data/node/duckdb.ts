/** duckdb-wasm in Node (CLI, tests): the blocking build, from the package's own files. */
import { createRequire } from 'node:module';
import path from 'node:path';
import { getDuckDb, setDuckDbOpener, type DuckDbBinding } from '../duckdb/client';

const require = createRequire(import.meta.url);

async function openNodeDuckDb(): Promise<DuckDbBinding> {
	const duckdb = (await import('@duckdb/duckdb-wasm/blocking')) as typeof import('@duckdb/duckdb-wasm/blocking');
	const dist = path.dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
	const db = await duckdb.createDuckDB(
		{
			mvp: { mainModule: path.join(dist, 'duckdb-mvp.wasm'), mainWorker: path.join(dist, 'duckdb-node-mvp.worker.cjs') },
			eh: { mainModule: path.join(dist, 'duckdb-eh.wasm'), mainWorker: path.join(dist, 'duckdb-node-eh.worker.cjs') }
		},
		new duckdb.VoidLogger(),
		duckdb.NODE_RUNTIME
	);
	await db.instantiate();
	return db as unknown as DuckDbBinding;
}

export function nodeDuckDb(): Promise<DuckDbBinding> {
	setDuckDbOpener(openNodeDuckDb);
	return getDuckDb();
}
