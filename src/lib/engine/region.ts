/**
 * Region manifest: a region is data, not code (docs/region-manifest.md). This valibot schema is the one
 * description of the manifest: the TypeScript types are inferred from it, validateRegionManifest checks files with
 * it (messages name the field and say what is expected, for planners), and data/regions/region.schema.json is
 * generated from it (`npm run schema`; a test keeps the file in step). Paths resolve against `dataRoot` (which
 * itself defaults to $KEJIMAP_DATA, else ../shared/data next to the repo).
 */
import * as v from 'valibot';
import { KejimapError } from './errors';
import { MINUTES_RANGE } from './settings';
import { FACILITY_LEVELS, MODES } from './types';

export const CRS_VALUES = ['wgs84', 'gcj02', 'bd09'] as const;
export type Crs = (typeof CRS_VALUES)[number];
export const TEXT_ENCODING_VALUES = ['utf-8', 'gb18030'] as const;
/** A text file's encoding; default: UTF-8, else GB18030 with a notice (src/lib/data/import/text.ts). */
export type TextEncodingName = (typeof TEXT_ENCODING_VALUES)[number];

const text = () => v.pipe(v.string(), v.minLength(1, 'must be a non-empty text'));
const d = v.description;
/** A short id used in file names and messages: letters, digits, "-", at most 64 characters. */
const shortId = (what: string) =>
	v.pipe(
		v.string(),
		v.regex(/^[a-z0-9][a-z0-9-]*$/, `must be a short ${what} id of lower-case letters, digits and "-" (e.g. "amap-2020")`),
		v.maxLength(64, `must be at most 64 characters (a ${what} id names files)`)
	);
const positive = (what: string) => v.pipe(v.number(), v.finite(), v.gtValue(0, `must be ${what} greater than 0`));
const share = (hint = '') => v.pipe(v.number(), v.finite(), v.minValue(0, `must be a share 0..1${hint}`), v.maxValue(1, `must be a share 0..1${hint}`));

const LocalizedSchema = v.pipe(v.strictObject({ zh: v.string(), en: v.string() }, 'must be {"zh": "...", "en": "..."} (Chinese first, English second)'), d('{"zh": "...", "en": "..."}: Chinese first, English second'));
export type Localized = v.InferOutput<typeof LocalizedSchema>;
const CrsSchema = v.pipe(v.picklist(CRS_VALUES), d('what the file holds: WGS84, or GCJ-02 (Amap, Tencent) / BD-09 (Baidu), converted on import'));
const EncodingSchema = v.pipe(v.picklist(TEXT_ENCODING_VALUES), d('text encoding; default UTF-8, else GB18030 with a notice'));
const ModeSchema = v.picklist(MODES);
const LevelSchema = v.picklist(FACILITY_LEVELS);

const NetworkSourceSchema = v.strictObject({
	/** osm-xml / osm-pbf: a file of OSM ways; geojson-graph: node + edge GeoJSON with u/v ids */
	format: v.picklist(['osm-xml', 'osm-pbf', 'geojson-graph']),
	path: v.optional(text()), // osm-xml / osm-pbf
	nodesPath: v.optional(text()), // geojson-graph
	edgesPath: v.optional(text()), // geojson-graph
	crs: v.optional(CrsSchema), // default wgs84
	/** property holding the road class (geojson-graph); OSM uses `highway` */
	classField: v.optional(text()),
	/** geojson-graph edges are directed (one-way unless the reverse edge exists) */
	directed: v.optional(v.boolean()),
	/** clip to the file's <bounds> (raw OSM exports carry relation members far outside) */
	clipToBounds: v.optional(v.boolean()),
	/** join dead ends closer than this (metres); 0 = no bridging. Fragmented traced networks need it. */
	bridgeGapM: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0, 'must be a distance in metres >= 0'), v.maxValue(5000, 'must be at most 5000 m'))),
	/** components with fewer nodes than this are dropped (reported) */
	minComponentNodes: v.optional(v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(0, 'must be >= 0'))),
	/** free-text caveat shown with every result, e.g. "drive graph: no footways" */
	note: v.optional(LocalizedSchema)
});
export type NetworkSource = v.InferOutput<typeof NetworkSourceSchema>;

const FieldMapSchema = v.strictObject({
	name: text(),
	lon: text(),
	lat: text(),
	address: v.optional(text()),
	district: v.optional(text()),
	type: v.optional(text()), // Amap "type" string, used by the classifier
	level: v.optional(text()) // a column that already holds a level
});
export type FieldMap = v.InferOutput<typeof FieldMapSchema>;

