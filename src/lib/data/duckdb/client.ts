/**
 * DuckDB (duckdb-wasm), loaded only when a table, join or SQL query needs it: a lazy singleton, as Observable
 * Framework's DuckDBClient does, and one connection per use, closed in `finally`.
 * Browser: the async build with its own worker; the wasm and worker files are emitted into the static build
 * (./browser.ts, no CDN). Node (CLI, tests): the blocking build, registered by ../node/duckdb.ts.
 * Extension autoloading is switched off: duckdb-wasm fetches extensions (Parquet, JSON, ...) from the internet,
 * which an intranet cannot reach. Parquet goes through hyparquet instead (../parquet.ts, ../export/parquet.ts).
 * Tables go in as CSV text with declared column types, so no Arrow object crosses between two Arrow versions.
 */
import { KejimapError } from '../../engine/errors';
import type { ColumnType, ExportTable } from '../export/tables';

type MaybePromise<T> = T | Promise<T>;

/** What the blocking and the async duckdb-wasm builds have in common (results are that build's Arrow tables). */
export interface DuckDbResult {
	schema: { fields: { name: string }[] };
	toArray(): { toJSON(): Record<string, unknown> }[];
}
export interface DuckDbConnection {
	query(sql: string): MaybePromise<DuckDbResult>;
	close(): MaybePromise<unknown>;
}
export interface DuckDbBinding {
	connect(): MaybePromise<DuckDbConnection>;
	registerFileText(name: string, text: string): MaybePromise<unknown>;
	registerFileBuffer(name: string, bytes: Uint8Array): MaybePromise<unknown>;
	dropFile(name: string): MaybePromise<unknown>;
}

export type DuckDbOpener = () => Promise<DuckDbBinding>;

let opener: DuckDbOpener | null = null;
let instance: Promise<DuckDbBinding> | null = null;

/** Node entry points set the blocking build here; the browser uses ./browser.ts by default. */
export function setDuckDbOpener(open: DuckDbOpener): void {
	opener = open;
}

/** The one DuckDB of this thread, created on first use. */
export function getDuckDb(): Promise<DuckDbBinding> {
	instance ??= (async () => {
		const open = opener ?? (await import('./browser')).openBrowserDuckDb;
		const db = await open();
		await withConnection(db, async (c) => {
			await c.query('SET autoinstall_known_extensions = false');
			await c.query('SET autoload_known_extensions = false');
		});
		return db;
	})();
	instance.catch(() => (instance = null));
	return instance;
}

export async function withConnection<T>(db: DuckDbBinding, use: (c: DuckDbConnection) => Promise<T>): Promise<T> {
	const c = await db.connect();
	try {
		return await use(c);
	} finally {
		await c.close();
	}
}

/** A query's result as plain rows; BigInt becomes number (counts and ids here fit in 2^53). */
export interface QueryRows {
	columns: string[];
	rows: Record<string, string | number | boolean | null>[];
}

function plain(v: unknown): string | number | boolean | null {
	if (v === null || v === undefined) return null;
	if (typeof v === 'bigint') return Number(v);
	if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
	// HUGEINT / DECIMAL (e.g. sum of a BIGINT) come back as Arrow big-number objects
	if (ArrayBuffer.isView(v) || (typeof v === 'object' && Symbol.toPrimitive in (v as object))) {
		const n = Number(v);
		if (Number.isFinite(n)) return n;
	}
	return String(v);
}

export async function queryRows(c: DuckDbConnection, sql: string): Promise<QueryRows> {
	const t = await c.query(sql);
	const columns = t.schema.fields.map((f) => f.name);
	const rows = t.toArray().map((r) => {
		const o = r.toJSON();
		const out: QueryRows['rows'][number] = {};
		for (const k of columns) out[k] = plain(o[k]);
		return out;
	});
	return { columns, rows };
}

/** "a\"b" -> "\"a\"\"b\"" : an SQL identifier, quoted. */
export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

const SQL_TYPE: Record<ColumnType, string> = { string: 'VARCHAR', float64: 'DOUBLE', int64: 'BIGINT', bool: 'BOOLEAN' };

