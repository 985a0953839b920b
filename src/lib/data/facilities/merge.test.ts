import { describe, expect, it } from 'vitest';
import { haversineM } from '../../engine/geo/measure';
import { createSeededRng as mulberry32 } from '../../engine/synthetic';
import type { FacilityLevel } from '../../engine/types';
import { mergeFacilities, nameStem, type Mergeable } from './merge';

// ~1e-5 deg lat = 1.11 m
const at = (name: string, level: FacilityLevel, dNorthM: number, dEastM = 0, district?: string): Mergeable => ({
	name,
	level,
	lat: 31.2 + dNorthM / 111195,
	lon: 121.4 + dEastM / (111195 * Math.cos((31.2 * Math.PI) / 180)),
	district
});

describe('nameStem', () => {
	it.each([
		['外滩街道社区卫生服务中心门诊部', '外滩街道社区卫生服务中心', true],
		['上海市黄浦区外滩街道社区卫生服务中心', '外滩街道社区卫生服务中心', false],
		['外滩街道社区卫生服务中心(第二执业点)', '外滩街道社区卫生服务中心', true],
		['外滩街道社区卫生服务中心-预防接种门诊', '外滩街道社区卫生服务中心', true],
		['外滩街道社区卫生服务中心金陵分中心', '外滩街道社区卫生服务中心金陵分中心', false],
		['外滩街道社区卫生服务中心金陵分中心门诊', '外滩街道社区卫生服务中心金陵分中心', true],
		['凉城街道社区卫生服务中心广粤服务站', '凉城街道社区卫生服务中心广粤服务站', false],
		['复旦大学附属华东医院16号楼', '复旦大学附属华东医院', true],
		['上海市第七人民医院-特需门诊楼', '第七人民医院', true],
		['金鹏社区卫生服务站家庭医生工作站', '金鹏社区卫生服务站', true],
		['上海长征医院东门', '长征医院', true],
		['嘉定镇街道社区卫生服务中心', '嘉定镇街道社区卫生服务中心', false]
	])('%s -> %s', (name, stem, sub) => {
		expect(nameStem(name, name.startsWith('嘉定') ? '嘉定区' : '黄浦区')).toEqual({ stem, subPoi: sub });
	});

	it('drops the district prefix only when written with 区/县', () => {
		expect(nameStem('黄浦区半淞园街道社区卫生服务中心', '黄浦区').stem).toBe('半淞园街道社区卫生服务中心');
		expect(nameStem('黄浦区半淞园街道社区卫生服务中心', '黄浦').stem).toBe('半淞园街道社区卫生服务中心');
		expect(nameStem('金山卫镇社区卫生服务中心', '金山区').stem).toBe('金山卫镇社区卫生服务中心');
	});
});

