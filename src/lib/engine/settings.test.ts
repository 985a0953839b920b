import { describe, expect, it } from 'vitest';
import { formatTargetShare, MINUTES_RANGE, parseLevels, parseMinutes, parseTargetShare, settingsFromPolicy } from './settings';
import type { PolicyDefaults } from './region';

const value = <T>(r: { ok: true; value: T } | { ok: false; reason: string }) => (r.ok ? r.value : undefined);

describe('target share: one rule (share 0..1, or a percentage with %)', () => {
	it.each([
		['0.9', 0.9],
		['90%', 0.9],
		[' 90 % ', 0.9],
		['1', 1],
		['0', 0],
		['100%', 1],
		['0%', 0],
		['.5', 0.5],
		['89.9%', 0.899]
	])('%s -> %s', (t, v) => expect(value(parseTargetShare(t))).toBeCloseTo(v, 12));
	it.each(['', ' ', '90', '1.5', '-0.1', 'abc', '120%', '%', '0x1', '1e-1', 'NaN', 'Infinity', '0.9.1'])('%j is refused', (t) => {
		const r = parseTargetShare(t);
		expect(r.ok).toBe(false);
	});
	it('"90" suggests "90%"', () => expect(parseTargetShare('90')).toMatchObject({ ok: false, reason: expect.stringMatching(/90%/) }));
	it('the link text round-trips', () => {
		for (let k = 0; k <= 1000; k++) {
			const s = k / 1000;
			expect(value(parseTargetShare(formatTargetShare(s)))).toBeCloseTo(s, 12);
		}
	});
});

describe('minutes', () => {
	it('the range ends are valid and just outside is not', () => {
		expect(value(parseMinutes(String(MINUTES_RANGE.min)))).toBe(MINUTES_RANGE.min);
		expect(value(parseMinutes(String(MINUTES_RANGE.max)))).toBe(MINUTES_RANGE.max);
		for (const t of [String(MINUTES_RANGE.min - 0.01), String(MINUTES_RANGE.max + 0.01), '', 'abc', 'Infinity', '-15']) expect(parseMinutes(t).ok).toBe(false);
	});
});

describe('levels', () => {
	it('one unknown level refuses the whole list (never "no level")', () => {
		expect(parseLevels('chc,CHC').ok).toBe(false);
		expect(parseLevels('').ok).toBe(false);
		expect(value(parseLevels('chs, chc'))).toEqual(['chc', 'chs']);
	});
});

describe('settingsFromPolicy', () => {
	const policy: PolicyDefaults = {
		mode: 'walk',
		maxMinutes: 15,
		targetShare: 0.9,
		levels: ['chc'],
		source: { zh: '', en: '' },
		areaModeRules: [{ areaIds: ['a'], mode: 'cycle' }]
	};
	it('policy rules stay when the mode is overridden (CLI and app agree)', () => {
		const s = settingsFromPolicy(policy, { mode: 'drive' });
		expect(s).toEqual({ mode: 'drive', maxMinutes: 15, levels: ['chc'], targetShare: 0.9, method: 'auto', areaModeRules: policy.areaModeRules });
		expect(s.levels).not.toBe(policy.levels);
	});
});
