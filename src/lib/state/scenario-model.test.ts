import { describe, expect, it } from 'vitest';
import { decodeScenarioLink } from '../engine/scenario/codec';
import type { ScenarioFacility } from '../engine/scenario/edits';
import { freshFacilityId, newStoredScenario, updateFacilities, withoutParam, withParam } from './scenario-model';

const f = (id: string, open = true): ScenarioFacility => ({ id, name: id, level: 'chc', lon: 121, lat: 31, open, added: id.startsWith('new-'), mergedInto: null });

describe('scenario state helpers', () => {
	it('an edit updates facilities in place, appends new ones, drops taken-out ones', () => {
		const list = [f('a'), f('b'), f('new-1')];
		expect(updateFacilities(list, [f('b', false), f('new-2')], ['new-1']).map((x) => [x.id, x.open])).toEqual([
			['a', true],
			['b', false],
			['new-2', true]
		]);
		expect(list.map((x) => x.id)).toEqual(['a', 'b', 'new-1']); // the old list is not mutated
	});

	it('fresh ids skip those in use by the scenario and the region', () => {
		expect(freshFacilityId([f('new-1'), f('new-2')], [{ id: 'new-3' }])).toBe('new-4');
		expect(freshFacilityId([], [])).toBe('new-1');
	});

	it('the share link keeps the view parameters and carries the scenario; the address bar drops it again', () => {
		const s = newStoredScenario('shanghai', '方案 1', { id: 'shanghai', inputHash: 'h', dataHash: 'd' }, { mode: 'walk', maxMinutes: 15, levels: ['chc'], targetShare: 0.9, method: 'auto' });
		const link = withParam('/kejimap/?region=shanghai&mode=walk&basemap=x', 'sc', 'abc_-');
		expect(link).toBe('/kejimap/?region=shanghai&mode=walk&basemap=x&sc=abc_-');
		expect(withoutParam(new URLSearchParams(link.split('?')[1]), 'sc').toString()).toBe('region=shanghai&mode=walk&basemap=x');
		expect(s.doc.edits).toEqual([]);
		expect(() => decodeScenarioLink('abc_-')).toThrow(/damaged or cut short/);
	});
});