describe('mergeFacilities', () => {
	it('folds parts into the centre within 150 m, keeps the main name, position and highest level', () => {
		const items = [
			at('外滩街道社区卫生服务中心门诊部', 'chc_branch', 0, 0, '黄浦区'),
			at('上海市黄浦区外滩街道社区卫生服务中心', 'chc', 40, 0, '黄浦区'),
			at('外滩街道社区卫生服务中心(第二执业点)', 'chc_branch', 600, 0, '黄浦区'), // same stem, too far: separate
			at('外滩街道社区卫生服务中心金陵分中心', 'chc_branch', 60, 0, '黄浦区'), // a branch: separate
			at('凉城街道社区卫生服务中心广粤服务站', 'chs', 10, 0, '虹口区')
		];
		const groups = mergeFacilities(items);
		expect(groups.length).toBe(4);
		const g = groups.find((x) => x.merged.length > 0)!;
		expect(items[g.keep].name).toBe('上海市黄浦区外滩街道社区卫生服务中心');
		expect(g.level).toBe('chc');
		expect(g.merged.map((m) => m.index)).toEqual([0]);
		expect(g.merged[0].distanceM).toBeCloseTo(40, 0);
	});

	it('respects the radius on the sphere (149 m merges, 151 m does not) and chains a campus', () => {
		expect(mergeFacilities([at('甲医院', 'hospital', 0), at('甲医院2号楼', 'hospital', 149)]).length).toBe(1);
		expect(mergeFacilities([at('甲医院', 'hospital', 0), at('甲医院2号楼', 'hospital', 151)]).length).toBe(2);
		expect(mergeFacilities([at('甲医院', 'hospital', 0), at('甲医院1号楼', 'hospital', 0, 120), at('甲医院2号楼', 'hospital', 0, 240)]).length).toBe(1);
	});

	it('equals a brute-force grouping on random data', () => {
		let seed = 5;
		const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
		const names = ['甲中心', '甲中心门诊部', '乙中心', '乙中心住院部', '丙站', '丁村卫生室'];
		const items = Array.from({ length: 400 }, () => at(names[Math.floor(rnd() * names.length)], 'chc', rnd() * 3000, rnd() * 3000));
		const groups = mergeFacilities(items);
		// brute force: union-find over all pairs
		const parent = items.map((_, i) => i);
		const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
		for (let i = 0; i < items.length; i++)
			for (let j = i + 1; j < items.length; j++)
				if (nameStem(items[i].name).stem === nameStem(items[j].name).stem && haversineM(items[i].lon, items[i].lat, items[j].lon, items[j].lat) <= 150)
					parent[find(j)] = find(i);
		const brute = new Map<number, number[]>();
		items.forEach((_, i) => brute.set(find(i), [...(brute.get(find(i)) ?? []), i]));
		const fromGroups = groups.map((g) => [g.keep, ...g.merged.map((m) => m.index)].sort((a, b) => a - b)).sort((a, b) => a[0] - b[0]);
		const fromBrute = [...brute.values()].map((l) => l.sort((a, b) => a - b)).sort((a, b) => a[0] - b[0]);
		expect(fromGroups).toEqual(fromBrute);
		expect(groups.length).toBeLessThan(items.length);
	});
});

describe('mergeFacilities: the fast grouping equals the brute-force closure', () => {
	/** Reference: every pair tested (same non-empty stem, within the radius on the sphere), groups = connected components. */
	function bruteGroups(items: Mergeable[], radiusM: number): number[][] {
		const stems = items.map((it) => nameStem(it.name, it.district).stem);
		const comp = items.map((_, i) => i);
		const root = (i: number): number => (comp[i] === i ? i : (comp[i] = root(comp[i])));
		for (let i = 0; i < items.length; i++)
			for (let j = i + 1; j < items.length; j++)
				if (stems[i] && stems[i] === stems[j] && haversineM(items[i].lon, items[i].lat, items[j].lon, items[j].lat) <= radiusM) {
					const a = root(i);
					const b = root(j);
					comp[Math.max(a, b)] = Math.min(a, b);
				}
		const by = new Map<number, number[]>();
		items.forEach((_, i) => by.set(root(i), [...(by.get(root(i)) ?? []), i]));
		return [...by.values()].sort((a, b) => a[0] - b[0]);
	}
	const groupsOf = (items: Mergeable[]) =>
		mergeFacilities(items)
			.map((g) => [g.keep, ...g.merged.map((m) => m.index)].sort((a, b) => a - b))
			.sort((a, b) => a[0] - b[0]);
	it.each([1, 2, 3, 4, 5, 6])('seed %i: duplicates, jitter, chains and near misses', (seed) => {
		const rnd = mulberry32(seed);
		const names = ['甲社区卫生服务中心', '乙社区卫生服务站', '丙卫生室', '甲社区卫生服务中心门诊部', ''];
		const items: Mergeable[] = [];
		for (let k = 0; k < 60; k++) {
			const name = names[Math.floor(rnd() * names.length)];
			const n0 = rnd() * 2000;
			const e0 = rnd() * 2000;
			const copies = 1 + Math.floor(rnd() * 6);
			for (let c = 0; c < copies; c++) {
				const jitter = rnd() < 0.5 ? 0 : rnd() * 200; // exact duplicates, or within / beyond 150 m
				items.push(at(name, 'chc', n0 + jitter, e0 + rnd() * jitter));
			}
		}
		expect(groupsOf(items)).toEqual(bruteGroups(items, 150));
	});
});