const FacilitySourceSchema = v.strictObject({
	id: shortId('source'),
	path: text(),
	encoding: v.optional(EncodingSchema),
	format: v.picklist(['csv', 'geojson']),
	crs: CrsSchema,
	/** for geojson, lon/lat may be "geometry" */
	fields: FieldMapSchema,
	/**
	 * How to type the level: "amap-name-rules" (documented classifier for Amap medical POIs),
	 * or a fixed level for a list of one kind (e.g. the official list of centres = "chc").
	 */
	classify: v.union([v.literal('amap-name-rules'), v.strictObject({ fixed: LevelSchema })], `must be "amap-name-rules" or {"fixed": one of ${FACILITY_LEVELS.join(', ')}}`),
	/** official lists are not merged into the facility set; they are matched against it and reported */
	role: v.picklist(['facilities', 'official-reference']),
	label: LocalizedSchema,
	/** labelled assumption rather than data, e.g. "a clinic at every village point" */
	modelled: v.optional(v.boolean()),
	/** keep only rows whose field value is one of the listed values, e.g. {"level": ["town"]} */
	where: v.optional(
		v.record(v.string(), v.array(v.string(), 'must be a list of accepted values, e.g. {"level": ["town"]}'), 'must map field names to lists of accepted values, e.g. {"level": ["town"]}')
	),
	/** official-reference only: add the listed facilities that match nothing in the other sources */
	addUnmatched: v.optional(v.boolean())
});
export type FacilitySource = v.InferOutput<typeof FacilitySourceSchema>;

const AreaSourceSchema = v.strictObject({
	path: text(),
	/** geojson: polygons; voronoi-points: no polygons exist, approximate each area by the Voronoi cells of its points */
	format: v.picklist(['geojson', 'voronoi-points']),
	crs: CrsSchema,
	idField: text(),
	nameField: text(),
	/** keep only features whose id is in this list (e.g. drop the city outline) */
	include: v.optional(v.array(v.string())),
	/** display names by id, when the file has no name field worth showing */
	names: v.optional(v.record(v.string(), v.string())),
	/** voronoi-points: area id (idField value) -> census code */
	codes: v.optional(v.record(v.string(), v.string())),
	/** admin level shown in the UI: district, county, street... */
	level: LocalizedSchema
});
export type AreaSource = v.InferOutput<typeof AreaSourceSchema>;

const CensusTotalsSchema = v.strictObject({
	path: text(), // CSV with area code + population
	encoding: v.optional(EncodingSchema),
	codeField: text(),
	populationField: text(),
	/** area id -> census code, when they differ; default: the area id is the census code */
	codeOf: v.optional(v.record(v.string(), v.string())),
	label: LocalizedSchema
});
export type CensusTotals = v.InferOutput<typeof CensusTotalsSchema>;

/** Road length per cell as the weight (rural counties: roads traced from imagery follow settlement). */
const NetworkLengthWeightSchema = v.strictObject({
	kind: v.literal('network-length'),
	weight: positive('a weight'),
	label: LocalizedSchema
});
export type NetworkLengthWeight = v.InferOutput<typeof NetworkLengthWeightSchema>;

const WeightSourceSchema = v.strictObject({
	kind: v.optional(v.literal('points')),
	path: text(),
	encoding: v.optional(EncodingSchema),
	format: v.picklist(['csv', 'geojson']),
	crs: CrsSchema,
	fields: v.strictObject({ lon: text(), lat: text(), type: v.optional(text()) }),
	/** weight per point */
	weight: positive('a weight'),
	/** keep rows whose `type` field contains one of these substrings */
	typeIncludes: v.optional(v.array(v.string())),
	/** drop rows whose `type` field contains one of these substrings */
	typeExcludes: v.optional(v.array(v.string())),
	label: LocalizedSchema
});
export type WeightSource = v.InferOutput<typeof WeightSourceSchema>;

const PopulationSourceSchema = v.variant(
	'method',
	[
		v.strictObject({
			method: v.literal('raster'),
			path: text(),
			crs: CrsSchema,
			label: LocalizedSchema,
			/** multiply every pixel (e.g. a 1 km raster of people per km²) */
			scale: v.optional(positive('a scale factor')),
			note: v.optional(LocalizedSchema)
		}),
		v.strictObject({
			method: v.literal('census-weights'),
			census: CensusTotalsSchema,
			weights: v.array(v.variant('kind', [NetworkLengthWeightSchema, WeightSourceSchema], 'must be a point file {path, format, crs, fields, weight, label} or {"kind": "network-length", weight, label}')),
			/** share of each area's total spread uniformly over its cells (so no populated cell is empty) */
			uniformShare: share(),
			/** optional: give the uniform share only to cells within this distance of a weight point (keeps it off sea and tidal flats inside admin fences) */
			uniformNearWeightsM: v.optional(positive('a distance in metres')),
			label: LocalizedSchema
		}),
		v.strictObject({
			method: v.literal('uniform'),
			total: v.pipe(v.number(), v.finite(), v.minValue(0, 'must be a number of people >= 0')),
			label: LocalizedSchema,
			source: text()
		})
	],
	'must be raster, census-weights or uniform'
);
export type PopulationSource = v.InferOutput<typeof PopulationSourceSchema>;

