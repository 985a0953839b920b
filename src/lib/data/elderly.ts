/**
 * Elderly inputs of planning (pure: text in, rows out): the elderly care homes of a region (points with beds,
 * converted to WGS84) and the 60+ share per area from a census age table. A bad row is reported and skipped;
 * the accepted rows still load. Manifest block `elderly` (docs/region-manifest.md).
 */
import { KejimapError } from '../engine/errors';
import { toWgs84 } from '../engine/geo/crs';
import type { BuiltElderly } from '../engine/built-region';
import type { AgeShareSource, CareHomeSource, ElderlySources } from '../engine/region';
import type { CareHome } from '../engine/allocation/elderly';
import { parseCsv, readPointsCsv, requireColumns } from './csv';
import type { FileSource } from './pipeline/file-source';

export interface CareHomeReport {
	rows: number;
	kept: number;
	invalid: number;
	invalidSample: string[];
	beds: number;
}

/** Care homes from a CSV (name, lon, lat, beds; district optional), in the source's CRS, converted to WGS84. */
export function readCareHomes(text: string, src: Pick<CareHomeSource, 'crs' | 'fields'>, file: string): { homes: CareHome[]; report: CareHomeReport } {
	const invalid: string[] = [];
	const onInvalid = (e: KejimapError) => invalid.push(e.message);
	const f = src.fields;
	const rows = readPointsCsv(text, { lon: f.lon, lat: f.lat, name: f.name, beds: f.beds, district: f.district }, file, { onInvalid });
	const homes: CareHome[] = [];
	for (const r of rows) {
		const bedsText = (r.values[f.beds] ?? '').trim();
		const beds = Number(bedsText);
		if (bedsText === '' || !Number.isFinite(beds) || beds < 0) {
			invalid.push(`${file}: row ${r.row}: field "${f.beds}" must be a number of beds >= 0 (got ${JSON.stringify(bedsText)})`);
			continue;
		}
		const [lon, lat] = toWgs84(r.lon, r.lat, src.crs);
		homes.push({ id: `h${r.row - 1}`, name: r.values[f.name] ?? '', district: f.district ? r.values[f.district] : undefined, beds, lon, lat, row: r.row });
	}
	// most rows bad = a wrong field mapping, not a few bad rows: say so rather than load a sliver
	if (invalid.length * 2 > homes.length + invalid.length)
		throw new KejimapError('COORD_INVALID', `${invalid[0]} (${invalid.length} of ${homes.length + invalid.length} rows invalid: check the field mapping and crs)`, { file });
	return {
		homes,
		report: { rows: homes.length + invalid.length, kept: homes.length, invalid: invalid.length, invalidSample: invalid.slice(0, 10), beds: homes.reduce((s, h) => s + h.beds, 0) }
	};
}

/**
 * Share of the population aged 60+ per area (area order), summed over `shareFields` (e.g. AGES_60-64 +
 * AGES_65P of the 2020 census tables). An area without a row is an error naming the code.
 */
export function readAgeShares(text: string, src: Pick<AgeShareSource, 'codeField' | 'shareFields' | 'codeOf'>, areaIds: readonly string[], file: string): Float64Array {
	const table = parseCsv(text, file);
	requireColumns(table.header, [src.codeField, ...src.shareFields], file);
	// only the rows of the region's areas are read: a national table has bad rows elsewhere (#DIV/0!)
	const rowOf = new Map<string, number>();
	table.rows.forEach((r, i) => {
		const code = (r[src.codeField] ?? '').trim();
		if (code && !rowOf.has(code)) rowOf.set(code, i);
	});
	const byCode = new Map<string, number>();
	for (const id of areaIds) {
		const code = src.codeOf?.[id] ?? id;
		const i = rowOf.get(code);
		if (i === undefined) continue;
		let share = 0;
		for (const k of src.shareFields) {
			const r = table.rows[i];
			const v = Number((r[k] ?? '').trim());
			if (!Number.isFinite(v) || v < 0 || v > 1)
				throw new KejimapError('FILE_MALFORMED', `${file}: row ${i + 2}: field "${k}" must be a share 0..1 (got ${JSON.stringify(r[k])})`, { file, row: i + 2, field: k });
			share += v;
		}
		byCode.set(code, share);
	}
	return Float64Array.from(areaIds, (id) => {
		const code = src.codeOf?.[id] ?? id;
		const s = byCode.get(code);
		if (s === undefined) throw new KejimapError('FIELD_MISSING', `${file}: no row with ${src.codeField} = ${code} (area ${id})`, { file, field: src.codeField });
		return s;
	});
}

/** The pipeline's elderly stage: read the manifest's `elderly` files into BuiltElderly (data/build/<id>/elderly.json). */
export async function buildElderly(
	src: ElderlySources,
	files: FileSource,
	areaIds: string[],
	/** a region cut out of a city (its manifest bbox) keeps the homes inside the box (the rest are counted) */
	bbox?: [number, number, number, number]
): Promise<{ data: BuiltElderly; report: { careHomes: CareHomeReport | null; ageShares: number | null; homesOutsideBbox?: number } }> {
	const homes = src.careHomes ? readCareHomes(await files.text(src.careHomes.path, 'elderly care homes', src.careHomes.encoding), src.careHomes, files.label(src.careHomes.path)) : null;
	let homesOutsideBbox: number | undefined;
	if (homes && bbox) {
		const inside = homes.homes.filter((h) => h.lon >= bbox[0] && h.lon <= bbox[2] && h.lat >= bbox[1] && h.lat <= bbox[3]);
		homesOutsideBbox = homes.homes.length - inside.length;
		homes.homes = inside;
	}
	const shares = src.ages ? [...readAgeShares(await files.text(src.ages.path, 'census age table', src.ages.encoding), src.ages, areaIds, files.label(src.ages.path))] : null;
	return {
		data: { careHomes: homes?.homes ?? null, careHomesLabel: src.careHomes?.label ?? null, ageShareByArea: shares, agesLabel: src.ages?.label ?? null },
		report: { careHomes: homes?.report ?? null, ageShares: shares?.length ?? null, ...(homesOutsideBbox !== undefined ? { homesOutsideBbox } : {}) }
	};
}
