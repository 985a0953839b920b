/**
 * Robustness suite, data inputs (issue 9 classes 2 encodings, 3 census / weights / manifest numbers, 4 empty or
 * misplaced sources, 9 duplicate rows): a SYNTHETIC two-area region built in memory through the same pipeline as
 * `npm run data`, fed odd and bad files and mutated manifests. Bad input: a KejimapError naming the file / row /
 * field. Valid but odd input (GBK, BOM, CRLF, duplicates...): the same coverage figures as the clean run.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { droppedRows, guessedEncodings } from '../../src/lib/data/dropped';
import { buildRegionInMemory } from '../../src/lib/data/pipeline/build-region';
import type { MemoryFile } from '../../src/lib/data/pipeline/file-source';
import { KejimapError } from '../../src/lib/engine/errors';
import { validateRegionManifest, type RegionManifest } from '../../src/lib/engine/region';
import { CoverageSession } from '../../src/lib/engine/session';
import { settingsFromPolicy } from '../../src/lib/engine/settings';
import { checkKejimapError, expectKejimapErrorAsync, gbkBytes, memoryFileSource, syntheticManifest, syntheticRegionFiles, tally, type ErrorWant } from './helpers';

const count = tally();
afterAll(() => count.print('inputs'));

async function run(manifest: unknown, files: Record<string, MemoryFile>) {
	const m = validateRegionManifest(structuredClone(manifest), 'robust.json');
	const b = await buildRegionInMemory(m, memoryFileSource(files), { inputHash: 'test', builtAt: '2026-01-01T00:00:00Z' });
	const s = new CoverageSession(b.region, b.facilities, b.cells, b.graphs);
	return { build: b, summary: s.compute(settingsFromPolicy(m.policy)).summary };
}
const clean = () => run(syntheticManifest(), syntheticRegionFiles());
const withFile = (name: string, content: MemoryFile) => ({ ...syntheticRegionFiles(), [name]: content });
const figures = (s: Awaited<ReturnType<typeof clean>>['summary']) => ({ rows: s.rows.map((r) => [r.areaId, r.population, r.covered, r.pass]), total: s.total });

describe('valid but odd files give the figures of the clean run', async () => {
	const base = await clean();
	const f = syntheticRegionFiles();
	const fac = f['facilities.csv'] as string;
	const lines = fac.trim().split('\n');
	const odd: [string, Record<string, MemoryFile>, RegionManifest?][] = [
		['facilities in GBK (Excel / WPS on Chinese Windows)', withFile('facilities.csv', gbkBytes(fac))],
		['facilities in GBK, encoding given', withFile('facilities.csv', gbkBytes(fac)), { ...syntheticManifest(), facilities: [{ ...syntheticManifest().facilities[0], encoding: 'gb18030' }] }],
		['facilities with a UTF-8 BOM', withFile('facilities.csv', new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(fac)]))],
		['facilities with CRLF line ends', withFile('facilities.csv', fac.replace(/\n/g, '\r\n'))],
		['facilities with blank lines', withFile('facilities.csv', fac.replace(/\n/g, '\n\n') + '\n\n')],
		['facilities with an extra column', withFile('facilities.csv', lines.map((l, i) => `${l},${i ? 'x' : 'extra'}`).join('\n'))],
		['facilities rows reversed', withFile('facilities.csv', [lines[0], ...lines.slice(1).reverse()].join('\n'))],
		['every facility row 50 times', withFile('facilities.csv', [lines[0], ...lines.slice(1).flatMap((l) => Array(50).fill(l))].join('\n'))],
		['facilities with spaces around the header', withFile('facilities.csv', [lines[0].split(',').map((h) => ` ${h} `).join(','), ...lines.slice(1)].join('\n'))],
		['census with spaces around values', withFile('census.csv', 'CODE,POPU\n A1 , 12000 \nA2,8000\n')],
		['census in GBK with a Chinese column', withFile('census.csv', gbkBytes('CODE,POPU,名称\nA1,12000,甲区\nA2,8000,乙区\n'))],
		['census with unrelated duplicate codes', withFile('census.csv', 'CODE,POPU\nA1,12000\nZZ,1\nZZ,2\nA2,8000\n')],
		['weights with a BOM', withFile('weights.csv', '\ufeff' + (f['weights.csv'] as string))],
		['weights as bytes', withFile('weights.csv', new TextEncoder().encode(f['weights.csv'] as string))]
	];
	for (const [label, files, manifest] of odd)
		it(label, async () => {
			count.add('2/4 valid-but-odd');
			const r = await run(manifest ?? syntheticManifest(), files);
			expect(figures(r.summary)).toEqual(figures(base.summary));
		});
	it('a guessed encoding is reported on every output (the region reports)', async () => {
		const r = await run(syntheticManifest(), withFile('facilities.csv', gbkBytes(fac)));
		expect(guessedEncodings(r.build.region.reports)).toEqual([{ source: 'synthetic', encoding: 'gb18030' }]);
	});
	it('a swapped row is dropped, counted with its row number, and the rest loads', async () => {
		count.add('4 empty/misplaced');
		const swapped = [...lines];
		const [n, lon, lat, t] = swapped[3].split(',');
		swapped[3] = [n, lat, lon, t].join(',');
		const r = await run(syntheticManifest(), withFile('facilities.csv', swapped.join('\n')));
		const d = droppedRows(r.build.region.reports);
		expect(d).toHaveLength(1);
		expect(d[0]).toMatchObject({ source: 'synthetic', reason: 'invalid-coordinates', count: 1 });
		expect(d[0].example).toMatch(/row 4.*swapped/);
		expect(r.build.facilities.length).toBe(base.build.facilities.length - 1);
	});
});

describe('bad files: one KejimapError naming the file and row or field', () => {
	const f = syntheticRegionFiles();
	const fac = f['facilities.csv'] as string;
	const [head, ...rows] = fac.trim().split('\n');
	const far = rows.map((l) => {
		const [n, lon, lat, t] = l.split(',');
		return [n, (Number(lon) + 10).toFixed(6), lat, t].join(','); // ~1000 km east
	});
	const swapAll = rows.map((l) => {
		const [n, lon, lat, t] = l.split(',');
		return [n, lat, lon, t].join(',');
	});
	const utf16 = (s: string, bom: boolean) => new Uint8Array([...(bom ? [0xff, 0xfe] : []), ...Array.from(s, (c) => [c.charCodeAt(0) & 255, c.charCodeAt(0) >> 8]).flat()]);
	const bad: [string, string, MemoryFile, ErrorWant][] = [
		['2 encodings', 'facilities.csv', utf16(fac, true), { code: 'ENCODING_UNSUPPORTED', file: true }],
		['2 encodings', 'facilities.csv', utf16(fac, false), { code: 'ENCODING_UNSUPPORTED', file: true }],
		['2 encodings', 'facilities.csv', new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0xff, 0xfe]), { code: 'ENCODING_UNSUPPORTED', file: true }],
		['2 encodings', 'facilities.csv', new Uint8Array([0xef, 0xbb, 0xbf, 0xc4, 0xe3, 0x2c]), { code: 'ENCODING_UNSUPPORTED', file: true }],
		['2 encodings', 'census.csv', utf16('CODE,POPU\nA1,1\n', true), { code: 'ENCODING_UNSUPPORTED', file: true }],
		['2 encodings', 'weights.csv', new Uint8Array([0x80, 0x80, 0x2c, 0xff]), { code: 'ENCODING_UNSUPPORTED', file: true }],
		['4 empty/misplaced', 'facilities.csv', head + '\n', { code: 'FILE_EMPTY', file: true }],
		['4 empty/misplaced', 'facilities.csv', '', { code: ['FILE_EMPTY', 'FILE_MALFORMED'], file: true }],
		['4 empty/misplaced', 'facilities.csv', '\n\n\n', { code: ['FILE_EMPTY', 'FILE_MALFORMED'], file: true }],
		['4 empty/misplaced', 'facilities.csv', [head, ...far].join('\n'), { code: 'FILE_EMPTY', file: true }],
		['4 empty/misplaced', 'facilities.csv', [head, ...swapAll].join('\n'), { code: 'COORD_INVALID', file: true, row: true, field: true }],
		['4 empty/misplaced', 'facilities.csv', 'a,b,c\n1,2,3\n', { code: 'FIELD_MISSING', file: true, field: 'name' }],
		['4 empty/misplaced', 'facilities.csv', [head, ...rows.map((l) => l.replace(/,121\.\d+,/, ',,'))].join('\n'), { code: 'COORD_INVALID', file: true, row: true }],
		['4 empty/misplaced', 'facilities.csv', [head, 'x,"unclosed,121.41,31.21,t'].join('\n'), { code: 'FILE_MALFORMED', file: true }],
		['4 empty/misplaced', 'weights.csv', 'lon,lat\n', { code: 'FILE_EMPTY', file: true }],
		['4 empty/misplaced', 'weights.csv', 'lon,lat\n31.2,121.4\n31.21,121.41\n', { code: 'COORD_INVALID', file: true }],
		['4 empty/misplaced', 'areas.geojson', '{"type":"FeatureCollection","features":[]}', { code: ['FILE_EMPTY', 'FILE_MALFORMED', 'FIELD_MISSING', 'BAD_ARGUMENT'], file: true }],
		['4 empty/misplaced', 'areas.geojson', '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A1","name":"x"},"geometry":{"type":"Point","coordinates":[121.4,31.2]}}]}', { code: 'FILE_MALFORMED', file: true, row: 1 }],
		['4 empty/misplaced', 'areas.geojson', '[]', { code: 'FILE_MALFORMED', file: true }],
		['3 census/weights', 'census.csv', 'CODE,POPU\nA1,\nA2,8000\n', { code: 'VALUE_INVALID', file: true, row: 2, field: 'POPU' }],
		['3 census/weights', 'census.csv', 'CODE,POPU\nA1,12000\nA2,8000\nA1,5\n', { code: 'VALUE_INVALID', file: true, row: 4, field: 'CODE' }],
		['3 census/weights', 'census.csv', 'CODE,POPU\nA1,abc\nA2,8000\n', { code: 'VALUE_INVALID', file: true, row: 2, field: 'POPU' }],
		['3 census/weights', 'census.csv', 'CODE,POPU\nA1,"12,000"\nA2,8000\n', { code: 'VALUE_INVALID', file: true, row: 2 }],
		['3 census/weights', 'census.csv', 'CODE,POPU\nA1,-5\nA2,8000\n', { code: 'VALUE_INVALID', file: true, row: 2 }],
		['3 census/weights', 'census.csv', 'CODE,POPU\nA1,Infinity\nA2,8000\n', { code: 'VALUE_INVALID', file: true, row: 2 }],
		['3 census/weights', 'census.csv', 'CODE,POPU\nA1,NaN\nA2,8000\n', { code: 'VALUE_INVALID', file: true, row: 2 }],
		['3 census/weights', 'census.csv', 'CODE,POPU\nA1,1e400\nA2,8000\n', { code: 'VALUE_INVALID', file: true, row: 2 }],
		['3 census/weights', 'census.csv', 'CODE,POPU\nA2,8000\n', { code: 'FIELD_MISSING', file: true, field: 'CODE' }],
		['3 census/weights', 'census.csv', 'CODE,PEOPLE\nA1,1\nA2,2\n', { code: 'FIELD_MISSING', file: true, field: 'POPU' }],
		['3 census/weights', 'census.csv', 'CODE,POPU\n', { code: 'FILE_EMPTY', file: true }],
		['3 census/weights', 'census.csv', 'CODE,POPU\nA1,0\nA2,0\n', { code: 'FILE_EMPTY' }]
	];
	for (const [cls, name, content, want] of bad)
		it(`${cls}: ${name} ${JSON.stringify(typeof content === 'string' ? content.slice(0, 40) : `${(content as Uint8Array).length} bytes`)}`, async () => {
			count.add(cls);
			await expectKejimapErrorAsync(() => run(syntheticManifest(), withFile(name, content)), want, name);
		});
	it('3: a bbox that misses every area stops the build (never 0 people "pass")', async () => {
		count.add('3 census/weights');
		const e = await expectKejimapErrorAsync(() => run({ ...syntheticManifest(), bbox: [100, 20, 100.1, 20.1] }, syntheticRegionFiles()), { code: ['FILE_EMPTY'] }, 'bbox');
		expect(e.message).toMatch(/bbox/);
	});
	it('a missing file names it', async () => {
		count.add('8 stack traces');
		const files = syntheticRegionFiles();
		delete files['census.csv'];
		await expectKejimapErrorAsync(() => run(syntheticManifest(), files), { code: 'FILE_MISSING', file: 'census.csv' }, 'missing');
	});
});

/** Every leaf of the manifest, replaced by hostile values: refused naming the field, or built without a stray exception. */
describe('mutated manifests (classes 3, 5, 8)', () => {
	const base = syntheticManifest() as unknown as Record<string, unknown>;
	const leaves: (string | number)[][] = [];
	const walk = (v: unknown, at: (string | number)[]) => {
		if (v && typeof v === 'object') {
			for (const [k, x] of Object.entries(v)) walk(x, [...at, Array.isArray(v) ? Number(k) : k]);
			if (at.length) leaves.push(at); // objects and lists themselves too
		} else leaves.push(at);
	};
	walk(base, []);
	const hostile: [string, unknown][] = [
		['deleted', undefined],
		['null', null],
		['-5', -5],
		['"abc"', 'abc'],
		['""', ''],
		['[]', []],
		['{}', {}],
		['300 chars', 'x'.repeat(300)],
		['Infinity', Infinity]
	];
	const setAt = (o: Record<string, unknown>, at: (string | number)[], v: unknown) => {
		const parent = at.slice(0, -1).reduce<Record<string, unknown>>((p, k) => p[k] as Record<string, unknown>, o);
		const last = at[at.length - 1];
		if (v === undefined) delete parent[last];
		else parent[last] = v;
	};
	const cases = leaves.flatMap((at) => hostile.map(([label, v]) => ({ at, label, v })));
	it(`${cases.length} mutations: validation names a field, or the build ends cleanly`, async () => {
		let refused = 0;
		let built = 0;
		for (const c of cases) {
			count.add('3/5/8 manifest mutations');
			const m = structuredClone(base);
			setAt(m, c.at, c.v);
			const label = `${c.at.join('.')} = ${c.label}`;
			try {
				await run(m, syntheticRegionFiles());
				built++;
			} catch (e) {
				const k = checkKejimapError(e, {}, label);
				if (k.code === 'REGION_INVALID') expect(k.detail?.field, label).toBeTruthy();
				else expect(k.detail?.file ?? k.detail?.field, `${label}: ${k.message}`).toBeTruthy();
				refused++;
			}
		}
		expect(refused).toBeGreaterThan(cases.length / 2);
		expect(built + refused).toBe(cases.length);
	}, 60_000);
	it.each([
		['policy.targetShare', 90, /0\.9 = 90%/],
		['population.weights.0.weight', -5, /greater than 0/],
		['population.uniformShare', 1.5, /0\.\.1/],
		['policy.maxMinutes', 0, /1\.\.120/],
		['id', 'x'.repeat(300), /at most 64/],
		['dataRoot', 5, /must be text/],
		['policy.levels', [], /at least one/],
		['h3Resolution', 9.5, /whole number/],
		['population.uniformShareTypo', 0.1, /not a known field/]
	])('%s = %j: %s', (field, value, re) => {
		count.add('3/5/8 manifest mutations');
		const m = structuredClone(base);
		setAt(m, field.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k)), value);
		let err: unknown;
		try {
			validateRegionManifest(m, 'robust.json');
		} catch (e) {
			err = e;
		}
		expect(err).toBeInstanceOf(KejimapError);
		expect((err as KejimapError).message).toMatch(re);
		expect((err as KejimapError).detail?.field).toBe(field.replace(/\.(\d+)/g, '[$1]'));
	});
});
