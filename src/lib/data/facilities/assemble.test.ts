import { describe, expect, it } from 'vitest';
import { KejimapError } from '../../engine/errors';
import { fromWgs84 } from '../../engine/geo/crs';
import type { FacilitySource } from '../../engine/region';
import { areaSetFromGeoJson } from '../area-set';
import { assembleFacilities } from './assemble';

const sq = (w: number, s: number, e: number, n: number) => [[[w, s], [e, s], [e, n], [w, n], [w, s]]];
const areas = areaSetFromGeoJson(
	{
		type: 'FeatureCollection',
		features: [
			{ type: 'Feature', properties: { code: '310101', name: '黄浦区' }, geometry: { type: 'Polygon', coordinates: sq(121.4, 31.2, 121.5, 31.3) } },
			{ type: 'Feature', properties: { code: '310106', name: '静安区' }, geometry: { type: 'Polygon', coordinates: sq(121.4, 31.3, 121.5, 31.4) } }
		]
	},
	{ crs: 'wgs84', idField: 'code', nameField: 'name' },
	'areas.geojson'
);

const amap: FacilitySource = {
	id: 'amap',
	path: 'amap.csv',
	format: 'csv',
	crs: 'wgs84',
	fields: { name: 'name', lon: 'lon', lat: 'lat', district: 'adname', type: 'type' },
	classify: 'amap-name-rules',
	role: 'facilities',
	label: { zh: '高德', en: 'Amap' }
};
const official: FacilitySource = {
	id: 'official',
	path: 'official.csv',
	format: 'csv',
	crs: 'gcj02',
	fields: { name: 'name', lon: 'lng', lat: 'lat', district: 'district' },
	classify: { fixed: 'chc' },
	role: 'official-reference',
	addUnmatched: true,
	label: { zh: '名单', en: 'List' }
};
const W = '医疗保健服务;综合医院;卫生院';
const amapCsv = [
	'\ufeffname,adname,type,lon,lat',
	`甲街道社区卫生服务中心,黄浦区,${W},121.45,31.25`,
	`甲街道社区卫生服务中心门诊部,黄浦区,${W},121.4503,31.2501`, // ~30 m: merged
	`甲街道社区卫生服务中心金陵分中心,黄浦区,${W},121.46,31.25`,
	`乙社区卫生服务站,静安区,${W},121.45,31.35`,
	`丙宠物医院,黄浦区,医疗保健服务;动物医疗场所;宠物诊所,121.44,31.22`,
	`丁社区卫生服务中心,黄浦区,${W},121.6,31.25`, // outside every area
	`戊镇卫生院,静安区,${W},121.42,31.32` // matched by name, relabelled chc
].join('\n');
// official positions given in GCJ-02, as geocoders return them
const g = (lon: number, lat: number) => fromWgs84(lon, lat, 'gcj02').map((x) => x.toFixed(7)).join(',');
const officialCsv = [
	'name,district,lng,lat',
	`甲街道社区卫生服务中心,黄浦,${g(121.4501, 31.2502)}`,
	`戊镇社区卫生服务中心,静安,${g(121.4201, 31.3201)}`,
	`己街道社区卫生服务中心,静安,${g(121.48, 31.38)}`, // nothing in Amap: added
	`庚街道社区卫生服务中心,静安,${g(121.48, 31.22)}` // nothing in Amap, but placed in 黄浦: not added
].join('\n');

