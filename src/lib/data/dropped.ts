/**
 * Rows the pipeline left out, read back from a built region's reports, so every output (CLI table, --json,
 * the app) says how many rows of which file were dropped and why, not only the first build's log.
 * Rows left out on purpose by a manifest filter (`where`, typeIncludes) are not "dropped".
 */
import type { FacilityReport } from './facilities/assemble';
import type { PopulationReport } from './population/build';

export type DropReason = 'invalid-coordinates' | 'outside-bbox' | 'outside-areas' | 'invalid-pixels';

export interface DroppedRows {
	/** facility source id, weight label, or "population raster" */
	source: string;
	reason: DropReason;
	count: number;
	/** the first row's message, e.g. "row 12: latitude 121.5 is outside -90..90 — are longitude and latitude swapped?" */
	example?: string;
}

const REASON_TEXT: Record<DropReason, { zh: string; en: string }> = {
	'invalid-coordinates': { zh: '坐标无效', en: 'invalid coordinates' },
	'outside-bbox': { zh: '在研究范围外', en: 'outside the region box' },
	'outside-areas': { zh: '不在任何地区内', en: 'outside every area' },
	'invalid-pixels': { zh: '像元值无效', en: 'invalid pixel values' }
};

export function dropReasonText(r: DropReason): { zh: string; en: string } {
	return REASON_TEXT[r];
}

export function droppedRows(reports: Record<string, unknown> | undefined): DroppedRows[] {
	const out: DroppedRows[] = [];
	const add = (source: string, reason: DropReason, count: number | undefined, example?: string) => {
		if (count && count > 0) out.push({ source, reason, count, ...(example ? { example } : {}) });
	};
	const fac = reports?.facilities as FacilityReport | undefined;
	for (const s of fac?.sources ?? []) {
		add(s.id, 'invalid-coordinates', s.invalid, s.invalidSample?.[0]);
		add(s.id, 'outside-bbox', s.droppedOutsideBbox);
		add(s.id, 'outside-areas', s.droppedOutsideAreas);
	}
	const pop = reports?.population as PopulationReport | undefined;
	for (const w of pop?.weights ?? []) add(w.label, 'invalid-coordinates', w.invalid, w.invalidSample?.[0]);
	add('population weights', 'outside-areas', pop?.spread?.weightPointsOutsideAreas);
	add('population raster', 'invalid-pixels', pop?.raster?.invalidPixels);
	return out;
}

/** One line per entry, bilingual, for the CLI. */
export function droppedLine(d: DroppedRows): string {
	const t = REASON_TEXT[d.reason];
	return `${d.source}: ${d.count} 行${t.zh} rows ${t.en}${d.example ? ` (e.g. ${d.example})` : ''}`;
}

/** Sources whose encoding was guessed (not UTF-8): say so on every output, as with dropped rows. */
export function guessedEncodings(reports: Record<string, unknown> | undefined): { source: string; encoding: string }[] {
	const out: { source: string; encoding: string }[] = [];
	const fac = reports?.facilities as FacilityReport | undefined;
	for (const s of fac?.sources ?? []) if (s.encodingGuessed) out.push({ source: s.id, encoding: s.encodingGuessed });
	const pop = reports?.population as PopulationReport | undefined;
	if (pop?.census?.encodingGuessed) out.push({ source: pop.census.file, encoding: pop.census.encodingGuessed });
	for (const w of pop?.weights ?? []) if (w.encodingGuessed) out.push({ source: w.label, encoding: w.encodingGuessed });
	return out;
}
