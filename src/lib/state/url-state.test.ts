import { describe, expect, it } from 'vitest';
import { FACILITY_LEVELS, MODES } from '../engine/types';
import { decodeViewState, encodeViewState, type ViewState } from './url-state';
import { parseBasemap } from './app.svelte';

const base: ViewState = { region: 'shanghai', mode: 'walk', maxMinutes: 15, levels: ['chc', 'chs'], targetShare: 0.9, view: 'time', lang: 'zh-CN', areaRules: true };

describe('URL view state', () => {
	it('round-trips every field', () => {
		const cases: ViewState[] = [
			base,
			{ ...base, mode: 'drive', maxMinutes: 30, levels: [], targetShare: 0.855, view: 'gap', lang: 'en', areaRules: false },
			{ ...base, region: 'pudong-2', levels: [...FACILITY_LEVELS], targetShare: 1, maxMinutes: 1 }
		];
		for (const m of MODES) cases.push({ ...base, mode: m });
		for (const s of cases) expect(decodeViewState(encodeViewState(s))).toEqual(s);
	});

	it('keeps unrelated params (basemap) and writes levels in canonical order', () => {
		const p = encodeViewState({ ...base, levels: ['chs', 'chc'] }, new URLSearchParams('basemap=http%3A%2F%2Ft%2F%7Bz%7D'));
		expect(p.get('basemap')).toBe('http://t/{z}');
		expect(p.get('levels')).toBe('chc,chs');
	});

	it('ignores invalid values rather than guessing', () => {
		const d = decodeViewState(new URLSearchParams('region=../etc&mode=fly&min=-3&target=150&view=x&lang=fr&levels=chc,bogus&rules=yes'));
		expect(d).toEqual({ levels: ['chc'] });
		expect(decodeViewState(new URLSearchParams(''))).toEqual({});
		expect(decodeViewState(new URLSearchParams('min=abc&target='))).toEqual({});
	});

	it('basemap: ?basemap= beats config.json; {z} means XYZ tiles, else a style URL; none by default', () => {
		expect(parseBasemap(null, null)).toBeNull();
		expect(parseBasemap(null, { basemap: null })).toBeNull();
		expect(parseBasemap('http://tiles.local/{z}/{x}/{y}.png', { basemap: 'http://x/style.json' })).toEqual({ tiles: ['http://tiles.local/{z}/{x}/{y}.png'] });
		expect(parseBasemap(null, { basemap: 'http://x/style.json' })).toEqual({ style: 'http://x/style.json' });
		expect(parseBasemap(null, { basemap: { tiles: 'http://t/{z}/{x}/{y}.png', attribution: '© intranet' } })).toEqual({
			tiles: ['http://t/{z}/{x}/{y}.png'],
			style: undefined,
			attribution: '© intranet'
		});
	});
});
