import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPointsCsv } from '../../data/csv';
import { parseGeoJson, readPointsGeoJson } from '../../data/geojson';
import { defaultDataRoot } from '../../data/node/files';
import { bd09ToGcj02, fromWgs84, gcj02ToBd09, gcj02ToWgs84, outOfChina, toWgs84, wgs84ToGcj02 } from './crs';
import { haversineM } from './measure';

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

describe('crs: formulas', () => {
	it('matches published reference values (wandergis/coordtransform README, Beijing 116.404, 39.915)', () => {
		// forward formulas are deterministic: the widely published outputs to ~1e-12
		const g = wgs84ToGcj02(116.404, 39.915);
		expect(g[0]).toBeCloseTo(116.41024449916938, 10);
		expect(g[1]).toBeCloseTo(39.91640428150164, 10);
		const b = gcj02ToBd09(116.404, 39.915);
		expect(b[0]).toBeCloseTo(116.41036949371029, 10);
		expect(b[1]).toBeCloseTo(39.92133699351021, 10);
		// the library's one-step inverses are approximate (~1e-6 deg); ours iterate, so agree to ~1e-5 deg
		const w = gcj02ToWgs84(116.404, 39.915);
		expect(Math.abs(w[0] - 116.39775550083061)).toBeLessThan(1e-5);
		expect(Math.abs(w[1] - 39.91359571849836)).toBeLessThan(1e-5);
		const bg = bd09ToGcj02(116.404, 39.915);
		expect(Math.abs(bg[0] - 116.39762729119315)).toBeLessThan(1e-5);
		expect(Math.abs(bg[1] - 39.90865673957631)).toBeLessThan(1e-5);
	});

	it('round-trips WGS84 -> GCJ-02/BD-09 -> WGS84 to < 1 cm over China', () => {
		let seed = 42;
		const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
		let worst = 0;
		for (let i = 0; i < 2000; i++) {
			const lon = 75 + rnd() * 60;
			const lat = 18 + rnd() * 35;
			for (const crs of ['gcj02', 'bd09'] as const) {
				const [x, y] = fromWgs84(lon, lat, crs);
				const [lon2, lat2] = toWgs84(x, y, crs);
				worst = Math.max(worst, haversineM(lon, lat, lon2, lat2));
			}
		}
		expect(worst).toBeLessThan(0.01);
	});

	it('shifts Shanghai by about 500 m, to the north-east in GCJ-02', () => {
		// People's Square, WGS84
		const [lon, lat] = [121.4737, 31.2304];
		const [gLon, gLat] = wgs84ToGcj02(lon, lat);
		const d = haversineM(lon, lat, gLon, gLat);
		expect(d).toBeGreaterThan(400);
		expect(d).toBeLessThan(600);
		expect(gLon).toBeGreaterThan(lon); // +0.0045 deg lon
		expect(gLat).toBeLessThan(lat); // -0.002 deg lat
		// BD-09 adds roughly another 1 km
		const [bLon, bLat] = fromWgs84(lon, lat, 'bd09');
		expect(haversineM(gLon, gLat, bLon, bLat)).toBeGreaterThan(700);
	});

	it('leaves points outside China unchanged and never shifts WGS84', () => {
		expect(outOfChina(2.35, 48.85)).toBe(true);
		expect(wgs84ToGcj02(2.35, 48.85)).toEqual([2.35, 48.85]);
		expect(gcj02ToWgs84(-74, 40.7)).toEqual([-74, 40.7]);
		expect(toWgs84(121.47, 31.23, 'wgs84')).toEqual([121.47, 31.23]);
		expect(fromWgs84(121.47, 31.23, 'wgs84')).toEqual([121.47, 31.23]);
		expect(outOfChina(121.47, 31.23)).toBe(false);
	});
});

const dataRoot = defaultDataRoot();
const officialCsv = path.join(dataRoot, 'shanghai-chc-official-2025/shanghai_chc_official_geocoded_gcj02.csv');
const amapGeojson = path.join(dataRoot, 'shanghai-health-facilities-amap/shanghai_community_health_wgs84.geojson');

describe.skipIf(!existsSync(officialCsv) || !existsSync(amapGeojson))('crs: real Shanghai data', () => {
	it('official GCJ-02 centres land within tens of metres of same-named WGS84 Amap points once converted', () => {
		const official = readPointsCsv(readFileSync(officialCsv, 'utf8'), { name: 'name', lon: 'lng', lat: 'lat' }, officialCsv);
		const amap = readPointsGeoJson(parseGeoJson(readFileSync(amapGeojson, 'utf8'), amapGeojson), { name: 'name', lon: 'geometry', lat: 'geometry' }, amapGeojson);
		const byName = new Map<string, { lon: number; lat: number }[]>();
		for (const a of amap) {
			const list = byName.get(a.values.name) ?? [];
			list.push(a);
			byName.set(a.values.name, list);
		}
		const raw: number[] = [];
		const converted: number[] = [];
		for (const o of official) {
			const cands = byName.get(o.values.name);
			if (!cands) continue;
			const [wLon, wLat] = toWgs84(o.lon, o.lat, 'gcj02');
			// nearest same-named point (a name can appear twice)
			raw.push(Math.min(...cands.map((c) => haversineM(o.lon, o.lat, c.lon, c.lat))));
			converted.push(Math.min(...cands.map((c) => haversineM(wLon, wLat, c.lon, c.lat))));
		}
		const mRaw = median(raw);
		const mConv = median(converted);
		console.log(`crs real test: ${raw.length} exact-name pairs; median raw ${mRaw.toFixed(1)} m, converted ${mConv.toFixed(1)} m; within 100 m converted: ${converted.filter((d) => d < 100).length}`);
		expect(raw.length).toBeGreaterThan(150);
		expect(mConv).toBeLessThan(40);
		expect(mRaw).toBeGreaterThan(400);
	});
});
