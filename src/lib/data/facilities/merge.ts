/**
 * De-duplicate facilities: POIs with the same name stem within ~150 m are one facility.
 * Amap lists one centre as several POIs (the centre, its 门诊部, 住院部, gates, buildings, an old name in brackets);
 * the stem strips those parts so they meet. Branches (分中心/分院), stations and village clinics keep their own
 * stems, so they stay separate from their centre; the 150 m limit keeps a satellite site elsewhere separate too.
 */
import { haversineM, metresPerDegree } from '../../engine/geo/measure';
import { FACILITY_LEVELS, type FacilityLevel } from '../../engine/types';
import { normalizeName } from './classify';

/** Words that end a facility's own name; whatever follows is a part of it (or a separate site, see below). */
const HEAD_RE = /社区卫生服务中心|社区卫生中心|卫生服务中心|社区卫生服务站|卫生服务站|社区卫生站|卫生站|卫生院|保健院|医院|卫生室|分中心|分院/g;
/** A tail naming another site (branch, station, clinic) is not a part: keep it in the stem. */
const SEPARATE_SITE_RE = /分中心|分院|分部|院区|服务站|卫生站|服务点|卫生室|卫生所|医务室/;

export interface NameStem {
	stem: string;
	/** true when a part's suffix (门诊部, 住院部, 3号楼, -急诊, (东门) ...) was removed: the POI is a part of a facility */
	subPoi: boolean;
}

/**
 * Name stem for merging: brackets and their content removed, the 上海市 / district prefix removed, and a trailing
 * part (department, building, gate, 门诊部, 执业点 ...) after the facility's own name removed.
 * E.g. "上海市黄浦区外滩街道社区卫生服务中心(门诊部)" and "外滩街道社区卫生服务中心-预防接种门诊" -> "外滩街道社区卫生服务中心".
 */
export function nameStem(name: string, district?: string): NameStem {
	let s = normalizeName(name);
	const hadBracket = /\([^)]*\)?/.test(s);
	s = s.replace(/\([^)]*\)?/g, '').replace(/^上海市?/, '');
	if (district) {
		// "黄浦区半淞园…": drop the district only when written with 区/县 (a bare "嘉定" may be the place: 嘉定镇街道)
		const short = normalizeName(district).replace(/^上海市?/, '').replace(/(新区|区|县)$/, '');
		if (short.length >= 2) s = s.replace(new RegExp(`^${short}(新区|区|县)`), '');
	}
	let end = -1;
	for (const m of s.matchAll(HEAD_RE)) end = (m.index ?? 0) + m[0].length;
	let subPoi = false;
	if (end > 0 && end < s.length) {
		const tail = s.slice(end);
		if (!SEPARATE_SITE_RE.test(tail)) {
			s = s.slice(0, end);
			subPoi = true;
		}
	}
	// a bare gate or entrance without a facility word
	const gate = s.replace(/-?[东西南北正]?(门|侧门|出入口|停车场)$/, '');
	if (gate !== s && gate.length >= 2) {
		s = gate;
		subPoi = true;
	}
	s = s.replace(/-+$/, '');
	// "X(门诊部)" with nothing else changed is also a part
	if (!subPoi && hadBracket && /\((门诊|住院|急诊|.*楼|.*门|第.*执业点|执业点)/.test(normalizeName(name))) subPoi = true;
	return { stem: s, subPoi };
}

export interface Mergeable {
	name: string;
	level: FacilityLevel;
	lon: number;
	lat: number;
	district?: string;
}

export interface MergeGroup {
	/** index of the POI whose name and position the facility keeps */
	keep: number;
	/** the other members, with their distance to the kept POI */
	merged: { index: number; distanceM: number }[];
	/** highest level among the members */
	level: FacilityLevel;
}

const levelRank = (l: FacilityLevel) => FACILITY_LEVELS.indexOf(l);

/**
 * Group POIs with the same stem within radiusM (transitively: a campus of buildings chains together).
 * The kept POI is, in order: not a part (subPoi false), the highest level, no brackets, the shortest name,
 * then the first in input order. Returns one group per facility, in the order of their kept POI.
 */