/** Plain RFC 4180 text (no spreadsheet escaping: this CSV only goes into DuckDB). Null = empty, unquoted. */
function rawCsv(t: ExportTable): string {
	const field = (v: string | number | boolean | null) => {
		if (v === null) return '';
		const s = String(v);
		return /[",\r\n]/.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s;
	};
	const lines = [t.columns.map((c) => field(c.name)).join(',')];
	for (let r = 0; r < t.rowCount; r++) lines.push(t.columns.map((c) => field(c.values[r])).join(','));
	return lines.join('\n') + '\n';
}

/** Put an export table into DuckDB as table `name` (default t.name), replacing an older one. */
export async function loadTable(db: DuckDbBinding, t: ExportTable, name: string = t.name): Promise<void> {
	const file = `kejimap-load-${name}.csv`;
	await db.registerFileText(file, rawCsv(t));
	try {
		const columns = t.columns.map((c) => `${literal(c.name)}: ${literal(SQL_TYPE[c.type])}`).join(', ');
		await withConnection(db, async (c) =>
			c.query(`CREATE OR REPLACE TABLE ${ident(name)} AS SELECT * FROM read_csv(${literal(file)}, header = true, quote = '"', escape = '"', nullstr = '', columns = {${columns}})`)
		);
	} finally {
		await db.dropFile(file);
	}
}

/**
 * A read-only query for the SQL panel: one statement, run as a subquery (only a SELECT-like statement can be one,
 * so CREATE, INSERT, COPY, ATTACH, SET ... are refused by DuckDB's own parser), at most `limit` rows.
 */
export async function readOnlyQuery(db: DuckDbBinding, sql: string, limit = 1000): Promise<QueryRows & { truncated: boolean }> {
	const body = sql.trim().replace(/;\s*$/, '');
	if (!body) throw new KejimapError('BAD_ARGUMENT', 'the query is empty', { field: 'sql' });
	if (body.includes(';')) throw new KejimapError('BAD_ARGUMENT', 'one statement at a time (the query has a ";" inside)', { field: 'sql' });
	const r = await withConnection(db, async (c) => {
		try {
			return await queryRows(c, `SELECT * FROM (${body}\n) AS q LIMIT ${Math.max(0, Math.floor(limit)) + 1}`);
		} catch (e) {
			throw new KejimapError('BAD_ARGUMENT', `SQL: ${(e as Error).message.split('\n')[0]} (only read-only queries over the loaded tables are allowed)`, { field: 'sql' });
		}
	});
	const truncated = r.rows.length > limit;
	return { columns: r.columns, rows: truncated ? r.rows.slice(0, limit) : r.rows, truncated };
}

/**
 * Robust delimited-text reading for importers (kj-import): DuckDB sniffs the delimiter, quoting and header, every
 * value comes back as text (nothing is guessed into numbers). `bytes` must be UTF-8 (decode GBK first).
 */
export async function readDelimitedText(db: DuckDbBinding, text: string, file: string): Promise<{ file: string; header: string[]; rows: Record<string, string>[] }> {
	const name = `kejimap-read-${Math.random().toString(36).slice(2)}.csv`;
	await db.registerFileText(name, text.replace(/^\ufeff/, ''));
	try {
		const r = await withConnection(db, async (c) => {
			try {
				return await queryRows(c, `SELECT * FROM read_csv(${literal(name)}, all_varchar = true, header = true, null_padding = true)`);
			} catch (e) {
				throw new KejimapError('FILE_MALFORMED', `${file}: ${(e as Error).message.split('\n')[0]}`, { file });
			}
		});
		const rows = r.rows.map((row) => {
			const o: Record<string, string> = {};
			for (const k of r.columns) o[k] = row[k] === null ? '' : String(row[k]);
			return o;
		});
		return { file, header: r.columns, rows };
	} finally {
		await db.dropFile(name);
	}
}

/**
 * Join a user's table (villages, streets: `table`) to the areas or cells table on a code column, or on a name
 * column when codes are missing: returns the user's rows with the matched key and a `matched` flag, so unmatched
 * rows can be reported by row, never dropped silently.
 */
export async function joinByCodeOrName(
	db: DuckDbBinding,
	opts: { table: string; target: string; userCode?: string; userName?: string; targetCode: string; targetName: string }
): Promise<QueryRows> {
	const { table, target, userCode, userName, targetCode, targetName } = opts;
	if (!userCode && !userName) throw new KejimapError('BAD_ARGUMENT', 'join needs a code or a name column of the user table', { field: 'join' });
	const conds: string[] = [];
	if (userCode) conds.push(`trim(CAST(u.${ident(userCode)} AS VARCHAR)) = trim(CAST(t.${ident(targetCode)} AS VARCHAR))`);
	if (userName) conds.push(`${userCode ? `(u.${ident(userCode)} IS NULL OR trim(CAST(u.${ident(userCode)} AS VARCHAR)) = '') AND ` : ''}trim(u.${ident(userName)}) = trim(t.${ident(targetName)})`);
	return withConnection(db, (c) =>
		queryRows(
			c,
			`SELECT u.*, t.${ident(targetCode)} AS matched_code, t.${ident(targetName)} AS matched_name, t.${ident(targetCode)} IS NOT NULL AS matched
			 FROM (SELECT *, row_number() OVER () AS row_number FROM ${ident(table)}) u
			 LEFT JOIN ${ident(target)} t ON (${conds.map((s) => `(${s})`).join(' OR ')})
			 ORDER BY u.row_number`
		)
	);
}
