/**
 * Robustness suite, links (issue 9 classes 6 link values, 7 basemap): hostile and mistyped query strings. A bad
 * value keeps the default for that value only and is reported (the page shows a notice); nothing from a link is
 * run, fetched from an unlisted host or rendered as markup.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { basemapHost, chooseBasemap, escapeAttribution } from '../../src/lib/state/basemap';
import { decodeViewStateChecked, encodeViewState, type ViewState } from '../../src/lib/state/url-state';
import { tally } from './helpers';

const count = tally();
afterAll(() => count.print('links'));

const good: ViewState = { region: 'shanghai', mode: 'walk', maxMinutes: 15, levels: ['chc', 'chs'], targetShare: 0.9, view: 'time', lang: 'zh-CN', method: 'auto', areaModes: {} };
const PARAMS = { region: 'shanghai', mode: 'walk', min: '15', levels: 'chc,chs', target: '0.9', view: 'time', lang: 'zh-CN', method: 'auto', rules: '' } as const;
const hostile = ['CHC', 'fly', '-1', '0', '999', 'abc', '', ' ', '%', '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'javascript:alert(1)', '../../etc/passwd', '1e308', 'NaN', '\u202etxet', 'chc,CHC', '90', '1.5', 'x'.repeat(500)];

describe('class 6: one bad value keeps its default, the rest of the link applies', () => {
	for (const param of Object.keys(PARAMS) as (keyof typeof PARAMS)[])
		for (const bad of hostile)
			it(`${param}=${JSON.stringify(bad.slice(0, 30))}`, () => {
				count.add('6 links');
				const q = new URLSearchParams({ ...PARAMS, [param]: bad });
				const { state, issues } = decodeViewStateChecked(q);
				const field = { min: 'maxMinutes', target: 'targetShare', rules: 'areaModes' }[param as string] ?? param;
				const accepted = (state as Record<string, unknown>)[field];
				if (issues.some((i) => i.param === param)) expect(accepted, 'a refused value is not used').toBeUndefined();
				// every other parameter still applies
				for (const other of Object.keys(PARAMS).filter((p) => p !== param)) expect(issues.map((i) => i.param)).not.toContain(other);
				// a refused levels value never means "no levels"
				if (param === 'levels' && bad !== '') expect(accepted === undefined || (Array.isArray(accepted) && accepted.length > 0)).toBe(true);
				if (param === 'target' && accepted !== undefined) expect(accepted as number).toBeLessThanOrEqual(1);
				// what the page writes back holds the default or a valid value, never the bad one
				const back = encodeViewState({ ...good, ...state }).get(param);
				if (issues.some((i) => i.param === param)) expect(back).not.toBe(bad);
			});
	it('the shared examples: levels=CHC and target=0.5 (read as a share: 50 %)', () => {
		count.add('6 links', 2);
		expect(decodeViewStateChecked(new URLSearchParams('levels=CHC')).issues).toEqual([expect.objectContaining({ param: 'levels', value: 'CHC' })]);
		expect(decodeViewStateChecked(new URLSearchParams('target=0.5')).state.targetShare).toBe(0.5);
		expect(decodeViewStateChecked(new URLSearchParams('target=50%')).state.targetShare).toBe(0.5);
	});
});

describe('class 7: basemap links', () => {
	const cfg = { basemap: { tiles: ['https://tiles.intranet.gov.cn/{z}/{x}/{y}.png'], attribution: '© 本单位' }, basemapHosts: ['maps.intranet.gov.cn'] };
	const refused = [
		'https://evil.example/{z}/{x}/{y}.png',
		'http://evil.example/style.json',
		'javascript:alert(1)',
		'JaVaScRiPt:alert(1)',
		'data:application/json,{}',
		'//evil.example/style.json',
		'file:///etc/passwd',
		'ftp://tiles.intranet.gov.cn/x',
		'https://tiles.intranet.gov.cn.evil.example/{z}/{x}/{y}.png',
		'https://evil.example@maps.intranet.gov.cn.evil.example/s.json',
		'not a url',
		'https://maps.intranet.gov.cn:8443/style.json',
		' https://evil.example/s.json'
	];
	it.each(refused)('%s: not loaded, the deployment basemap stays, the user is told', (u) => {
		count.add('7 basemap');
		const c = chooseBasemap(u, cfg);
		expect(c.basemap).toEqual({ tiles: cfg.basemap.tiles, style: undefined, attribution: '© 本单位' });
		expect(c.refusedHost).not.toBeNull();
	});
	it.each(['https://maps.intranet.gov.cn/style.json', 'https://tiles.intranet.gov.cn/alt/{z}/{x}/{y}.png', '/tiles/{z}/{x}/{y}.png', 'https://MAPS.intranet.gov.cn/s.json'])('%s: allowed', (u) => {
		count.add('7 basemap');
		const c = chooseBasemap(u, cfg);
		expect(c.refusedHost).toBeNull();
		expect(c.basemap).not.toBeNull();
	});
	it.each(['<img src=x onerror=alert(1)>', '<a href="javascript:alert(1)">x</a>', '&lt;b&gt;', '"\'><svg onload=alert(1)>'])('attribution %j is text', (a) => {
		count.add('7 basemap');
		const c = chooseBasemap(null, { basemap: { tiles: ['/t/{z}/{x}/{y}.png'], attribution: a } });
		expect(c.basemap?.attribution).not.toMatch(/[<>"']/);
		expect(escapeAttribution(a)).toBe(c.basemap?.attribution);
	});
	it('a host is read from the URL, never from its text', () => {
		count.add('7 basemap');
		expect(basemapHost('https://a.example@b.example/x')).toBe('b.example');
	});
});
