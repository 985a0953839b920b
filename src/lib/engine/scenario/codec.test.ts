import { readFileSync, writeFileSync } from 'node:fs';
import { toJsonSchema } from '@valibot/to-json-schema';
import { describe, expect, it } from 'vitest';
import { KejimapError } from '../errors';
import type { CoverageSettings } from '../session';
import {
	checkScenarioRegion,
	createScenarioDocument,
	dataFingerprint,
	decodeScenarioLink,
	encodeScenarioLink,
	MAX_LINK_CHARS,
	readScenario,
	ScenarioDocumentSchema,
	writeScenarioFile,
	type ScenarioDocument
} from './codec';
import type { Edit } from './edits';

const SCHEMA_FILE = 'docs/scenario-format.schema.json';

const settings: CoverageSettings = { mode: 'walk', maxMinutes: 15, levels: ['chc', 'chs'], targetShare: 0.9, method: 'auto', areaModeRules: [{ areaIds: ['310115'], mode: 'cycle' }] };
const here = { id: 'shanghai', inputHash: 'abc123', dataHash: '0badf00d' };
const edits: Edit[] = [
	{ op: 'add', facilityId: 'new-1', name: '规划站点 1 "quoted"', level: 'chs', lon: 121.4737021, lat: 31.2303904 },
	{ op: 'move', facilityId: 'f0001', lon: 121.5000001, lat: 31.1999999 },
	{ op: 'remove', facilityId: 'f0002' },
	{ op: 'merge', facilityId: 'f0003', intoId: 'f0001' },
	{ op: 'level', facilityId: 'f0004', level: 'village_clinic' },
	{ op: 'batch', label: 'plan: 2 sites', edits: [{ op: 'add', facilityId: 'new-2', name: 'a', level: 'chc', lon: -0.0000001, lat: 89.9999999 }, { op: 'restore', facilityId: 'f0002' }] }
];
const doc = createScenarioDocument('方案 A', here, settings, edits, '2026-12-01T22:00:00.000Z');

function codeOf(fn: () => unknown): { code: string; message: string; field?: string } {
	try {
		fn();
	} catch (e) {
		if (e instanceof KejimapError) return { code: e.code, message: e.message, field: e.detail?.field };
		throw e;
	}
	throw new Error('expected a KejimapError');
}

