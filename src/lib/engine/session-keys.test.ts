import { describe, expect, it } from 'vitest';
import { modesOf, settingsKey, timesKey, type CoverageSettings } from './session';

const base: CoverageSettings = { mode: 'walk', maxMinutes: 15, levels: ['chc', 'chs'], targetShare: 0.9, method: 'auto' };

describe('settings keys', () => {
	it('timesKey: the threshold and the target do not change the times; order of levels and rules does not matter', () => {
		const otherThreshold: CoverageSettings = { ...base, maxMinutes: 10, targetShare: 0.5 };
		expect(timesKey(otherThreshold)).toBe(timesKey(base));
		expect(timesKey({ ...base, levels: ['chs', 'chc'] })).toBe(timesKey(base));
		const r1 = { areaIds: ['a', 'b'], mode: 'cycle' as const };
		const r2 = { areaIds: ['c'], mode: 'drive' as const };
		expect(timesKey({ ...base, areaModeRules: [r1, r2] })).toBe(timesKey({ ...base, areaModeRules: [r2, { areaIds: ['b', 'a'], mode: 'cycle' }] }));
		for (const other of [{ mode: 'cycle' as const }, { method: 'radius' as const }, { levels: ['chc' as const] }, { areaModeRules: [r1] }])
			expect(timesKey({ ...base, ...other })).not.toBe(timesKey(base));
	});

	it('settingsKey adds the threshold and the target', () => {
		expect(settingsKey({ ...base, maxMinutes: 10 })).not.toBe(settingsKey(base));
		expect(settingsKey({ ...base, targetShare: 0.8 })).not.toBe(settingsKey(base));
		expect(settingsKey({ ...base, levels: ['chs', 'chc'] })).toBe(settingsKey(base));
	});

	it('modesOf: the global mode first, each rule mode once', () => {
		expect(modesOf({ mode: 'walk', areaModeRules: [{ areaIds: ['x'], mode: 'cycle' }, { areaIds: ['y'], mode: 'walk' }] })).toEqual(['walk', 'cycle']);
	});
});
