/**
 * The coverage CLI's import flags (scripts/lib/import-options.ts), end to end on the built regions: a GBK facility
 * list in GCJ-02 with bad rows (stderr names each line; the table used is written in WGS84 and checked against an
 * independent conversion), --import-add, a road network turning a radius region into a network one, and refusals
 * (a raster header claiming 10^9 pixels, a file too large for a tab). Skipped with a notice without the shared data.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeArrayBuffer } from 'geotiff';
import { describe, expect, it } from 'vitest';
import { claimTiffSize, encodeGbk } from '../src/lib/data/import/testing';
import { fromWgs84 } from '../src/lib/engine/geo/crs';
import { haversineM } from '../src/lib/engine/geo/measure';

const dataRoot = process.env.KEJIMAP_DATA ?? path.resolve(__dirname, '../../shared/data');
const hasData = existsSync(dataRoot);
if (!hasData) console.log(`notice: no shared data at ${dataRoot}: CLI import tests skipped`);

function cli(...args: string[]) {
	const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/coverage-cli.ts', ...args], { encoding: 'utf8', timeout: 180_000 });
	return { code: r.status, out: r.stdout, err: r.stderr };
}
const dir = mkdtempSync(path.join(tmpdir(), 'kjm-import-'));
const readCsv = (f: string) => {
	const [head, ...rows] = readFileSync(f, 'utf8').trim().split('\n');
	const h = head.split(',');
	return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [h[i], v])));
};

describe.skipIf(!hasData)('coverage CLI imports', () => {
	// three clinics in the Tongji box (WGS84 truth), written as GCJ-02 in a GBK file with two bad rows
	const truth: [string, number, number][] = [
		['四平路街道社区卫生服务中心', 121.4955, 31.2835],
		['同济新村社区卫生服务站', 121.5005, 31.2860],
		['赤峰路村卫生室', 121.4980, 31.2880]
	];
	const lines = ['名称,经度,纬度,级别'];
	for (const [name, lon, lat] of truth) {
		const [x, y] = fromWgs84(lon, lat, 'gcj02');
		lines.push(`${name},${x.toFixed(7)},${y.toFixed(7)},`);
	}
	lines.splice(2, 0, '坏的一行,,31.28,'); // line 3: empty longitude
	lines.push('北京的站,116.4,39.9,chs'); // line 6: outside the region
	const gbkFile = path.join(dir, 'clinics-gbk.csv');
	writeFileSync(gbkFile, encodeGbk(lines.join('\r\n')));

	it('replaces the list with a GBK GCJ-02 file: rejected lines on stderr, the table used in WGS84', () => {
		const used = path.join(dir, 'used.csv');
		const r = cli('--region', 'shanghai-yangpu-tongji', '--import-facilities', gbkFile, '--crs', 'gcj02', '--encoding', 'gbk', '--facilities', used, '--json');
		expect(r.code, r.err).toBe(0);
		expect(r.err).toContain('rejected: ' + gbkFile + ': line 3: "经度" is empty');
		expect(r.err).toMatch(/line 6: \[116\.\d+, 39\.\d+\] \(WGS84\) is outside the region/);
		const rows = readCsv(used);
		expect(rows.map((x) => x.name)).toEqual(truth.map((t) => t[0]));
		rows.forEach((x, i) => expect(haversineM(Number(x.lon), Number(x.lat), truth[i][1], truth[i][2])).toBeLessThan(0.2));
		expect(rows.map((x) => x.level)).toEqual(['chc', 'chs', 'village_clinic']);
		const json = JSON.parse(r.out);
		expect(json.labels.activeFacilities).toBe(3);
	});

	it('--import-add adds to the region list; auto encoding and CRS give the same points', () => {
		const base = JSON.parse(cli('--region', 'shanghai-yangpu-tongji', '--json', '--levels', 'chc,chs,village_clinic').out);
		const used = path.join(dir, 'added.csv');
		const r = cli('--region', 'shanghai-yangpu-tongji', '--import-facilities', gbkFile, '--import-add', '--crs', 'gcj02', '--facilities', used, '--json', '--levels', 'chc,chs,village_clinic');
		expect(r.code, r.err).toBe(0);
		expect(JSON.parse(r.out).labels.activeFacilities).toBe(base.labels.activeFacilities + 3);
		expect(readCsv(used).filter((x) => x.source === 'import')).toHaveLength(3);
	});

	it('a road network makes a radius region compute on the network', () => {
		const osm = path.join(dataRoot, 'shanghai-osm-extracts/yangpu_tongji_siping_raw.osm');
		const before = JSON.parse(cli('--region', 'shanghai', '--json', '--levels', 'chc').out);
		const r = cli('--region', 'shanghai', '--import-network', osm, '--json', '--levels', 'chc');
		expect(r.code, r.err).toBe(0);
		const after = JSON.parse(r.out);
		expect(before.total.networkShare).toBe(0);
		expect(after.total.networkShare).toBeGreaterThan(0);
		expect(after.total.population).toBe(before.total.population);
	}, 120_000);

	it('refuses a raster header claiming 10^9 pixels and a file too large for a tab, with exit code 2', () => {
		const tif = writeArrayBuffer(Float32Array.from([1, 2, 3, 4]), { width: 2, height: 2, ModelPixelScale: [1e-7, 1e-7, 0], ModelTiepoint: [0, 0, 0, 121.495, 31.288, 0], GeographicTypeGeoKey: 4326, GTModelTypeGeoKey: 2 } as never);
		const huge = path.join(dir, 'huge.tif');
		writeFileSync(huge, new Uint8Array(claimTiffSize(tif, 40_000, 25_000)));
		const r = cli('--region', 'shanghai-yangpu-tongji', '--import-population', huge);
		expect(r.code).toBe(2);
		expect(r.err).toMatch(/huge\.tif: 40000 x 25000 = 1\.0e\+9 pixels to read over the region, more than the 1e\+8 a browser tab can hold/);
		const big = path.join(dir, 'big.csv');
		writeFileSync(big, '名称,经度,纬度\n');
		truncateSync(big, 300 * 1024 * 1024); // sparse: no disk used
		const t = cli('--region', 'shanghai-yangpu-tongji', '--import-facilities', big);
		expect(t.code).toBe(2);
		expect(t.err).toMatch(/big\.csv: 300 MB is too large for a facility list in the browser \(limit 200 MB\)/);
	});

	it('bad import flags get one line and exit code 2', () => {
		const r = cli('--region', 'shanghai', '--import-facilities', gbkFile, '--crs', 'mars');
		expect(r.code).toBe(2);
		expect(r.err.split('\n')[0]).toBe('error: --crs must be auto, wgs84, gcj02, bd09 (got "mars")');
		expect(cli('--region', 'shanghai', '--import-add').err.split('\n')[0]).toBe('error: --import-add needs --import-facilities');
	});
});