describe('assembleFacilities', () => {
	const run = () =>
		assembleFacilities({}, [
			{ source: amap, file: 'amap.csv', text: amapCsv },
			{ source: official, file: 'official.csv', text: officialCsv }
		], areas);

	it('classifies, drops, merges, matches and adds, with a full report', () => {
		const { facilities, report } = run();
		const by = Object.fromEntries(facilities.map((f) => [f.name, f]));
		expect(facilities.map((f) => [f.id, f.level, f.name])).toEqual([
			['f00001', 'chc', '甲街道社区卫生服务中心'],
			['f00002', 'chc', '己街道社区卫生服务中心'], // same level and area: code-point order of names
			['f00003', 'chc', '戊镇卫生院'],
			['f00004', 'chc_branch', '甲街道社区卫生服务中心金陵分中心'],
			['f00005', 'chs', '乙社区卫生服务站']
		]);
		expect(by['甲街道社区卫生服务中心'].mergedFrom).toEqual(['甲街道社区卫生服务中心门诊部']);
		expect(by['甲街道社区卫生服务中心'].officialMatch).toBe('甲街道社区卫生服务中心');
		expect(by['甲街道社区卫生服务中心'].areaId).toBe('310101');
		expect(by['乙社区卫生服务站'].areaId).toBe('310106');
		// the added centre is converted from GCJ-02 back to its WGS84 position
		expect(by['己街道社区卫生服务中心'].lon).toBeCloseTo(121.48, 6);
		expect(by['己街道社区卫生服务中心'].lat).toBeCloseTo(31.38, 6);
		expect(by['己街道社区卫生服务中心'].source).toBe('official');
		expect(report.excludedByReason).toEqual({ veterinary: 1 });
		expect(report.dropped.outsideAreas).toBe(1);
		expect(report.dropped.sample[0]).toMatchObject({ name: '丁社区卫生服务中心', reason: 'outside-areas' });
		expect(report.mergedPois).toBe(1);
		expect(report.merges[0].merged[0].name).toBe('甲街道社区卫生服务中心门诊部');
		const o = report.official[0];
		expect([o.outOfScope, o.distinct, o.matched, o.added, o.addedDropped]).toEqual([0, 4, 2, 1, 1]);
		expect(o.unmatched).toEqual(['己街道社区卫生服务中心', '庚街道社区卫生服务中心']);
		expect(o.districtMismatch).toEqual([{ name: '庚街道社区卫生服务中心', district: '静安', area: '黄浦区' }]);
		expect(o.relabelled).toEqual([{ from: '戊镇卫生院', to: '戊镇社区卫生服务中心' }]);
		expect(o.medianMatchDistanceM).toBeLessThan(30);
		expect(report.byLevel).toMatchObject({ chc: 3, chc_branch: 1, chs: 1, hospital: 0 });
		expect(JSON.parse(JSON.stringify(report))).toEqual(report);
	});

	it('is deterministic', () => {
		expect(JSON.stringify(run())).toBe(JSON.stringify(run()));
	});

	it('with a bbox, keeps a point in the box but outside every area (areaId null)', () => {
		const csv = 'name,adname,type,lon,lat\n甲社区卫生服务站,黄浦区,x,121.45,31.25\n乙社区卫生服务站,徐汇区,x,121.39,31.25\n丙社区卫生服务站,徐汇区,x,121.30,31.25\n';
		const { facilities, report } = assembleFacilities({ bbox: [121.35, 31.2, 121.5, 31.3] }, [{ source: amap, file: 'amap.csv', text: csv }], areas);
		expect(facilities.map((f) => [f.name, f.areaId])).toEqual([
			['甲社区卫生服务站', '310101'],
			['乙社区卫生服务站', null]
		]);
		expect(report.dropped).toMatchObject({ outsideBbox: 1, outsideAreas: 0, keptOutsideAreas: 1 });
		// the official list is matched only within the box: the rate's denominator is the centres in the box
		const scoped = assembleFacilities({ bbox: [121.4, 31.2, 121.46, 31.26] }, [
			{ source: amap, file: 'amap.csv', text: amapCsv },
			{ source: official, file: 'official.csv', text: officialCsv }
		], areas);
		expect(scoped.report.official[0]).toMatchObject({ outOfScope: 3, distinct: 1, matched: 1, matchRate: 1 });
	});

	it('drops points outside the bbox and applies `where`', () => {
		const villages: FacilitySource = {
			...amap,
			id: 'villages',
			format: 'geojson',
			fields: { name: 'name', lon: 'geometry', lat: 'geometry' },
			classify: { fixed: 'village_clinic' },
			where: { level: ['village'] },
			modelled: true
		};
		const gj = JSON.stringify({
			type: 'FeatureCollection',
			features: [
				{ type: 'Feature', properties: { name: '一村', level: 'village' }, geometry: { type: 'Point', coordinates: [121.41, 31.21] } },
				{ type: 'Feature', properties: { name: '二村', level: 'village' }, geometry: { type: 'Point', coordinates: [121.49, 31.29] } },
				{ type: 'Feature', properties: { name: '某镇', level: 'town' }, geometry: { type: 'Point', coordinates: [121.41, 31.21] } }
			]
		});
		const { facilities, report } = assembleFacilities({ bbox: [121.4, 31.2, 121.45, 31.25] }, [{ source: villages, file: 'v.geojson', text: gj }], areas);
		expect(facilities.map((f) => f.name)).toEqual(['一村']);
		expect(report.sources[0]).toMatchObject({ rows: 3, filteredOut: 1, droppedOutsideBbox: 1, kept: 1 });
		expect(report.modelledSources).toEqual(['villages']);
	});

	it('throws when most rows are invalid (a wrong mapping), naming file and row', () => {
		const swapped = 'name,adname,type,lon,lat\n甲社区卫生服务中心,黄浦区,x,31.25,121.45\n';
		try {
			assembleFacilities({}, [{ source: amap, file: 'amap.csv', text: swapped }], areas);
			throw new Error('no error');
		} catch (e) {
			expect(e).toBeInstanceOf(KejimapError);
			expect((e as Error).message).toBe(
				'amap.csv: row 2: latitude 121.45 is outside -90..90 — are longitude and latitude swapped? (1 of 1 rows invalid: check the field mapping and crs)'
			);
		}
	});
});
