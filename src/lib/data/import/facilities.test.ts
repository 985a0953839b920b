/**
 * Facility import: synthetic files with known bad rows (each rejection checked by line and reason), GBK bytes,
 * column detection, a 100,000-row CSV, fuzzed input, and on the real data: the official 2025 list of Shanghai
 * centres (GCJ-02, no CRS in its headers) checked against the Amap WGS84 points read independently here.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromWgs84, gcj02ToWgs84, wgs84ToGcj02 } from '../../engine/geo/crs';
import { haversineM } from '../../engine/geo/measure';
import { areaSetFromGeoJson } from '../area-set';
import { parseCsv } from '../csv';
import { defaultDataRoot } from '../node/files';
import { createSeededRng } from '../../engine/synthetic';
import { checkCrs } from './crs-check';
import { decodeText } from './decode';
import { importFacilities, levelFromColumn } from './facilities';
import { detectColumns } from './mapping';
import { readCsvTable } from './table';
import { encodeGbk } from './testing';

const square = (w: number, s: number, e: number, n: number) => [[[w, s], [e, s], [e, n], [w, n], [w, s]]];
const areas = areaSetFromGeoJson(
	{
		type: 'FeatureCollection',
		features: [
			{ type: 'Feature', properties: { id: 'W', name: '西区' }, geometry: { type: 'Polygon', coordinates: square(121.3, 31.1, 121.45, 31.3) } },
			{ type: 'Feature', properties: { id: 'E', name: '东区' }, geometry: { type: 'Polygon', coordinates: square(121.45, 31.1, 121.6, 31.3) } }
		]
	},
	{ crs: 'wgs84', idField: 'id', nameField: 'name' },
	'areas'
);
const bbox: [number, number, number, number] = [121.3, 31.1, 121.6, 31.3];
const base = { areas, bbox };

describe('column detection', () => {
	it('recognises Chinese and English headers', () => {
		expect(detectColumns(['机构名称', '经度', '纬度', '级别', '床位数', '地址'])).toEqual({ name: '机构名称', lon: '经度', lat: '纬度', level: '级别', capacity: '床位数', address: '地址' });
		expect(detectColumns(['Name', 'LNG', 'Lat', 'beds'])).toMatchObject({ name: 'Name', lon: 'LNG', lat: 'Lat', capacity: 'beds' });
		expect(detectColumns(['名称', '经度(GCJ02)', '纬度(GCJ02)'])).toMatchObject({ lon: '经度(GCJ02)', lat: '纬度(GCJ02)' });
		expect(detectColumns(['id', 'name', 'lon_wgs84', 'lat_wgs84'])).toMatchObject({ id: 'id', lon: 'lon_wgs84', lat: 'lat_wgs84' });
	});
	it('reads a level column as codes or Chinese labels', () => {
		expect(['chc', 'CHS', '社区卫生服务中心', '村卫生室', '乡镇卫生院', '社区卫生服务站', '牙科', ''].map(levelFromColumn)).toEqual(['chc', 'chs', 'chc', 'village_clinic', 'township', 'chs', null, null]);
	});
});

describe('importFacilities (synthetic)', () => {
	const csv = [
		'名称,经度,纬度,级别,床位',
		'甲社区卫生服务中心,121.40,31.20,,50', // 2: ok, level by name
		'乙卫生站,121.50,31.20,chs,', // 3: ok, level column
		'丙诊所,,31.2,,', // 4: empty lon
		'丁口腔诊所,121.41,31.21,,', // 5: dental -> excluded by the name rules
		'"戊社区卫生服务站, 东门",121.42,31.22,,abc', // 6: ok (quoted comma), capacity not a number -> field rejected
		'己社区卫生服务站,31.22,121.42,,', // 7: swapped
		'庚社区卫生服务站,116.40,39.90,,', // 8: Beijing: outside the region
		'辛社区卫生服务站,121.43,31.23,,,extra', // 9: too many fields
		'"壬社区卫生服务站',
		'二号",121.44,31.24,,', // 10-11: a quoted name over two lines: ok, line 10
		'癸社区卫生服务站,abc,31.2,,', // 12: not a number
		'',
		'子村卫生室,121.55,31.25,村卫生室,3' // 14: ok, after a blank line
	].join('\n');

	it('rejects each bad row with its line and reason, keeps the others', () => {
		const r = importFacilities(csv, { file: 'my.csv', ...base });
		expect(r.facilities.map((f) => [f.name, f.level, f.areaId, f.capacity])).toEqual([
			['甲社区卫生服务中心', 'chc', 'W', 50],
			['乙卫生站', 'chs', 'E', undefined],
			['戊社区卫生服务站, 东门', 'chs', 'W', undefined],
			['壬社区卫生服务站\n二号', 'chs', 'W', undefined],
			['子村卫生室', 'village_clinic', 'E', 3]
		]);
		expect(r.rejected.map((x) => [x.line, x.code, x.field])).toEqual([
			[4, 'coord-empty', '经度'],
			[5, 'excluded-by-name', '名称'],
			[6, 'value-not-number', '床位'],
			[7, 'coord-swapped', '纬度'],
			[8, 'outside-region', '经度'],
			[9, 'field-count', undefined],
			[12, 'coord-not-number', '经度']
		]);
		expect(r.rejected[0].message).toBe('my.csv: line 4: "经度" is empty');
		expect(r.rows).toBe(11);
		expect(r.levelFrom).toBe('column');
	});

	it('reads the same file saved as GBK (auto-detected) and refuses GBK as UTF-8 with a message', () => {
		const gbk = encodeGbk(csv);
		expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow();
		const r = importFacilities(gbk, { file: 'gbk.csv', ...base });
		expect(r.encoding).toBe('gb18030');
		expect(r.facilities.map((f) => f.name)).toEqual(importFacilities(csv, { file: 'u.csv', ...base }).facilities.map((f) => f.name));
		expect(() => importFacilities(gbk, { file: 'gbk.csv', encoding: 'utf-8', ...base })).toThrow(/gbk\.csv: the file is not valid UTF-8/);
		expect(decodeText(new TextEncoder().encode('\ufeff名称'), 'auto', 'x').text).toBe('名称');
	});

	it('converts GCJ-02 and BD-09 to WGS84, from the user choice or a header hint', () => {
		const [glon, glat] = wgs84ToGcj02(121.4, 31.2);
		const [blon, blat] = fromWgs84(121.4, 31.2, 'bd09');
		const a = importFacilities(`name,lng_gcj02,lat_gcj02\n甲社区卫生服务中心,${glon},${glat}\n`, { file: 'a.csv', ...base });
		expect(a.crs).toBe('gcj02');
		expect(a.crsFrom).toBe('headers');
		expect(haversineM(a.facilities[0].lon, a.facilities[0].lat, 121.4, 31.2)).toBeLessThan(0.01);
		const b = importFacilities(`name,lng,lat\n甲社区卫生服务中心,${blon},${blat}\n`, { file: 'b.csv', crs: 'bd09', ...base });
		expect(haversineM(b.facilities[0].lon, b.facilities[0].lat, 121.4, 31.2)).toBeLessThan(0.05);
	});

	it('a file without a name or coordinate column fails whole, naming the columns it has', () => {
		expect(() => importFacilities('foo,bar\n1,2\n', { file: 'x.csv', ...base })).toThrow(/x\.csv: no name \(名称\) column; columns found: foo, bar/);
		expect(() => importFacilities('', { file: 'e.csv', ...base })).toThrow(/e\.csv: the file is empty/);
		const headerOnly = importFacilities('名称,经度,纬度\n', { file: 'h.csv', ...base });
		expect(headerOnly.facilities).toEqual([]);
		expect(headerOnly.rejected).toEqual([]);
	});

	it('GeoJSON points: geometry is used for the coordinates, a non-point feature is rejected', () => {
		const fc = {
			type: 'FeatureCollection',
			features: [
				{ type: 'Feature', properties: { name: '甲社区卫生服务站' }, geometry: { type: 'Point', coordinates: [121.4, 31.2] } },
				{ type: 'Feature', properties: { name: '乙社区卫生服务站' }, geometry: { type: 'LineString', coordinates: [[121.4, 31.2], [121.5, 31.2]] } }
			]
		};
		const r = importFacilities(JSON.stringify(fc), { file: 'p.geojson', ...base });
		expect(r.facilities.map((f) => f.name)).toEqual(['甲社区卫生服务站']);
		expect(r.rejected.map((x) => [x.line, x.code])).toEqual([[2, 'not-a-point']]);
	});

	it('duplicate ids: the second is rejected; ids taken by the region are not reused', () => {
		const r = importFacilities('id,name,lon,lat\nA,甲社区卫生服务站,121.4,31.2\nA,乙社区卫生服务站,121.41,31.2\nf1,丙社区卫生服务站,121.42,31.2\n', {
			file: 'd.csv',
			takenIds: new Set(['f1']),
			...base
		});
		expect(r.facilities.map((f) => f.id)).toEqual(['A']);
		expect(r.rejected.map((x) => [x.line, x.code])).toEqual([
			[3, 'duplicate-id'],
			[4, 'duplicate-id']
		]);
	});

	it('a 100,000-row CSV: every row accounted for, the bad ones by line', () => {
		const rng = createSeededRng(7);
		const lines = ['name,lon,lat'];
		const bad = new Set<number>();
		for (let i = 0; i < 100_000; i++) {
			const line = i + 2;
			if (i % 997 === 0) {
				bad.add(line);
				lines.push(`站${i},,31.2`);
			} else lines.push(`社区卫生服务站${i},${(121.31 + rng() * 0.28).toFixed(6)},${(31.11 + rng() * 0.18).toFixed(6)}`);
		}
		const r = importFacilities(lines.join('\n'), { file: 'big.csv', ...base });
		expect(r.rows).toBe(100_000);
		expect(r.facilities.length + r.rejected.length).toBe(100_000);
		expect(new Set(r.rejected.map((x) => x.line))).toEqual(bad);
	});

	it('fuzz: random bytes and mangled rows never throw anything but a KejimapError, and every row is accounted for', () => {
		const rng = createSeededRng(11);
		const pieces = ['社区卫生服务站', ',', '"', '\n', '\r\n', '121.4', '31.2', 'NaN', 'Infinity', '-1e400', '<script>alert(1)</script>', '\t', ';', '经度', ' '];
		for (let k = 0; k < 200; k++) {
			let body = '';
			for (let i = 0; i < 40; i++) body += pieces[Math.floor(rng() * pieces.length)];
			const text = `名称,经度,纬度\n${body}`;
			try {
				const r = importFacilities(text, { file: 'fuzz.csv', ...base });
				for (const f of r.facilities) expect(Number.isFinite(f.lon) && Number.isFinite(f.lat)).toBe(true);
				for (const x of r.rejected) expect(x.line).toBeGreaterThanOrEqual(2);
			} catch (e) {
				expect((e as Error).name).toBe('KejimapError');
			}
		}
		const bytes = new Uint8Array(300).map(() => Math.floor(rng() * 256));
		try {
			importFacilities(bytes, { file: 'noise.bin', ...base });
		} catch (e) {
			expect((e as Error).name).toBe('KejimapError');
		}
	});

	it('CSV line numbers count the lines of the file (CRLF, quoted newlines, blank lines)', () => {
		const t = readCsvTable('a,b\r\n1,2\r\n"x\r\ny",3\r\n\r\n4,5\r\n', 't.csv');
		expect(t.rows.map((r) => [r.line, r.values[0]])).toEqual([
			[2, '1'],
			[3, 'x\r\ny'],
			[6, '4']
		]);
	});
});

describe('CRS check (synthetic)', () => {
	it('points read as WGS84 that are really GCJ-02 are flagged, and true WGS84 points are not', () => {
		const rng = createSeededRng(3);
		const ref = { kind: 'facilities' as const, lon: [] as number[], lat: [] as number[] };
		for (let i = 0; i < 500; i++) {
			ref.lon.push(121.3 + rng() * 0.3);
			ref.lat.push(31.1 + rng() * 0.2);
		}
		// the same places, geocoded with ~20 m noise
		const wgs = ref.lon.map((lon, i) => [lon + (rng() - 0.5) * 4e-4, ref.lat[i] + (rng() - 0.5) * 4e-4] as [number, number]);
		const gcj = wgs.map(([lon, lat]) => wgs84ToGcj02(lon, lat));
		const bd = wgs.map(([lon, lat]) => fromWgs84(lon, lat, 'bd09'));
		expect(checkCrs(wgs, 'wgs84', ref)).toMatchObject({ best: 'wgs84', flagged: false });
		expect(checkCrs(gcj, 'wgs84', ref)).toMatchObject({ best: 'gcj02', flagged: true });
		expect(checkCrs(bd, 'wgs84', ref)).toMatchObject({ best: 'bd09', flagged: true });
		expect(checkCrs(bd, 'gcj02', ref)).toMatchObject({ best: 'bd09', flagged: true });
	});
});

const official = path.join(defaultDataRoot(), 'shanghai-chc-official-2025/shanghai_chc_official_geocoded_gcj02.csv');
const amap = path.join(defaultDataRoot(), 'shanghai-health-facilities-amap/shanghai_medical_poi_amap_wgs84.csv');
describe.skipIf(!existsSync(official) || !existsSync(amap))('real data: the official Shanghai centres (GCJ-02)', () => {
	it('are flagged as GCJ-02 against the Amap WGS84 points, converted, and land near the same-named POIs', () => {
		const ref = parseCsv(readFileSync(amap, 'utf8'), 'amap');
		const reference = { kind: 'facilities' as const, lon: ref.rows.map((r) => Number(r.lon)), lat: ref.rows.map((r) => Number(r.lat)) };
		const shanghai: [number, number, number, number] = [120.85, 30.67, 122.2, 31.88];
		const big = areaSetFromGeoJson(
			{ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'SH', name: '上海' }, geometry: { type: 'Polygon', coordinates: square(...shanghai) } }] },
			{ crs: 'wgs84', idField: 'id', nameField: 'name' },
			'sh'
		);
		const bytes = new Uint8Array(readFileSync(official));
		const r = importFacilities(bytes, { file: 'official.csv', areas: big, bbox: shanghai, reference });
		console.log(`official list: ${r.facilities.length} imported, ${r.rejected.length} rejected; CRS check ${JSON.stringify(r.crsCheck)}`);
		expect(r.mapping).toMatchObject({ name: 'name', lon: 'lng', lat: 'lat', district: 'district', address: 'address' });
		expect(r.crsCheck).toMatchObject({ assumed: 'wgs84', best: 'gcj02', flagged: true });
		expect(r.crs).toBe('gcj02');
		expect(r.crsFrom).toBe('check');
		expect(r.facilities.length + r.rejected.length).toBe(249);
		// independent: same-named Amap POIs, distance after our conversion vs the raw GCJ-02 numbers
		const byName = new Map(ref.rows.map((x) => [x.name, [Number(x.lon), Number(x.lat)] as const]));
		const raw = parseCsv(readFileSync(official, 'utf8'), 'o').rows;
		const dConv: number[] = [];
		const dRaw: number[] = [];
		for (const o of raw) {
			const a = byName.get(o.name);
			if (!a) continue;
			const [lon, lat] = gcj02ToWgs84(Number(o.lng), Number(o.lat));
			dConv.push(haversineM(lon, lat, a[0], a[1]));
			dRaw.push(haversineM(Number(o.lng), Number(o.lat), a[0], a[1]));
		}
		const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
		expect(med(dConv)).toBeLessThan(100);
		expect(med(dRaw)).toBeGreaterThan(300);
		expect(r.crsCheck!.medianM.gcj02).toBeLessThan(r.crsCheck!.medianM.wgs84 / 2);
	});
});
