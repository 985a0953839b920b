/**
 * Scenario files and share links: versioned JSON (formatVersion), one valibot schema that both checks files and
 * generates the JSON Schema in docs/scenario-format.schema.json (a test keeps the two equal), and the link form
 * (the same JSON, deflated with fflate, base64url). Pure: runs in Node (CLI) and in the browser.
 *
 * Reading checks, in order, and names what is wrong:
 * - not JSON, or not a Kejimap scenario                     -> SCENARIO_MALFORMED
 * - a formatVersion this code does not read (older or newer) -> SCENARIO_VERSION
 * - a field that does not fit the schema                    -> SCENARIO_MALFORMED with the field path
 * - made for another region                                 -> SCENARIO_REGION (checkScenarioRegion)
 * A file for other data of the same region (another build: a different data fingerprint) is reported as a
 * warning, and refused when one of its facility ids does not exist here.
 */
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import * as v from 'valibot';
import { KejimapError } from '../errors';
import type { CoverageSettings } from '../session';
import { FACILITY_LEVELS, MODES, type CellTable, type Facility } from '../types';
import { flattenEdits, type Edit } from './edits';

export const SCENARIO_FORMAT_VERSION = 1;
export const SCENARIO_KIND = 'kejimap-scenario';
/** Longest `sc=` link value (characters) the app puts in a URL; longer scenarios go to a file instead. */
export const MAX_LINK_CHARS = 6000;

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(200));
const Lon = v.pipe(v.number(), v.minValue(-180), v.maxValue(180), v.description('WGS84 longitude, degrees'));
const Lat = v.pipe(v.number(), v.minValue(-90), v.maxValue(90), v.description('WGS84 latitude, degrees'));
const Level = v.picklist(FACILITY_LEVELS);

const simpleEditOptions = [
	v.object({ op: v.literal('add'), facilityId: Id, name: v.pipe(v.string(), v.maxLength(500)), level: Level, lon: Lon, lat: Lat }),
	v.object({ op: v.literal('move'), facilityId: Id, lon: Lon, lat: Lat }),
	v.object({ op: v.literal('remove'), facilityId: Id }),
	v.object({ op: v.literal('merge'), facilityId: Id, intoId: Id }),
	v.object({ op: v.literal('level'), facilityId: Id, level: Level }),
	v.object({ op: v.literal('restore'), facilityId: Id }),
	v.object({ op: v.literal('unadd'), facilityId: Id })
] as const;
const SimpleEdit = v.variant('op', simpleEditOptions);
/** A batch (one undoable step, e.g. a whole plan) holds simple edits only. */
const EditSchema = v.variant('op', [...simpleEditOptions, v.object({ op: v.literal('batch'), label: v.pipe(v.string(), v.maxLength(500)), edits: v.array(SimpleEdit) })]);

const SettingsSchema = v.object({
	mode: v.picklist(MODES),
	maxMinutes: v.pipe(v.number(), v.gtValue(0), v.maxValue(240), v.description('travel-time threshold, minutes')),
	levels: v.array(Level),
	targetShare: v.pipe(v.number(), v.minValue(0), v.maxValue(1), v.description('share of people to reach, 0..1')),
	method: v.picklist(['network', 'radius', 'auto'] as const),
	areaModeRules: v.optional(v.array(v.object({ areaIds: v.array(v.string()), mode: v.picklist(MODES) })))
});

export const ScenarioDocumentSchema = v.object({
	formatVersion: v.literal(SCENARIO_FORMAT_VERSION),
	kind: v.literal(SCENARIO_KIND),
	name: v.pipe(v.string(), v.maxLength(500)),
	region: v.object({
		id: v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]*$/)),
		inputHash: v.pipe(v.string(), v.description("the build's input hash (data/build/<region>/region.json)")),
		dataHash: v.pipe(v.string(), v.description('fingerprint of the facilities and population cells the edits were made on (dataFingerprint)'))
	}),
	settings: SettingsSchema,
	edits: v.array(EditSchema),
	createdAt: v.optional(v.pipe(v.string(), v.isoTimestamp()))
});

export type ScenarioDocument = v.InferOutput<typeof ScenarioDocumentSchema>;

// the schema and the engine types must agree (a compile error here means one of them drifted)
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const editsAgree: Same<v.InferOutput<typeof EditSchema>, Exclude<Edit, { op: 'batch' }> | { op: 'batch'; label: string; edits: Exclude<Edit, { op: 'batch' }>[] }> = true;
const settingsAgree: Same<v.InferOutput<typeof SettingsSchema>, CoverageSettings> = true;
void editsAgree;
void settingsAgree;

export interface ScenarioRegionRef {
	id: string;
	inputHash: string;
	dataHash: string;
}

/** FNV-1a over the facilities (id, level, position) and the cells (count, population), as 8 hex digits. */
export function dataFingerprint(facilities: readonly Pick<Facility, 'id' | 'level' | 'lon' | 'lat'>[], cells: Pick<CellTable, 'count' | 'population'>): string {
	let h = 0x811c9dc5;
	const feed = (s: string) => {
		for (let i = 0; i < s.length; i++) {
			h ^= s.charCodeAt(i);
			h = Math.imul(h, 0x01000193) >>> 0;
		}
	};
	for (const f of facilities) feed(`${f.id}|${f.level}|${f.lon.toFixed(7)}|${f.lat.toFixed(7)};`);
	let pop = 0;
	for (let c = 0; c < cells.count; c++) pop += cells.population[c];
	feed(`cells ${cells.count} ${Math.round(pop)}`);
	return h.toString(16).padStart(8, '0');
}

