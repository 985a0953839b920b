import { describe, expect, it } from 'vitest';
import type { FacilityLevel } from '../../engine/types';
import { coreName, coreNames, districtKey, matchOfficial, nameSimilarity, type MatchCandidate, type OfficialEntry } from './match';

const M_PER_DEG = 111195;
const off = (name: string, district: string, dNorthM: number): OfficialEntry => ({ name, district, locations: [[121.4, 31.2 + dNorthM / M_PER_DEG]] });
const poi = (name: string, level: FacilityLevel, district: string, dNorthM: number): MatchCandidate => ({ name, level, district, lon: 121.4, lat: 31.2 + dNorthM / M_PER_DEG });

describe('core names', () => {
	it('reduces names to the place', () => {
		expect(districtKey('浦东新区')).toBe('浦东');
		expect(districtKey('黄浦')).toBe('黄浦');
		expect(coreName('上海市黄浦区半淞园街道社区卫生服务中心(门诊部)', '黄浦区')).toBe('半淞园');
		expect(coreName('同济大学医学院附属大桥社区卫生服务中心', '杨浦')).toBe('大桥');
		expect(coreName('嘉定镇街道社区卫生服务中心', '嘉定')).toBe('嘉定');
		expect(coreName('马陆镇卫生院', '嘉定区')).toBe('马陆');
		expect(coreNames('江桥镇社区卫生服务中心（金沙新城社区卫生服务中心）', '嘉定')).toEqual(['江桥', '金沙新城']);
		expect(nameSimilarity('半淞园', '半淞园路')).toBeCloseTo(0.8, 5);
		expect(nameSimilarity('甲乙', '丙丁')).toBe(0);
	});
});

describe('matchOfficial', () => {
	it('matches by name first, one-to-one, nearest first, within the district', () => {
		const official = [off('甲街道社区卫生服务中心', '黄浦', 0), off('甲街道社区卫生服务中心', '虹口', 8000)];
		const cands = [poi('甲社区卫生服务中心', 'chc', '黄浦区', 900), poi('甲社区卫生服务中心', 'chc', '黄浦区', 50), poi('甲社区卫生服务中心', 'chc', '静安区', 10)];
		const m = matchOfficial(official, cands);
		expect(m).toEqual([{ official: 0, candidate: 1, method: 'name', distanceM: expect.closeTo(50, 0), similarity: 1 }]);
	});

	it('looks for centres among centre levels only: a hospital with the same place name is not a centre', () => {
		const m = matchOfficial([off('罗店镇第三社区卫生服务中心', '宝山', 0)], [poi('罗店医院', 'hospital', '宝山区', 500)]);
		expect(m).toEqual([]);
		const h = matchOfficial([off('嘉定区迎园医院', '嘉定', 0)], [poi('迎园医院', 'hospital', '嘉定区', 30)]);
		expect(h.map((x) => x.method)).toEqual(['name']);
	});

	it('accepts containment within 2 km only', () => {
		const near = matchOfficial([off('半淞园路街道社区卫生服务中心', '黄浦', 0)], [poi('半淞园街道社区卫生服务中心', 'chc', '黄浦区', 1500)]);
		expect(near.map((x) => x.method)).toEqual(['name-contains']);
		const far = matchOfficial([off('徐泾北大居社区卫生服务中心', '青浦', 0)], [poi('徐泾镇卫生院', 'township', '青浦区', 2950)]);
		expect(far).toEqual([]);
	});

	it('uses proximity with a name check, then co-location for renamed centres', () => {
		const m = matchOfficial(
			[
				off('马桥社区卫生服务中心', '闵行', 0),
				off('南汇新城镇社区卫生服务中心', '浦东', 5000),
				off('申鑫社区卫生服务中心', '闵行', 10000),
				off('新江湾城街道社区卫生服务中心', '杨浦', 20000)
			],
			[
				poi('马桥社区卫生服务中心景城分中心', 'chc_branch', '闵行区', 4),
				poi('芦潮港社区卫生服务中心', 'chc', '浦东新区', 5086),
				poi('颛桥镇社区卫生服务中心', 'chc', '闵行区', 10490), // 490 m, unrelated name: no match
				poi('新江湾社区卫生服务中心', 'chc', '宝山区', 20250) // other district: no name pass, but near and similar
			]
		);
		expect(m.map((x) => [x.official, x.candidate, x.method])).toEqual([
			[0, 0, 'name-contains'],
			[1, 1, 'colocated'],
			[3, 3, 'proximity']
		]);
	});
});