const AreaModeRuleSchema = v.strictObject({
	/** area ids this rule applies to */
	areaIds: v.pipe(v.array(v.string()), v.minLength(1, 'must list at least one area id')),
	mode: ModeSchema
});
export type AreaModeRule = v.InferOutput<typeof AreaModeRuleSchema>;

const PolicyDefaultsSchema = v.strictObject({
	mode: ModeSchema,
	maxMinutes: v.pipe(
		v.number(),
		v.finite(),
		v.minValue(MINUTES_RANGE.min, `must be ${MINUTES_RANGE.min}..${MINUTES_RANGE.max} minutes`),
		v.maxValue(MINUTES_RANGE.max, `must be ${MINUTES_RANGE.min}..${MINUTES_RANGE.max} minutes`)
	),
	targetShare: share(' (0.9 = 90%)'),
	levels: v.pipe(v.array(LevelSchema), v.minLength(1, 'must list at least one facility level')),
	/** citation of the published target, from docs/policy-parameters.md */
	source: LocalizedSchema,
	areaModeRules: v.optional(v.array(AreaModeRuleSchema))
});
export type PolicyDefaults = v.InferOutput<typeof PolicyDefaultsSchema>;

// ---- planning: elderly inputs (Beside elderly care; demand weighted by the elderly) ----

/** Elderly care homes: points with beds (e.g. Shanghai's registry, GCJ-02). */
const CareHomeSourceSchema = v.strictObject({
	path: text(),
	encoding: v.optional(EncodingSchema),
	format: v.literal('csv'),
	crs: CrsSchema,
	fields: v.strictObject({ name: text(), lon: text(), lat: text(), beds: text(), district: v.optional(text()) }),
	label: LocalizedSchema
});
export type CareHomeSource = v.InferOutput<typeof CareHomeSourceSchema>;

/** Census age table: the 60+ share of each area is the sum of `shareFields` (shares 0..1). */
const AgeShareSourceSchema = v.strictObject({
	path: text(),
	encoding: v.optional(EncodingSchema),
	codeField: text(),
	shareFields: v.pipe(v.array(text()), v.minLength(1, 'must be a non-empty list of column names, e.g. ["AGES_60-64", "AGES_65P"]')),
	/** area id -> census code, when they differ */
	codeOf: v.optional(v.record(v.string(), v.string())),
	label: LocalizedSchema
});
export type AgeShareSource = v.InferOutput<typeof AgeShareSourceSchema>;

const ElderlySourcesSchema = v.strictObject({
	careHomes: v.optional(CareHomeSourceSchema),
	ages: v.optional(AgeShareSourceSchema)
});
export type ElderlySources = v.InferOutput<typeof ElderlySourcesSchema>;

const lon = v.pipe(v.number(), v.finite(), v.minValue(-180, 'must be a longitude -180..180'), v.maxValue(180, 'must be a longitude -180..180'));
const lat = v.pipe(v.number(), v.finite(), v.minValue(-90, 'must be a latitude -90..90'), v.maxValue(90, 'must be a latitude -90..90'));

export const RegionManifestSchema = v.pipe(
	v.strictObject({
		$schema: v.optional(v.string()),
		/** another manifest (same folder) whose fields this one inherits, top-level fields replaced whole */
		extends: v.optional(text()),
		id: shortId('region'),
		name: LocalizedSchema,
		description: v.optional(LocalizedSchema),
		/** folder the relative paths below resolve against; default $KEJIMAP_DATA or ../shared/data */
		dataRoot: v.optional(text()),
		/** [west, south, east, north] WGS84; cells and points outside are dropped (reported) */
		bbox: v.optional(v.strictTuple([lon, lat, lon, lat], 'must be [west, south, east, north] in degrees')),
		/** 9 default (cells of about 0.1 km²), 10 optional */
		h3Resolution: v.pipe(v.number(), v.integer('must be a whole number 6..11'), v.minValue(6, 'must be 6..11 (9 default, 10 optional)'), v.maxValue(11, 'must be 6..11 (9 default, 10 optional)')),
		network: v.optional(v.nullable(NetworkSourceSchema)),
		/** which modes to build graphs for (default all three) */
		networkModes: v.optional(v.array(ModeSchema)),
		facilities: v.pipe(v.array(FacilitySourceSchema), v.minLength(1, 'must list at least one facility source')),
		areas: AreaSourceSchema,
		population: PopulationSourceSchema,
		policy: PolicyDefaultsSchema,
		attribution: v.array(v.string()),
		/** optional planning inputs: elderly care homes and the 60+ share per area */
		elderly: v.optional(ElderlySourcesSchema)
	}),
	d('A region is data, not code: its input files, formats, coordinate systems, field mappings, admin areas and default policy. See docs/region-manifest.md.')
);
export type RegionManifest = v.InferOutput<typeof RegionManifestSchema>;