export function createScenarioDocument(name: string, region: ScenarioRegionRef, settings: CoverageSettings, edits: readonly Edit[], createdAt?: string): ScenarioDocument {
	const s: CoverageSettings = { mode: settings.mode, maxMinutes: settings.maxMinutes, levels: [...settings.levels], targetShare: settings.targetShare, method: settings.method };
	if (settings.areaModeRules?.length) s.areaModeRules = settings.areaModeRules.map((r) => ({ areaIds: [...r.areaIds], mode: r.mode }));
	const doc: ScenarioDocument = {
		formatVersion: SCENARIO_FORMAT_VERSION,
		kind: SCENARIO_KIND,
		name,
		region: { id: region.id, inputHash: region.inputHash, dataHash: region.dataHash },
		settings: s,
		edits: edits.map((e) => structuredClone(e)) as ScenarioDocument['edits']
	};
	if (createdAt) doc.createdAt = createdAt;
	return doc;
}

/** A scenario file's text (2-space JSON, stable key order). */
export function writeScenarioFile(doc: ScenarioDocument): string {
	return JSON.stringify(doc, null, 2) + '\n';
}

/** Parses and checks a scenario (file text or decoded link). `source` names it in messages (a file name, "link"). */
export function readScenario(text: string, source: string): ScenarioDocument {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (e) {
		throw new KejimapError('SCENARIO_MALFORMED', `${source}: not a scenario file (not valid JSON: ${e instanceof Error ? e.message : String(e)})`, { file: source });
	}
	return parseScenario(raw, source);
}

/** Checks an already-parsed document (e.g. one kept in IndexedDB). */
export function parseScenario(raw: unknown, source: string): ScenarioDocument {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || (raw as Record<string, unknown>).kind !== SCENARIO_KIND)
		throw new KejimapError('SCENARIO_MALFORMED', `${source}: not a Kejimap scenario file (no "kind": "${SCENARIO_KIND}")`, { file: source, field: 'kind' });
	const version = (raw as Record<string, unknown>).formatVersion;
	if (version !== SCENARIO_FORMAT_VERSION) {
		const n = typeof version === 'number' ? version : NaN;
		const why = !Number.isInteger(n)
			? `has no readable formatVersion (got ${JSON.stringify(version)})`
			: n > SCENARIO_FORMAT_VERSION
				? `is format version ${n}, made by a newer Kejimap; this one reads version ${SCENARIO_FORMAT_VERSION}: update Kejimap to open it`
				: `is format version ${n}, older than this Kejimap reads (version ${SCENARIO_FORMAT_VERSION}); no conversion exists for it`;
		throw new KejimapError('SCENARIO_VERSION', `${source}: ${why}`, { file: source, field: 'formatVersion' });
	}
	const r = v.safeParse(ScenarioDocumentSchema, raw);
	if (!r.success) {
		const issue = r.issues[0];
		const field = v.getDotPath(issue) ?? '(root)';
		throw new KejimapError('SCENARIO_MALFORMED', `${source}: field "${field}": ${issue.message} (the file is damaged or was edited by hand)`, { file: source, field });
	}
	return r.output;
}

export interface RegionCheck {
	/** set when the file was made on other data of this region: the figures may differ from its author's */
	warning: KejimapError | null;
}

/**
 * Refuses a scenario made for another region, or whose edits name facilities this region's data does not hold;
 * warns when it was made on another build of the same region.
 */
export function checkScenarioRegion(doc: ScenarioDocument, here: ScenarioRegionRef, facilityIds: ReadonlySet<string>, source: string): RegionCheck {
	if (doc.region.id !== here.id)
		throw new KejimapError('SCENARIO_REGION', `${source}: this scenario is for region "${doc.region.id}", not "${here.id}"; open region "${doc.region.id}" first`, {
			file: source,
			field: 'region.id'
		});
	const added = new Set<string>();
	for (const e of flattenEdits(doc.edits)) if (e.op === 'add') added.add(e.facilityId);
	const sameData = doc.region.dataHash === here.dataHash;
	for (const e of flattenEdits(doc.edits)) {
		const ids = e.op === 'merge' ? [e.facilityId, e.intoId] : [e.facilityId];
		for (const id of ids)
			if (!facilityIds.has(id) && !added.has(id))
				throw new KejimapError(
					'SCENARIO_REGION',
					`${source}: facility "${id}" is not in this region's data${sameData ? '' : ` (the scenario was made on other data of region "${here.id}": fingerprint ${doc.region.dataHash}, here ${here.dataHash})`}`,
					{ file: source, field: 'edits' }
				);
	}
	if (sameData) return { warning: null };
	return {
		warning: new KejimapError(
			'SCENARIO_REGION',
			`${source}: made on other data of region "${here.id}" (fingerprint ${doc.region.dataHash}, here ${here.dataHash}); its facilities exist here, but the figures may differ from its author's`,
			{ file: source, field: 'region.dataHash' }
		)
	};
}

// ---- share links ----

function toBase64Url(bytes: Uint8Array): string {
	let bin = '';
	for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): Uint8Array {
	if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new Error('characters outside base64url');
	const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
	const out = new Uint8Array(bin.length);
	for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
	return out;
}

/** The link value of a scenario (deflated JSON, base64url). Check its length against MAX_LINK_CHARS. */
export function encodeScenarioLink(doc: ScenarioDocument): string {
	return toBase64Url(deflateSync(strToU8(JSON.stringify(doc)), { level: 9 }));
}

export function decodeScenarioLink(value: string): ScenarioDocument {
	let text: string;
	try {
		text = strFromU8(inflateSync(fromBase64Url(value)));
	} catch (e) {
		throw new KejimapError('SCENARIO_MALFORMED', `link: the scenario in this link is damaged or cut short (${e instanceof Error ? e.message : String(e)})`, {
			file: 'link',
			field: 'sc'
		});
	}
	return readScenario(text, 'link');
}