export function mergeFacilities(items: readonly Mergeable[], radiusM = 150): MergeGroup[] {
	const n = items.length;
	if (n === 0) return [];
	const stemCache = new Map<string, NameStem>();
	const stems = items.map((it) => {
		const key = `${it.name}\u0000${it.district ?? ''}`;
		let st = stemCache.get(key);
		if (!st) stemCache.set(key, (st = nameStem(it.name, it.district)));
		return st;
	});
	let latSum = 0;
	for (const it of items) latSum += it.lat;
	const { mPerDegLon, mPerDegLat } = metresPerDegree(latSum / n);
	const xs = Float64Array.from(items, (it) => it.lon * mPerDegLon);
	const ys = Float64Array.from(items, (it) => it.lat * mPerDegLat);

	const parent = new Int32Array(n);
	for (let i = 0; i < n; i++) parent[i] = i;
	const find = (i: number): number => {
		while (parent[i] !== i) {
			parent[i] = parent[parent[i]];
			i = parent[i];
		}
		return i;
	};
	const union = (i: number, j: number) => {
		const ri = find(i);
		const rj = find(j);
		if (ri !== rj) parent[Math.max(ri, rj)] = Math.min(ri, rj);
	};
	// The link rule: same non-empty stem, within searchM in the plane (a slightly wider search) and radiusM on the
	// sphere; groups are its transitive closure. Linking only what is not yet linked gives the same groups in
	// O(n log n) even when a file repeats one POI thousands of times (the pairwise search took minutes).
	const searchM = radiusM * 1.01 + 1;
	const linked = (i: number, j: number) =>
		Math.hypot(xs[i] - xs[j], ys[i] - ys[j]) <= searchM && haversineM(items[i].lon, items[i].lat, items[j].lon, items[j].lat) <= radiusM;
	// grid of side searchM / 2: a pair within searchM lies at most 2 cells apart
	const g = searchM / 2;
	const byStem = new Map<string, number[]>();
	for (let i = 0; i < n; i++) {
		const st = stems[i].stem;
		if (st.length === 0) continue;
		const list = byStem.get(st);
		if (list) list.push(i);
		else byStem.set(st, [i]);
	}
	for (const list of byStem.values()) {
		if (list.length === 1) continue;
		/** per grid cell: one index per distinct position (duplicates are linked to it at once) */
		const cells = new Map<string, { cx: number; cy: number; reps: number[] }>();
		const repOf = new Map<string, number>();
		for (const i of list) {
			const pos = `${items[i].lon},${items[i].lat}`;
			const rep = repOf.get(pos);
			if (rep !== undefined) {
				union(rep, i); // the same point: distance 0
				continue;
			}
			repOf.set(pos, i);
			const cx = Math.floor(xs[i] / g);
			const cy = Math.floor(ys[i] / g);
			const key = `${cx},${cy}`;
			const c = cells.get(key);
			if (c) c.reps.push(i);
			else cells.set(key, { cx, cy, reps: [i] });
		}
		// cell-mates near the cell's first point join it at once, so the pair loop below mostly finds them linked
		for (const c of cells.values()) for (let q = 1; q < c.reps.length; q++) if (linked(c.reps[0], c.reps[q])) union(c.reps[0], c.reps[q]);
		for (const a of cells.values())
			for (let dx = -2; dx <= 2; dx++)
				for (let dy = -2; dy <= 2; dy++) {
					const b = cells.get(`${a.cx + dx},${a.cy + dy}`);
					if (!b || dx < 0 || (dx === 0 && dy < 0)) continue; // each pair of cells once
					const same = a === b;
					for (let p = 0; p < a.reps.length; p++)
						for (let q = same ? p + 1 : 0; q < b.reps.length; q++) {
							const i = a.reps[p];
							const j = b.reps[q];
							if (find(i) !== find(j) && linked(i, j)) union(i, j);
						}
				}
	}

	const members = new Map<number, number[]>();
	for (let i = 0; i < n; i++) {
		const r = find(i);
		const list = members.get(r);
		if (list) list.push(i);
		else members.set(r, [i]);
	}
	const better = (i: number, j: number): boolean => {
		const a = items[i];
		const b = items[j];
		if (stems[i].subPoi !== stems[j].subPoi) return !stems[i].subPoi;
		if (a.level !== b.level) return levelRank(a.level) < levelRank(b.level);
		const ba = /[(（]/.test(a.name);
		const bb = /[(（]/.test(b.name);
		if (ba !== bb) return !ba;
		if (a.name.length !== b.name.length) return a.name.length < b.name.length;
		return i < j;
	};
	const groups: MergeGroup[] = [];
	for (const list of members.values()) {
		let keep = list[0];
		let level = items[keep].level;
		for (const i of list) {
			if (better(i, keep)) keep = i;
			if (levelRank(items[i].level) < levelRank(level)) level = items[i].level;
		}
		const k = items[keep];
		const merged = list.filter((i) => i !== keep).map((i) => ({ index: i, distanceM: haversineM(k.lon, k.lat, items[i].lon, items[i].lat) }));
		groups.push({ keep, merged, level });
	}
	groups.sort((a, b) => a.keep - b.keep);
	return groups;
}
