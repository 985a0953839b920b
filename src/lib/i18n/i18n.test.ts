import { describe, expect, it } from 'vitest';
import { FACILITY_LEVELS, MODES } from '../engine/types';
import { en } from './en';
import { interpolate, MESSAGES, placeholders, translator } from './index';
import { zhCN } from './zh-CN';

describe('i18n', () => {
	it('both languages have the same keys and the same placeholders', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
		for (const k of Object.keys(zhCN) as (keyof typeof zhCN)[]) {
			expect(placeholders(en[k]), k).toEqual(placeholders(zhCN[k]));
			expect(en[k].trim(), k).not.toBe('');
		}
	});

	it('every level and mode has a label in both languages', () => {
		for (const lang of ['zh-CN', 'en'] as const) {
			const t = translator(lang);
			for (const l of FACILITY_LEVELS) expect(t(`level.${l}`)).not.toMatch(/^level\./);
			for (const m of MODES) expect(t(`mode.${m}`)).not.toMatch(/^mode\./);
		}
		expect(MESSAGES['zh-CN']['mode.walk']).toBe('步行');
	});

	it('interpolates named placeholders and leaves unknown ones visible', () => {
		expect(interpolate('{a}–{b} 分钟', { a: 5, b: 10 })).toBe('5–10 分钟');
		expect(interpolate('{a} {missing}', { a: 1 })).toBe('1 {missing}');
	});
});
