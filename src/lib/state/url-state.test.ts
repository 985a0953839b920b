import { describe, expect, it } from 'vitest';
import { FACILITY_LEVELS, MODES } from '../engine/types';
import { decodeAreaModes, decodeViewState, decodeViewStateChecked, encodeAreaModes, encodeViewState, METHODS, toAreaModeRules, toAreaModes, type ViewState } from './url-state';

const base: ViewState = { region: 'shanghai', mode: 'walk', maxMinutes: 15, levels: ['chc', 'chs'], targetShare: 0.9, view: 'time', lang: 'zh-CN', method: 'auto', areaModes: {} };

describe('URL view state', () => {
	it('round-trips every field', () => {
		const cases: ViewState[] = [
			base,
			{ ...base, mode: 'drive', maxMinutes: 30, levels: [], targetShare: 0.855, view: 'gap', lang: 'en', method: 'radius', areaModes: { '310115': 'cycle' } },
			{ ...base, region: 'pudong-2', levels: [...FACILITY_LEVELS], targetShare: 1, maxMinutes: 1 },
			// ids that hold the separators, a percent sign and non-ASCII text survive
			{ ...base, areaModes: { '310115': 'cycle', '310104': 'walk', 'a,b;c:d': 'drive', '50%': 'cycle', 村委会: 'cycle' } }
		];
		for (const m of MODES) cases.push({ ...base, mode: m });
		for (const m of METHODS) cases.push({ ...base, method: m });
		// through the query string, as a copied link travels
		for (const s of cases) expect(decodeViewState(new URLSearchParams(encodeViewState(s).toString()))).toEqual(s);
	});

	it('writes method and per-area modes; the rules value is canonical and readable', () => {
		const p = encodeViewState({ ...base, method: 'network', areaModes: { '310120': 'cycle', '310115': 'cycle', '310101': 'drive' } });
		expect(p.get('method')).toBe('network');
		expect(p.get('rules')).toBe('cycle:310115,310120;drive:310101');
		expect(new URLSearchParams(p.toString()).get('rules')).toBe('cycle:310115,310120;drive:310101');
		expect(encodeViewState(base).get('rules')).toBe('');
		// an empty value means "no per-area modes" (not "take the policy's")
		expect(decodeViewState(new URLSearchParams('rules=')).areaModes).toEqual({});
		expect(decodeViewState(new URLSearchParams('rules=0')).areaModes).toEqual({});
		// older links: rules=1 meant "apply the policy's rules": left to the policy
		expect(decodeViewState(new URLSearchParams('rules=1')).areaModes).toBeUndefined();
		// a bad group is skipped, the good one kept
		expect(decodeAreaModes('fly:310115;cycle:310104,,%E0%A4%A')).toEqual({ '310104': 'cycle' });
	});

	it('area modes <-> engine rules', () => {
		const modes = { b: 'cycle', a: 'cycle', c: 'drive' } as const;
		expect(toAreaModeRules(modes)).toEqual([
			{ mode: 'cycle', areaIds: ['a', 'b'] },
			{ mode: 'drive', areaIds: ['c'] }
		]);
		expect(toAreaModes(toAreaModeRules(modes))).toEqual(modes);
		expect(toAreaModeRules({})).toEqual([]);
		expect(toAreaModes(undefined)).toEqual({});
		// the later rule wins, as in CoverageSession.compute
		expect(toAreaModes([{ mode: 'walk', areaIds: ['x'] }, { mode: 'cycle', areaIds: ['x'] }])).toEqual({ x: 'cycle' });
		expect(encodeAreaModes({})).toBe('');
	});

	it('keeps unrelated params (basemap) and writes levels in canonical order', () => {
		const p = encodeViewState({ ...base, levels: ['chs', 'chc'] }, new URLSearchParams('basemap=http%3A%2F%2Ft%2F%7Bz%7D'));
		expect(p.get('basemap')).toBe('http://t/{z}');
		expect(p.get('levels')).toBe('chc,chs');
	});

	it('ignores invalid values rather than guessing', () => {
		const d = decodeViewState(new URLSearchParams('region=../etc&mode=fly&min=-3&target=150&view=x&lang=fr&levels=chc,bogus&rules=yes&method=fast'));
		expect(d).toEqual({}); // levels=chc,bogus is refused whole: it must never switch levels off
		const { issues } = decodeViewStateChecked(new URLSearchParams('region=../etc&mode=fly&min=-3&target=150&view=x&lang=fr&levels=chc,bogus&rules=yes&method=fast'));
		expect(issues.map((i) => i.param).sort()).toEqual(['lang', 'levels', 'method', 'min', 'mode', 'region', 'rules', 'target', 'view']);
		expect(decodeViewState(new URLSearchParams(''))).toEqual({});
		expect(decodeViewState(new URLSearchParams('min=abc&target='))).toEqual({});
	});
});
