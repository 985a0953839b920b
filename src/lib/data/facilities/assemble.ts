/**
 * Facilities stage, pure part: source texts in, Facility[] + report out.
 * read (CRS -> WGS84) -> classify -> drop points outside the bbox / every area -> merge same-stem POIs within 150 m
 * -> match official lists (optionally adding the official facilities nothing matched) -> assign areas and stable ids.
 */
import { KejimapError } from '../../engine/errors';
import type { FacilitySource, RegionManifest } from '../../engine/region';
import { FACILITY_LEVELS, type Facility, type FacilityLevel } from '../../engine/types';
import { createAreaLocator, type AreaSet } from '../area-set';
import type { Log } from '../source';
import { classifyAmapPoi } from './classify';
import { districtKey, matchOfficial, type MatchMethod, type OfficialEntry } from './match';
import { mergeFacilities } from './merge';
import { readFacilitySource, type SourceReadReport, type SourceRow } from './sources';

export interface FacilitySourceText {
	source: FacilitySource;
	/** label for messages (the path as written in the manifest) */
	file: string;
	text: string;
	/** set when the text was not UTF-8 and its encoding was guessed (reported with the source) */
	encoding?: string;
}

export interface DroppedPoint {
	source: string;
	name: string;
	lon: number;
	lat: number;
	reason: 'outside-bbox' | 'outside-areas';
}

export interface SourceReport extends SourceReadReport {
	id: string;
	role: FacilitySource['role'];
	/** POIs kept after classification and the location filter */
	kept: number;
	byRule: Record<string, number>;
	excludedByReason: Record<string, number>;
	droppedOutsideBbox: number;
	droppedOutsideAreas: number;
	/** the encoding the file was read with, when it was guessed (not UTF-8, no manifest `encoding`) */
	encodingGuessed?: string;
}

export interface MergeRecord {
	kept: string;
	level: FacilityLevel;
	source: string;
	merged: { name: string; level: FacilityLevel; distanceM: number }[];
}

export interface OfficialReport {
	source: string;
	rows: number;
	/** distinct names outside the study extent (bbox, else the areas): not matched, not counted */
	outOfScope: number;
	/** distinct names in the extent (a centre listed on two rows counts once): the match-rate denominator */
	distinct: number;
	matched: number;
	matchRate: number;
	byMethod: Record<MatchMethod, number>;
	/** median distance between an official facility and the POI it matched, metres */
	medianMatchDistanceM: number | null;
	/** name matches farther apart than 1 km (moved, or a wrong match: check by hand) */
	farMatches: { official: string; facility: string; distanceM: number }[];
	/** POIs of the official list's level (e.g. chc) and how many of them matched an official entry */
	referenceLevel: FacilityLevel | null;
	referenceLevelFacilities: number;
	referenceLevelMatched: number;
	referenceLevelMatchRate: number;
	/** township health centres renamed as the official level after a name match (e.g. 镇卫生院 -> 社区卫生服务中心) */
	relabelled: { from: string; to: string }[];
	unmatched: string[];
	addUnmatched: boolean;
	added: number;
	/** unmatched entries not added: outside the bbox / areas, or in another district than the list says */
	addedDropped: number;
	districtMismatch: { name: string; district: string; area: string }[];
}

export interface FacilityReport {
	sources: SourceReport[];
	/** POIs entering the merge, and facilities after it */
	pois: number;
	facilities: number;
	byLevel: Record<FacilityLevel, number>;
	excludedByReason: Record<string, number>;
	/** keptOutsideAreas: inside the manifest bbox but in no area (kept, areaId null) */
	dropped: { outsideBbox: number; outsideAreas: number; keptOutsideAreas: number; sample: DroppedPoint[] };
	mergeRadiusM: number;
	/** POIs folded into another (sum of merged list lengths) */
	mergedPois: number;
	merges: MergeRecord[];
	official: OfficialReport[];
	/** labelled assumptions among the sources (e.g. "a clinic at every village point") */
	modelledSources: string[];
}

interface Candidate extends SourceRow {
	source: string;
	level: FacilityLevel;
}

