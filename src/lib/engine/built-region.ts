/** What the pipeline writes for a region (data/build/<id>/region.json) and what the app, CLI and bench read. */
import * as v from 'valibot';
import type { CareHome } from './allocation/elderly';
import { KejimapError } from './errors';
import { RegionManifestSchema, type Localized, type RegionManifest } from './region';
import { MODES, type CellTable, type Mode } from './types';

export interface BuiltArea {
	id: string;
	name: string;
	/** [west, south, east, north] */
	bbox: [number, number, number, number];
}

export interface BuiltRegion {
	formatVersion: 1;
	id: string;
	name: Localized;
	manifest: RegionManifest;
	inputHash: string;
	builtAt: string;
	bbox: [number, number, number, number];
	files: {
		graphs: Partial<Record<Mode, string>>;
		cells: string;
		facilities: string;
		areas: string;
		/** planning: elderly care homes and 60+ shares (BuiltElderly), when the manifest has `elderly` */
		elderly?: string;
	};
	areas: BuiltArea[];
	areaLevel: Localized;
	hasNetwork: boolean;
	populationMethod: CellTable['populationMethod'];
	populationLabel: Localized;
	/** facility sources that are assumptions, not data (shown as a warning on every output) */
	modelledFacilities: Localized[];
	/** per-stage reports: JSON-able, shown in the CLI and the app's "about this data" */
	reports: Record<string, unknown>;
	/** sizes in bytes of the files, for the download-size figure */
	bytes: Record<string, number>;
}

export interface BuildIndex {
	regions: {
		id: string;
		name: Localized;
		hasNetwork: boolean;
		modes: Mode[];
		populationMethod: CellTable['populationMethod'];
		default?: boolean;
	}[];
}

export const DEFAULT_REGION_ID = 'shanghai';

/** data/build/<id>/elderly.json: the planning inputs of the manifest's `elderly` block, read and converted. */
export interface BuiltElderly {
	careHomes: CareHome[] | null;
	careHomesLabel: Localized | null;
	/** 60+ share per area, in the order of BuiltRegion.areas */
	ageShareByArea: number[] | null;
	agesLabel: Localized | null;
}

const text = v.pipe(v.string(), v.minLength(1));
const localized = v.object({ zh: v.string(), en: v.string() });
/** The fields of region.json the app, CLI and bench rely on; the embedded manifest is checked by the manifest schema. */
const BuiltRegionSchema = v.looseObject({
	formatVersion: v.literal(1),
	id: text,
	name: localized,
	manifest: RegionManifestSchema,
	bbox: v.tuple([v.number(), v.number(), v.number(), v.number()]),
	files: v.looseObject({ graphs: v.record(v.picklist(MODES), text), cells: text, facilities: text, areas: text }),
	areas: v.array(v.looseObject({ id: v.string(), name: v.string(), bbox: v.tuple([v.number(), v.number(), v.number(), v.number()]) })),
	areaLevel: localized,
	hasNetwork: v.boolean(),
	populationLabel: localized,
	modelledFacilities: v.array(localized),
	reports: v.record(v.string(), v.unknown())
});

/** Check a parsed data/build/<id>/region.json; throws a KejimapError naming the field (rebuild advice: the file is generated). */
export function validateBuiltRegion(raw: unknown, file: string): BuiltRegion {
	const r = v.safeParse(BuiltRegionSchema, raw);
	if (r.success) return raw as BuiltRegion;
	const issue = r.issues[0];
	const field = (issue.path ?? []).map((p) => String((p as { key?: unknown }).key)).join('.') || '(root)';
	throw new KejimapError('FIELD_MISSING', `${file}: field "${field}" is missing or malformed (rebuild with \`npm run data\`)`, { file, field });
}