describe('scenario codec', () => {
	it('file and link round trips give back the same document, coordinates to the last bit', () => {
		const back = readScenario(writeScenarioFile(doc), 'a.json');
		expect(back).toEqual(doc);
		const link = encodeScenarioLink(doc);
		expect(link).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(decodeScenarioLink(link)).toEqual(doc);
		const lonBits = (d: ScenarioDocument) => (d.edits[0] as { lon: number }).lon;
		expect(Object.is(lonBits(decodeScenarioLink(link)), 121.4737021)).toBe(true);
		// the link is much shorter than the file
		expect(link.length).toBeLessThan(writeScenarioFile(doc).length);
	});

	it('a plan of 60 new sites still fits in a link; 600 do not', () => {
		const sites = (n: number): Edit[] => [
			{
				op: 'batch',
				label: 'plan',
				edits: Array.from({ length: n }, (_, i) => ({ op: 'add' as const, facilityId: `new-${i + 1}`, name: `规划站点 ${i + 1}`, level: 'chs' as const, lon: 121 + ((i * 7919) % 1000) / 1000 + 0.1234567, lat: 31 + ((i * 104729) % 1000) / 1000 + 0.7654321 }))
			}
		];
		expect(encodeScenarioLink(createScenarioDocument('p', here, settings, sites(60))).length).toBeLessThan(MAX_LINK_CHARS);
		expect(encodeScenarioLink(createScenarioDocument('p', here, settings, sites(600))).length).toBeGreaterThan(MAX_LINK_CHARS);
	});

	it('old, newer and missing versions say which version and what to do (SCENARIO_VERSION)', () => {
		const with_ = (v: unknown) => JSON.stringify({ ...doc, formatVersion: v });
		expect(codeOf(() => readScenario(with_(0), 'old.json'))).toMatchObject({ code: 'SCENARIO_VERSION', field: 'formatVersion', message: expect.stringMatching(/old\.json: is format version 0, older than this Kejimap reads \(version 1\)/) });
		expect(codeOf(() => readScenario(with_(2), 'new.json'))).toMatchObject({ code: 'SCENARIO_VERSION', message: expect.stringMatching(/made by a newer Kejimap.*update Kejimap/) });
		expect(codeOf(() => readScenario(with_('1'), 'x.json'))).toMatchObject({ code: 'SCENARIO_VERSION', message: expect.stringMatching(/no readable formatVersion \(got "1"\)/) });
	});

	it('a corrupted or foreign file names the problem (SCENARIO_MALFORMED)', () => {
		const text = writeScenarioFile(doc);
		expect(codeOf(() => readScenario(text.slice(0, text.length / 2), 'cut.json'))).toMatchObject({ code: 'SCENARIO_MALFORMED', message: expect.stringMatching(/^cut\.json: not a scenario file \(not valid JSON/) });
		expect(codeOf(() => readScenario('{"type":"FeatureCollection","features":[]}', 'areas.geojson'))).toMatchObject({ code: 'SCENARIO_MALFORMED', field: 'kind' });
		const bad = structuredClone(doc) as unknown as { edits: Record<string, unknown>[] };
		bad.edits[1].lat = '31.2';
		expect(codeOf(() => readScenario(JSON.stringify(bad), 'edited.json'))).toMatchObject({ code: 'SCENARIO_MALFORMED', field: 'edits.1.lat', message: expect.stringMatching(/edited\.json: field "edits\.1\.lat"/) });
		const badOp = structuredClone(doc) as unknown as { edits: Record<string, unknown>[] };
		badOp.edits[2].op = 'explode';
		expect(codeOf(() => readScenario(JSON.stringify(badOp), 'op.json'))).toMatchObject({ code: 'SCENARIO_MALFORMED', field: 'edits.2.op' });
		const swapped = structuredClone(doc) as unknown as { edits: Record<string, unknown>[] };
		swapped.edits[0].lon = 31.2;
		swapped.edits[0].lat = 121.47;
		expect(codeOf(() => readScenario(JSON.stringify(swapped), 's.json'))).toMatchObject({ code: 'SCENARIO_MALFORMED', field: 'edits.0.lat' });
		const link = encodeScenarioLink(doc);
		expect(codeOf(() => decodeScenarioLink(link.slice(0, link.length - 20)))).toMatchObject({ code: 'SCENARIO_MALFORMED', field: 'sc', message: expect.stringMatching(/damaged or cut short/) });
		expect(codeOf(() => decodeScenarioLink('not base64!'))).toMatchObject({ code: 'SCENARIO_MALFORMED' });
	});

	it('a file for another region is refused; for other data of this region it warns, or refuses when ids are missing', () => {
		const ids = new Set(['f0001', 'f0002', 'f0003', 'f0004']);
		expect(checkScenarioRegion(doc, here, ids, 'a.json')).toEqual({ warning: null });
		expect(codeOf(() => checkScenarioRegion(doc, { ...here, id: 'lingqiu' }, ids, 'a.json'))).toMatchObject({
			code: 'SCENARIO_REGION',
			field: 'region.id',
			message: 'a.json: this scenario is for region "shanghai", not "lingqiu"; open region "shanghai" first'
		});
		const other = { ...here, dataHash: '12345678' };
		const { warning } = checkScenarioRegion(doc, other, ids, 'a.json');
		expect(warning?.code).toBe('SCENARIO_REGION');
		expect(warning?.message).toMatch(/made on other data of region "shanghai" \(fingerprint 0badf00d, here 12345678\)/);
		const fewer = new Set(['f0001', 'f0002', 'f0004']);
		expect(codeOf(() => checkScenarioRegion(doc, other, fewer, 'a.json'))).toMatchObject({ code: 'SCENARIO_REGION', message: expect.stringMatching(/facility "f0003" is not in this region's data \(the scenario was made on other data/) });
	});

	it('the data fingerprint changes with a facility moved, a level, or the population', () => {
		const fac = [
			{ id: 'a', level: 'chc' as const, lon: 121.1, lat: 31.1 },
			{ id: 'b', level: 'chs' as const, lon: 121.2, lat: 31.2 }
		];
		const cells = { count: 2, population: Float64Array.from([10, 20]) };
		const h = dataFingerprint(fac, cells);
		expect(h).toMatch(/^[0-9a-f]{8}$/);
		expect(dataFingerprint(fac.map((f) => ({ ...f })), { count: 2, population: Float64Array.from([10, 20]) })).toBe(h);
		expect(dataFingerprint([fac[0], { ...fac[1], lon: 121.2000001 }], cells)).not.toBe(h);
		expect(dataFingerprint([fac[0], { ...fac[1], level: 'chc' }], cells)).not.toBe(h);
		expect(dataFingerprint(fac, { count: 2, population: Float64Array.from([10, 25]) })).not.toBe(h);
	});

	it(`${SCHEMA_FILE} is generated from the codec's schema (REGEN=1 rewrites it)`, () => {
		const schema = JSON.stringify({ $id: 'https://kejimap.example/scenario-format.schema.json', title: 'Kejimap scenario file', ...toJsonSchema(ScenarioDocumentSchema) }, null, 2) + '\n';
		if (process.env.REGEN === '1') writeFileSync(SCHEMA_FILE, schema);
		expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(schema);
	});
});
