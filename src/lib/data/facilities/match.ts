/**
 * Match an official list of facilities (e.g. Shanghai's 246 community health service centres) against the
 * de-duplicated POIs. Four passes, each one-to-one and greedy by distance (nearest pairs first):
 *   1. "name": same core name (place name without 上海市/district prefix, affiliation and 社区卫生服务中心) in the same district;
 *   2. "name-contains": one core contains the other (半淞园路 / 半淞园), same district, within 2 km;
 *   3. "proximity": a POI within 300 m whose core name is similar (character-bigram Dice >= 0.34, or containment);
 *   4. "colocated": a centre-level POI within 100 m whatever its name (the same building under an old name).
 * A centre is looked for among centre-level POIs (chc, chc_branch, township); a hospital in the list among hospitals.
 */
import KDBush from 'kdbush';
import { haversineM, metresPerDegree } from '../../engine/geo/measure';
import type { FacilityLevel } from '../../engine/types';
import { normalizeName } from './classify';
import { nameStem } from './merge';

/** "浦东新区" / "浦东" / "黄浦区" / "黄浦" -> "浦东" / "黄浦": official lists and Amap spell districts differently. */
export function districtKey(d: string | undefined | null): string {
	if (!d) return '';
	return normalizeName(d).replace(/^上海市?/, '').replace(/(新区|区|县|市)$/, '');
}

const SUFFIX_RE = /(社区卫生服务中心|社区卫生中心|卫生服务中心|社区卫生服务站|卫生服务站|卫生院|医院)$/;
const CENTRE_WORD_RE = /社区卫生服务中心|社区卫生中心|卫生服务中心|卫生院/;

function coreOf(stem: string, district?: string): string {
	let s = stem.replace(/^上海市?/, '');
	const dk = districtKey(district);
	// only "嘉定区…": a bare "嘉定" may be the place itself (嘉定镇街道, 金山卫镇)
	if (dk.length >= 2) s = s.replace(new RegExp(`^${dk}(新区|区|县)`), '');
	// university / hospital affiliation prefixes: "同济大学医学院附属大桥社区卫生服务中心"
	s = s.replace(/^.*(附属|医学院|医科大学)/, '');
	s = s.replace(SUFFIX_RE, '');
	for (let k = 0; k < 3; k++) s = s.replace(/(街道|镇|乡|社区)$/, '');
	return s;
}

/** Place core of a facility name: "上海市黄浦区半淞园街道社区卫生服务中心(门诊部)" -> "半淞园". */
export function coreName(name: string, district?: string): string {
	return coreOf(nameStem(name).stem, district);
}

/**
 * Cores of a name and of any alias in brackets that is itself a centre's name:
 * "江桥镇社区卫生服务中心（金沙新城社区卫生服务中心）" -> ["江桥", "金沙新城"].
 */
export function coreNames(name: string, district?: string): string[] {
	const out = [coreName(name, district)];
	for (const m of normalizeName(name).matchAll(/\(([^)]*)\)/g)) if (CENTRE_WORD_RE.test(m[1])) out.push(coreOf(m[1], district));
	return [...new Set(out.filter((c) => c.length > 0))];
}

function bigrams(s: string): string[] {
	if (s.length < 2) return s.length ? [s] : [];
	const out: string[] = [];
	for (let i = 0; i < s.length - 1; i++) out.push(s.slice(i, i + 2));
	return out;
}

/** Dice coefficient of character bigrams, 0..1. */
export function nameSimilarity(a: string, b: string): number {
	const A = bigrams(a);
	const B = bigrams(b);
	if (A.length === 0 || B.length === 0) return 0;
	const counts = new Map<string, number>();
	for (const x of A) counts.set(x, (counts.get(x) ?? 0) + 1);
	let common = 0;
	for (const x of B) {
		const c = counts.get(x) ?? 0;
		if (c > 0) {
			common++;
			counts.set(x, c - 1);
		}
	}
	return (2 * common) / (A.length + B.length);
}

export interface OfficialEntry {
	name: string;
	district?: string;
	/** one or more addresses of the same centre (a list may give two rows for one centre) */
	locations: [number, number][];
}

export interface MatchCandidate {
	name: string;
	level: FacilityLevel;
	lon: number;
	lat: number;
	district?: string;
}

export type MatchMethod = 'name' | 'name-contains' | 'proximity' | 'colocated';

export interface OfficialMatch {
	official: number;
	candidate: number;
	method: MatchMethod;
	distanceM: number;
	similarity: number;
}

export interface MatchOptions {
	/** proximity pass radius, metres (default 300) */
	radiusM?: number;
	/** minimum core-name similarity in the proximity pass unless one core contains the other (default 0.34) */
	minSimilarity?: number;
	/** name-contains matches farther than this are rejected (default 2000 m): 徐泾北大居 is not 徐泾镇 */
	containsMaxM?: number;
	/** any-name match for centre-level POIs this close: the same building under an old name (default 100 m) */
	colocatedM?: number;
}

/** Levels a centre in an official list can be found as. Hospitals only match official names that are hospitals. */
const CENTRE_LEVELS: ReadonlySet<FacilityLevel> = new Set(['chc', 'chc_branch', 'township']);
const isHospitalName = (name: string) => /医院$/.test(nameStem(name).stem);

function minDistance(o: OfficialEntry, c: MatchCandidate): number {
	let best = Infinity;
	for (const [lon, lat] of o.locations) best = Math.min(best, haversineM(lon, lat, c.lon, c.lat));
	return best;
}

