/**
 * The one CSV writer helper: every CSV the product writes (CLI --cells / --facilities, app downloads, reports)
 * goes through csvField, so spreadsheet formula injection cannot pass. OWASP rule: a text cell beginning with
 * =, +, -, @, tab or carriage return is prefixed with a single quote (Excel / WPS then show it as text);
 * finite numbers are written as numbers (a negative number is not a formula).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export type CsvValue = string | number | boolean | null | undefined;

/** One field, neutralised and quoted as RFC 4180 needs. */
export function csvField(v: CsvValue): string {
	if (v === null || v === undefined) return '';
	if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
	if (typeof v === 'boolean') return v ? 'true' : 'false';
	const s = FORMULA_START.test(v) ? `'${v}` : v;
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(values: readonly CsvValue[]): string {
	return values.map(csvField).join(',');
}

/** A whole file: header row + rows, CRLF-free "\n" lines, trailing newline. */
export function csvText(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
	const lines = [csvRow(header)];
	for (const r of rows) lines.push(csvRow(r));
	return lines.join('\n') + '\n';
}
