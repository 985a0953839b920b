/** The per-area text table of the CLIs (coverage, plan): Chinese characters take two terminal columns. */
import { terminalSafe } from '../../src/lib/data/export/terminal';

export const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function textWidth(t: string): number {
	return [...t].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
}
export const padTo = (t: string, w: number) => t + ' '.repeat(Math.max(0, w - textWidth(t)));
export const padLeft = (t: string, w: number) => ' '.repeat(Math.max(0, w - textWidth(t))) + t;

/** Lines of a table: a name column (terminal-safe) and right-aligned value columns. */
export function tableLines(header: string[], rows: { name: string; values: string[] }[], colW: number[]): string[] {
	const w = Math.max(12, textWidth(header[0]), ...rows.map((r) => textWidth(terminalSafe(r.name))));
	const out = [[padTo(header[0], w), ...header.slice(1).map((c, i) => padLeft(c, colW[i]))].join(' ')];
	for (const r of rows) out.push([padTo(terminalSafe(r.name), w), ...r.values.map((t, i) => padLeft(t, colW[i]))].join(' '));
	return out;
}

export interface AreaFigures {
	population: number;
	covered: number;
	share: number;
	pass: boolean;
	shortfall: number;
	networkShare: number;
}

/** The coverage table: population, covered, share, pass, shortfall, network share. */
export function coverageTableLines(rows: (AreaFigures & { name: string })[], total: AreaFigures): string[] {
	const vals = (r: AreaFigures) => [String(r.population), String(r.covered), pct(r.share), r.population === 0 ? '无人口 none' : r.pass ? '是 yes' : '否 NO', String(r.shortfall), pct(r.networkShare)];
	return tableLines(
		['地区 area', '人口 pop', '可达 covered', '比例 share', '达标 pass', '缺口 shortfall', '路网 network'],
		[...rows.map((r) => ({ name: r.name, values: vals(r) })), { name: '合计 total', values: vals(total) }],
		[11, 12, 10, 9, 14, 12]
	);
}