const MERGE_RADIUS_M = 150;
const DROP_SAMPLE = 20;
const inc = (o: Record<string, number>, k: string) => (o[k] = (o[k] ?? 0) + 1);
const median = (xs: number[]) => {
	if (xs.length === 0) return null;
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** Code-point order, so ids do not depend on the machine's locale. */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function levelOf(row: SourceRow, src: FacilitySource): { level: FacilityLevel | null; rule: string; excluded?: string } {
	if (row.level && FACILITY_LEVELS.includes(row.level as FacilityLevel)) return { level: row.level as FacilityLevel, rule: 'level-column' };
	if (src.classify === 'amap-name-rules') return classifyAmapPoi(row.name, row.type ?? '');
	return { level: src.classify.fixed, rule: `fixed:${src.classify.fixed}` };
}

export function assembleFacilities(
	manifest: Pick<RegionManifest, 'bbox'>,
	inputs: FacilitySourceText[],
	areas: AreaSet,
	log: Log = () => {}
): { facilities: Facility[]; report: FacilityReport } {
	const locate = createAreaLocator(areas);
	const bbox = manifest.bbox;
	const dropped = { outsideBbox: 0, outsideAreas: 0, keptOutsideAreas: 0, sample: [] as DroppedPoint[] };
	/**
	 * areaIndex (-1 = in the bbox but in no area), or null when the point is dropped (and counted).
	 * With a bbox, the box is the study extent: a clinic just across the area's border (in the box) still serves
	 * the edge cells, so it is kept with areaId null. Without one, a point outside every area is dropped.
	 */
	const place = (source: string, name: string, lon: number, lat: number, sr?: SourceReport): number | null => {
		let reason: DroppedPoint['reason'] | null = null;
		let area = -1;
		if (bbox && (lon < bbox[0] || lon > bbox[2] || lat < bbox[1] || lat > bbox[3])) reason = 'outside-bbox';
		else {
			area = locate(lon, lat);
			if (area < 0 && bbox) {
				dropped.keptOutsideAreas++;
				return -1;
			}
			if (area < 0) reason = 'outside-areas';
		}
		if (!reason) return area;
		if (reason === 'outside-bbox') {
			dropped.outsideBbox++;
			if (sr) sr.droppedOutsideBbox++;
		} else {
			dropped.outsideAreas++;
			if (sr) sr.droppedOutsideAreas++;
		}
		if (dropped.sample.length < DROP_SAMPLE) dropped.sample.push({ source, name, lon, lat, reason });
		return null;
	};

	const sourceReports: SourceReport[] = [];
	const excludedAll: Record<string, number> = {};
	const cands: Candidate[] = [];
	const candArea: number[] = [];
	const officialInputs: { input: FacilitySourceText; rows: SourceRow[]; report: SourceReport }[] = [];

	for (const input of inputs) {
		const src = input.source;
		const { rows, report: rr } = readFacilitySource(input.text, src, input.file);
		const sr: SourceReport = { id: src.id, role: src.role, ...rr, kept: 0, byRule: {}, excludedByReason: {}, droppedOutsideBbox: 0, droppedOutsideAreas: 0 };
		if (input.encoding) {
			sr.encodingGuessed = input.encoding;
			log(`facilities: ${src.id}: ${input.file} is not UTF-8: read as ${input.encoding.toUpperCase()}`);
		}
		sourceReports.push(sr);
		if (rr.invalid > 0) log(`facilities: ${src.id}: ${rr.invalid} row(s) with invalid coordinates skipped, e.g. ${rr.invalidSample[0]}`);
		if (src.role === 'official-reference') {
			officialInputs.push({ input, rows, report: sr });
			continue;
		}
		for (const row of rows) {
			const c = levelOf(row, src);
			inc(sr.byRule, c.rule);
			if (c.level === null) {
				inc(sr.excludedByReason, c.excluded ?? c.rule);
				inc(excludedAll, c.excluded ?? c.rule);
				continue;
			}
			const area = place(src.id, row.name, row.lon, row.lat, sr);
			if (area === null) continue;
			sr.kept++;
			cands.push({ ...row, source: src.id, level: c.level });
			candArea.push(area);
		}
	}

	// A source that yields nothing is a wrong file, mapping or crs, not an empty region: stop and say which.
	for (const sr of sourceReports) {
		if (sr.role !== 'facilities' || sr.kept > 0) continue;
		const input = inputs.find((i) => i.source.id === sr.id)!;
		const why = [
			sr.invalid && `${sr.invalid} with invalid coordinates`,
			sr.filteredOut && `${sr.filteredOut} left out by "where"`,
			Object.keys(sr.excludedByReason).length && `${Object.values(sr.excludedByReason).reduce((a, b) => a + b, 0)} not a facility by the classifier`,
			sr.droppedOutsideBbox && `${sr.droppedOutsideBbox} outside the region's bbox`,
			sr.droppedOutsideAreas && `${sr.droppedOutsideAreas} outside every area`
		].filter(Boolean);
		const far = sr.droppedOutsideBbox + sr.droppedOutsideAreas > 0 ? ' Check its crs and the lon/lat columns (swapped?), or the areas file.' : '';
		throw new KejimapError('FILE_EMPTY', `${input.file}: source "${sr.id}": none of its ${sr.rows} rows is usable (${why.join(', ')}).${far}`, { file: input.file });
	}

	// merge across all facility sources
	const groups = mergeFacilities(cands, MERGE_RADIUS_M);
	const merges: MergeRecord[] = [];
	let mergedPois = 0;
	interface Draft {
		f: Omit<Facility, 'id'>;
		area: number;
	}
	const drafts: Draft[] = groups.map((g) => {
		const k = cands[g.keep];
		if (g.merged.length > 0) {
			mergedPois += g.merged.length;
			merges.push({
				kept: k.name,
				level: g.level,
				source: k.source,
				merged: g.merged.map((m) => ({ name: cands[m.index].name, level: cands[m.index].level, distanceM: Math.round(m.distanceM) }))
			});
		}
		const f: Omit<Facility, 'id'> = { name: k.name, level: g.level, lon: k.lon, lat: k.lat, source: k.source, areaId: null, officialMatch: null };
		if (k.address) f.address = k.address;
		if (k.district) f.district = k.district;
		if (g.merged.length > 0) f.mergedFrom = g.merged.map((m) => cands[m.index].name);
		return { f, area: candArea[g.keep] };
	});
	log(`facilities: ${cands.length} POIs -> ${drafts.length} facilities after merging (${mergedPois} folded within ${MERGE_RADIUS_M} m)`);

	// official lists: match, then optionally add what matched nothing
	const officialReports: OfficialReport[] = [];
	for (const { input, rows, report: sr } of officialInputs) {
		const src = input.source;
		const fixed = src.classify === 'amap-name-rules' ? null : src.classify.fixed;
		const byName = new Map<string, OfficialEntry & { first: SourceRow }>();
		for (const r of rows) {
			const e = byName.get(r.name);
			if (e) e.locations.push([r.lon, r.lat]);
			else byName.set(r.name, { name: r.name, district: r.district, locations: [[r.lon, r.lat]], first: r });
		}
		// only entries inside the study extent count (a district-sized region is matched against its own centres)
		const inScope = (lon: number, lat: number) =>
			bbox ? lon >= bbox[0] && lon <= bbox[2] && lat >= bbox[1] && lat <= bbox[3] : locate(lon, lat) >= 0;
		const allEntries = [...byName.values()];
		const entries = allEntries.filter((e) => e.locations.some(([lon, lat]) => inScope(lon, lat)));
		const pool = drafts.map((d) => d.f);
		const matches = matchOfficial(entries, pool);
		const byMethod: Record<MatchMethod, number> = { name: 0, 'name-contains': 0, proximity: 0, colocated: 0 };
		const relabelled: OfficialReport['relabelled'] = [];
		const farMatches: OfficialReport['farMatches'] = [];
		const matchedO = new Set<number>();
		const matchedC = new Set<number>();
		for (const m of matches) {
			byMethod[m.method]++;
			matchedO.add(m.official);
			matchedC.add(m.candidate);
			const f = drafts[m.candidate].f;
			f.officialMatch = entries[m.official].name;
			// Shanghai renamed its 镇卫生院 as 社区卫生服务中心: a name match with the official list settles the level.
			if (fixed && f.level === 'township' && (m.method === 'name' || m.method === 'name-contains')) {
				relabelled.push({ from: f.name, to: entries[m.official].name });
				f.level = fixed;
			}
			if (m.distanceM > 1000) farMatches.push({ official: entries[m.official].name, facility: f.name, distanceM: Math.round(m.distanceM) });
		}
		const med = median(matches.map((m) => m.distanceM));
		if (med !== null && med > 300)
			log(`facilities: warning: ${src.id} matches lie ${Math.round(med)} m apart (median): is its crs ("${src.crs}") right?`);
		const refLevelIdx = fixed ? drafts.map((d, i) => (d.f.level === fixed ? i : -1)).filter((i) => i >= 0) : [];
		const refMatched = refLevelIdx.filter((i) => matchedC.has(i)).length;
		const unmatched = entries.map((e, i) => (matchedO.has(i) ? null : e)).filter((e): e is NonNullable<typeof e> => e !== null);
		let added = 0;
		let addedDropped = 0;
		const districtMismatch: OfficialReport['districtMismatch'] = [];
		// Check an added point's district against the area holding it, when the areas are districts (names agree
		// with the list's district column): a geocoder can put a centre in the wrong district (嘉定镇街道 -> 枫泾).
		const areaKeys = areas.areas.map((a) => districtKey(a.name));
		const checkDistrict = entries.some((e) => e.district && areaKeys.includes(districtKey(e.district)));
		if (src.addUnmatched && fixed) {
			for (const e of unmatched) {
				const r = e.first;
				const area = place(src.id, r.name, r.lon, r.lat, sr);
				if (area === null) {
					addedDropped++;
					continue;
				}
				if (checkDistrict && r.district && area >= 0 && areaKeys[area] !== districtKey(r.district)) {
					districtMismatch.push({ name: r.name, district: r.district, area: areas.areas[area].name });
					addedDropped++;
					continue;
				}
				const f: Omit<Facility, 'id'> = { name: r.name, level: fixed, lon: r.lon, lat: r.lat, source: src.id, areaId: null, officialMatch: r.name };
				if (r.address) f.address = r.address;
				if (r.district) f.district = r.district;
				drafts.push({ f, area });
				added++;
			}
		}
		sr.kept = added;
		const rep: OfficialReport = {
			source: src.id,
			rows: rows.length,
			outOfScope: allEntries.length - entries.length,
			distinct: entries.length,
			matched: matchedO.size,
			matchRate: entries.length ? matchedO.size / entries.length : 0,
			byMethod,
			medianMatchDistanceM: med === null ? null : Math.round(med),
			farMatches,
			referenceLevel: fixed,
			referenceLevelFacilities: refLevelIdx.length,
			referenceLevelMatched: refMatched,
			referenceLevelMatchRate: refLevelIdx.length ? refMatched / refLevelIdx.length : 0,
			relabelled,
			unmatched: unmatched.map((e) => e.name),
			addUnmatched: !!src.addUnmatched,
			added,
			addedDropped,
			districtMismatch
		};
		officialReports.push(rep);
		log(
			`facilities: ${src.id}: ${rep.matched}/${rep.distinct} official entries matched (${(rep.matchRate * 100).toFixed(1)}%), ` +
				`${refMatched}/${refLevelIdx.length} ${fixed ?? ''} POIs matched; ${added} unmatched entries added`
		);
	}

	// stable ids: level, area, name, position
	const rank = (l: FacilityLevel) => FACILITY_LEVELS.indexOf(l);
	const areaKey = (k: number) => (k < 0 ? Number.MAX_SAFE_INTEGER : k); // outside every area: last
	drafts.sort(
		(a, b) => rank(a.f.level) - rank(b.f.level) || areaKey(a.area) - areaKey(b.area) || cmp(a.f.name, b.f.name) || a.f.lon - b.f.lon || a.f.lat - b.f.lat
	);
	const width = Math.max(5, String(drafts.length).length);
	const facilities: Facility[] = drafts.map((d, i) => ({ id: `f${String(i + 1).padStart(width, '0')}`, ...d.f, areaId: areas.areas[d.area]?.id ?? null }));

	const byLevel = Object.fromEntries(FACILITY_LEVELS.map((l) => [l, 0])) as Record<FacilityLevel, number>;
	for (const f of facilities) byLevel[f.level]++;
	return {
		facilities,
		report: {
			sources: sourceReports,
			pois: cands.length,
			facilities: facilities.length,
			byLevel,
			excludedByReason: excludedAll,
			dropped,
			mergeRadiusM: MERGE_RADIUS_M,
			mergedPois,
			merges,
			official: officialReports,
			modelledSources: inputs.filter((i) => i.source.modelled && i.source.role === 'facilities').map((i) => i.source.id)
		}
	};
}
