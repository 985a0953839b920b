/** Name search: plain substring matching (Chinese names need no tokenising; Latin letters ignore case). */
import type { Facility } from '../engine/types';

export type SearchHit = { kind: 'facility'; index: number; name: string; detail: string } | { kind: 'area'; index: number; name: string; detail: string };

export function searchByName(
	query: string,
	facilities: readonly Pick<Facility, 'name' | 'address' | 'level'>[],
	areas: readonly { name: string }[],
	limit = 20
): { hits: SearchHit[]; total: number } {
	const q = query.trim().toLowerCase();
	if (!q) return { hits: [], total: 0 };
	const hits: SearchHit[] = [];
	let total = 0;
	// Areas first: there are few, and a district name is the likelier target.
	areas.forEach((a, i) => {
		if (a.name.toLowerCase().includes(q)) {
			total++;
			if (hits.length < limit) hits.push({ kind: 'area', index: i, name: a.name, detail: '' });
		}
	});
	facilities.forEach((f, i) => {
		if (f.name.toLowerCase().includes(q)) {
			total++;
			if (hits.length < limit) hits.push({ kind: 'facility', index: i, name: f.name, detail: f.address ?? '' });
		}
	});
	return { hits, total };
}
