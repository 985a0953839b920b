/**
 * Readers for `npm run plan -- --demand --candidates --matrix` (pure: text in, rows out; errors name the file,
 * row and field). Demand points: id, lon, lat, population. Candidate sites: id, lon, lat. Travel-time matrix,
 * long (demand_id, candidate_id, minutes) or wide (first column the demand id, one column per candidate id;
 * an empty cell = not reachable).
 */
import { KejimapError } from '../engine/errors';
import type { MatrixEntry } from '../engine/allocation/matrix-instance';
import { parseCsv, readPointsCsv, requireColumns } from './csv';

export interface DemandPoint {
	id: string;
	lon: number;
	lat: number;
	weight: number;
}

function idOf(values: Record<string, string>, field: string, file: string, row: number): string {
	const id = (values[field] ?? '').trim();
	if (!id) throw new KejimapError('FIELD_MISSING', `${file}: row ${row}: "${field}" is empty`, { file, row, field });
	return id;
}

function uniqueIds(ids: string[], file: string): void {
	const seen = new Map<string, number>();
	ids.forEach((id, i) => {
		if (seen.has(id)) throw new KejimapError('FILE_MALFORMED', `${file}: row ${i + 2}: id "${id}" repeats row ${seen.get(id)! + 2}`, { file, row: i + 2, field: 'id' });
		seen.set(id, i);
	});
}

export function readDemandCsv(text: string, file: string): DemandPoint[] {
	const rows = readPointsCsv(text, { lon: 'lon', lat: 'lat', id: 'id', population: 'population' }, file);
	const out = rows.map((r) => {
		const p = Number((r.values.population ?? '').trim());
		if (!(p >= 0) || !Number.isFinite(p) || r.values.population.trim() === '')
			throw new KejimapError('FILE_MALFORMED', `${file}: row ${r.row}: population "${r.values.population}" must be a number >= 0`, { file, row: r.row, field: 'population' });
		return { id: idOf(r.values, 'id', file, r.row), lon: r.lon, lat: r.lat, weight: p };
	});
	uniqueIds(
		out.map((d) => d.id),
		file
	);
	return out;
}

export function readSitesCsv(text: string, file: string): { id: string; lon: number; lat: number }[] {
	const rows = readPointsCsv(text, { lon: 'lon', lat: 'lat', id: 'id' }, file);
	const out = rows.map((r) => ({ id: idOf(r.values, 'id', file, r.row), lon: r.lon, lat: r.lat }));
	uniqueIds(
		out.map((d) => d.id),
		file
	);
	return out;
}

/** Long or wide matrix; ids must be among the demand and site ids. */
export function readMatrixCsv(text: string, file: string, demandIds: string[], siteIds: string[]): MatrixEntry[] {
	const table = parseCsv(text, file);
	const dIndex = new Map(demandIds.map((id, i) => [id, i]));
	const sIndex = new Map(siteIds.map((id, i) => [id, i]));
	const minutesOf = (v: string, row: number, field: string): number | null => {
		const t = (v ?? '').trim();
		if (t === '') return null;
		const m = Number(t);
		if (!Number.isFinite(m) || m < 0) throw new KejimapError('FILE_MALFORMED', `${file}: row ${row}: "${field}" = "${v}" is not a time in minutes >= 0`, { file, row, field });
		return m;
	};
	const lookup = (map: Map<string, number>, id: string, row: number, field: string, what: string): number => {
		const i = map.get(id);
		if (i === undefined) throw new KejimapError('FILE_MALFORMED', `${file}: row ${row}: ${what} "${id}" is not in the ${what} file`, { file, row, field });
		return i;
	};
	const out: MatrixEntry[] = [];
	const long = table.header.includes('demand_id') && table.header.includes('candidate_id');
	if (long) {
		requireColumns(table.header, ['demand_id', 'candidate_id', 'minutes'], file);
		table.rows.forEach((r, i) => {
			const row = i + 2;
			const m = minutesOf(r.minutes, row, 'minutes');
			if (m === null) return;
			out.push({ demand: lookup(dIndex, idOf(r, 'demand_id', file, row), row, 'demand_id', 'demand point'), candidate: lookup(sIndex, idOf(r, 'candidate_id', file, row), row, 'candidate_id', 'candidate'), minutes: m });
		});
		return out;
	}
	// wide: first column = demand id, the others = candidate ids
	const [first, ...cols] = table.header;
	if (cols.length === 0) throw new KejimapError('FILE_MALFORMED', `${file}: neither long (demand_id, candidate_id, minutes) nor wide (demand id, then one column per candidate)`, { file });
	const colSite = cols.map((c) => lookup(sIndex, c, 1, c, 'candidate'));
	table.rows.forEach((r, i) => {
		const row = i + 2;
		const d = lookup(dIndex, idOf(r, first, file, row), row, first, 'demand point');
		cols.forEach((c, ci) => {
			const m = minutesOf(r[c], row, c);
			if (m !== null) out.push({ demand: d, candidate: colSite[ci], minutes: m });
		});
	});
	return out;
}