type AnyIssue = v.BaseIssue<unknown> & { issues?: AnyIssue[] };

function fieldOf(issue: AnyIssue): string {
	let out = '';
	for (const p of issue.path ?? []) {
		const k = (p as { key?: unknown }).key;
		out += typeof k === 'number' ? `[${k}]` : out ? `.${String(k)}` : String(k);
	}
	return out || '(root)';
}

/** A union's own message is vague: report the sub-issue that got furthest into the input. */
function deepest(issue: AnyIssue): AnyIssue {
	if (issue.type !== 'union' || !issue.issues?.length) return issue;
	const best = issue.issues.map(deepest).reduce((a, b) => ((b.path?.length ?? 0) > (a.path?.length ?? 0) ? b : a));
	return (best.path?.length ?? 0) > (issue.path?.length ?? 0) ? best : issue;
}

const KIND_WORDS: Record<string, string> = {
	string: 'text',
	number: 'a number',
	boolean: 'true or false',
	array: 'a list [...]',
	strict_object: 'an object {...}',
	object: 'an object {...}',
	record: 'an object {...}',
	strict_tuple: 'a list [...]',
	literal: 'exactly'
};

/** The planner-facing sentence for one issue: what the field must be, and what it was. */
function sentence(issue: AnyIssue): string {
	const length = issue.type === 'max_length' || issue.type === 'min_length';
	const got = issue.received === 'undefined' ? '' : ` (got ${issue.received}${length ? ' characters' : ''})`;
	if (issue.type === 'strict_object' && issue.expected === 'never') return 'is not a known field (a typo?)';
	if (issue.type === 'strict_tuple' && issue.expected === 'never') return 'has too many values';
	if (!issue.message.startsWith('Invalid ')) return `${issue.message}${got}`; // ours
	if (issue.received === 'undefined') return 'is missing';
	if (issue.type === 'picklist' || issue.type === 'variant' || issue.type === 'literal')
		return `must be one of ${String(issue.expected).replace(/["()]/g, '').split(' | ').filter((x) => x !== 'undefined').join(', ')}${got}`;
	if (issue.type === 'finite') return `must be a finite number${got}`;
	return `must be ${KIND_WORDS[issue.type] ?? issue.expected}${got}`;
}

function fail(file: string, field: string, msg: string): never {
	throw new KejimapError('REGION_INVALID', `${file}: field "${field}" ${msg}`, { file, field });
}

/** Every problem of a parsed manifest, as "field: sentence" (for the import screen; validateRegionManifest throws the first). */
export function manifestProblems(raw: unknown): { field: string; message: string }[] {
	const r = v.safeParse(RegionManifestSchema, raw);
	if (!r.success) return (r.issues as AnyIssue[]).map(deepest).map((i) => ({ field: fieldOf(i), message: sentence(i) }));
	const m = r.output;
	const out: { field: string; message: string }[] = [];
	const bb = m.bbox;
	if (bb && !(bb[0] < bb[2] && bb[1] < bb[3])) out.push({ field: 'bbox', message: 'must be [west, south, east, north]: west < east and south < north' });
	const n = m.network;
	if (n && n.format === 'geojson-graph') {
		if (!n.nodesPath) out.push({ field: 'network.nodesPath', message: 'is missing (geojson-graph needs nodesPath and edgesPath)' });
		if (!n.edgesPath) out.push({ field: 'network.edgesPath', message: 'is missing (geojson-graph needs nodesPath and edgesPath)' });
	} else if (n && !n.path) out.push({ field: 'network.path', message: `is missing (${n.format} needs the file's path)` });
	if (!m.facilities.some((f) => f.role === 'facilities')) out.push({ field: 'facilities', message: 'needs at least one source with role "facilities"' });
	const seen = new Set<string>();
	m.facilities.forEach((f, i) => {
		if (seen.has(f.id)) out.push({ field: `facilities[${i}].id`, message: `"${f.id}" is used by two sources; ids must differ` });
		seen.add(f.id);
		if (f.addUnmatched !== undefined && f.role !== 'official-reference')
			out.push({ field: `facilities[${i}].addUnmatched`, message: 'is only allowed on a source with role "official-reference"' });
	});
	return out;
}

/** Validate a parsed manifest; throws KejimapError naming the first bad field. */
export function validateRegionManifest(raw: unknown, file = 'region manifest'): RegionManifest {
	const problems = manifestProblems(raw);
	if (problems.length) fail(file, problems[0].field, problems.length > 1 ? `${problems[0].message} (and ${problems.length - 1} more problem(s))` : problems[0].message);
	return v.parse(RegionManifestSchema, raw);
}