export function matchOfficial(official: readonly OfficialEntry[], candidates: readonly MatchCandidate[], opts: MatchOptions = {}): OfficialMatch[] {
	const radiusM = opts.radiusM ?? 300;
	const minSim = opts.minSimilarity ?? 0.34;
	const containsMaxM = opts.containsMaxM ?? 2000;
	const colocatedM = opts.colocatedM ?? 100;
	const oCores = official.map((o) => coreNames(o.name, o.district));
	const oDist = official.map((o) => districtKey(o.district));
	const oHosp = official.map((o) => isHospitalName(o.name));
	const cCores = candidates.map((c) => coreNames(c.name, c.district));
	const cDist = candidates.map((c) => districtKey(c.district));
	const usedO = new Uint8Array(official.length);
	const usedC = new Uint8Array(candidates.length);
	const out: OfficialMatch[] = [];

	const assign = (pairs: OfficialMatch[]) => {
		pairs.sort((a, b) => a.distanceM - b.distanceM || a.official - b.official || a.candidate - b.candidate);
		for (const p of pairs) {
			if (usedO[p.official] || usedC[p.candidate]) continue;
			usedO[p.official] = 1;
			usedC[p.candidate] = 1;
			out.push(p);
		}
	};
	const sameDistrict = (i: number, j: number) => !oDist[i] || !cDist[j] || oDist[i] === cDist[j];
	/** a centre is looked for among centre levels, a hospital among hospitals */
	const kindOk = (i: number, j: number) => (oHosp[i] ? candidates[j].level === 'hospital' : CENTRE_LEVELS.has(candidates[j].level));
	const contains = (a: string[], b: string[]) => a.some((x) => x.length >= 2 && b.some((y) => y.length >= 2 && (x.includes(y) || y.includes(x))));
	const bestSim = (a: string[], b: string[]) => Math.max(0, ...a.flatMap((x) => b.map((y) => nameSimilarity(x, y))));

	// pass 1: same core name in the same district (any distance: centres move, geocoders err; far ones are reported)
	const byCore = new Map<string, number[]>();
	cCores.forEach((cores, j) => {
		for (const c of cores) {
			const list = byCore.get(c);
			if (list) list.push(j);
			else byCore.set(c, [j]);
		}
	});
	const exact: OfficialMatch[] = [];
	official.forEach((o, i) => {
		const seen = new Set<number>();
		for (const core of oCores[i])
			for (const j of byCore.get(core) ?? [])
				if (!seen.has(j) && kindOk(i, j) && sameDistrict(i, j)) {
					seen.add(j);
					exact.push({ official: i, candidate: j, method: 'name', distanceM: minDistance(o, candidates[j]), similarity: 1 });
				}
	});
	assign(exact);

	// pass 2: one core contains the other, same district, within containsMaxM
	const containing: OfficialMatch[] = [];
	official.forEach((o, i) => {
		if (usedO[i]) return;
		candidates.forEach((c, j) => {
			if (usedC[j] || !kindOk(i, j) || !sameDistrict(i, j) || !contains(oCores[i], cCores[j])) return;
			const d = minDistance(o, c);
			if (d <= containsMaxM) containing.push({ official: i, candidate: j, method: 'name-contains', distanceM: d, similarity: bestSim(oCores[i], cCores[j]) });
		});
	});
	assign(containing);

	// pass 3 and 4: near POIs (kdbush in a local metric plane)
	const pool = candidates.map((_, j) => j).filter((j) => !usedC[j]);
	if (pool.length === 0) return out.sort((a, b) => a.official - b.official);
	const { mPerDegLon, mPerDegLat } = metresPerDegree(candidates[pool[0]].lat);
	const index = new KDBush(pool.length);
	for (const j of pool) index.add(candidates[j].lon * mPerDegLon, candidates[j].lat * mPerDegLat);
	index.finish();
	const near = (maxM: number, accept: (i: number, j: number) => number | null, method: MatchMethod) => {
		const pairs: OfficialMatch[] = [];
		official.forEach((o, i) => {
			if (usedO[i]) return;
			for (const [lon, lat] of o.locations)
				for (const k of index.within(lon * mPerDegLon, lat * mPerDegLat, maxM * 1.05 + 5)) {
					const j = pool[k];
					if (usedC[j] || !kindOk(i, j)) continue;
					const d = haversineM(lon, lat, candidates[j].lon, candidates[j].lat);
					const sim = d <= maxM ? accept(i, j) : null;
					if (sim !== null) pairs.push({ official: i, candidate: j, method, distanceM: d, similarity: sim });
				}
		});
		assign(pairs);
	};
	// 3: within radiusM with a similar name (马桥 / 马桥社区卫生服务中心景城分中心)
	near(radiusM, (i, j) => {
		const sim = bestSim(oCores[i], cCores[j]);
		return sim >= minSim || contains(oCores[i], cCores[j]) ? sim : null;
	}, 'proximity');
	// 4: a centre-level POI in the same spot under another name (金山工业区 -> 湾区高新区; 芦潮港 -> 南汇新城)
	near(colocatedM, (i, j) => (candidates[j].level === 'chc' || candidates[j].level === 'township' ? bestSim(oCores[i], cCores[j]) : null), 'colocated');
	return out.sort((a, b) => a.official - b.official);
}
