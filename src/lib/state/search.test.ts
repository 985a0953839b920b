import { describe, expect, it } from 'vitest';
import { searchByName } from './search';

const facilities = [
	{ name: '长宁区新华街道社区卫生服务中心', level: 'chc' as const, address: '长宁区' },
	{ name: '新华医院', level: 'hospital' as const },
	{ name: 'Xinhua Clinic', level: 'other' as const }
];
const areas = [{ name: '长宁区' }, { name: '浦东新区' }];

describe('searchByName', () => {
	it('matches plain substrings of Chinese names, areas first', () => {
		const r = searchByName('长宁', facilities, areas);
		expect(r.hits.map((h) => [h.kind, h.index])).toEqual([
			['area', 0],
			['facility', 0]
		]);
		expect(searchByName('新华', facilities, areas).total).toBe(2);
	});
	it('ignores case for Latin letters, trims, limits and counts', () => {
		expect(searchByName(' xinhua ', facilities, areas).hits[0].index).toBe(2);
		const r = searchByName('区', facilities, areas, 1);
		expect(r.hits).toHaveLength(1);
		expect(r.total).toBe(3);
		expect(searchByName('   ', facilities, areas).total).toBe(0);
	});
});
