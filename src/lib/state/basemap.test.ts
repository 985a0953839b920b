import { describe, expect, it } from 'vitest';
import { basemapHost, chooseBasemap, escapeAttribution, parseBasemap, textAttributions } from './basemap';

describe('basemap config', () => {
	it('basemap: an allowed ?basemap= beats config.json; {z} means XYZ tiles, else a style URL; none by default', () => {
		expect(parseBasemap(null, null)).toBeNull();
		expect(parseBasemap(null, { basemap: null })).toBeNull();
		expect(parseBasemap('http://tiles.local/{z}/{x}/{y}.png', { basemap: 'http://x/style.json', basemapHosts: ['tiles.local'] })).toEqual({ tiles: ['http://tiles.local/{z}/{x}/{y}.png'] });
		expect(parseBasemap(null, { basemap: 'http://x/style.json' })).toEqual({ style: 'http://x/style.json' });
		expect(parseBasemap(null, { basemap: { tiles: 'http://t/{z}/{x}/{y}.png', attribution: '© intranet' } })).toEqual({
			tiles: ['http://t/{z}/{x}/{y}.png'],
			style: undefined,
			attribution: '© intranet'
		});
	});
	it('a link may not point the app at any host', () => {
		expect(chooseBasemap('https://evil.example/{z}/{x}/{y}.png', { basemap: null })).toEqual({ basemap: null, refusedHost: 'evil.example' });
		// the deployment's own basemap host is allowed implicitly; its basemap stays when the link is refused
		expect(chooseBasemap('http://x/other.json', { basemap: 'http://x/style.json' }).basemap).toEqual({ style: 'http://x/other.json' });
		expect(chooseBasemap('http://y/other.json', { basemap: 'http://x/style.json' })).toEqual({ basemap: { style: 'http://x/style.json' }, refusedHost: 'y' });
		// same-site paths are fine; schemes other than http(s) never are
		expect(chooseBasemap('/tiles/{z}/{x}/{y}.png', null).basemap).toEqual({ tiles: ['/tiles/{z}/{x}/{y}.png'] });
		for (const bad of ['javascript:alert(1)', 'data:text/html,<b>x</b>', '//evil.example/s.json', 'file:///etc/passwd', 'not a url'])
			expect(chooseBasemap(bad, { basemapHosts: ['evil.example'] }).basemap, bad).toBeNull();
		expect(basemapHost('JAVASCRIPT:alert(1)')).toBeNull();
		// the page's own host is always allowed
		expect(chooseBasemap('http://127.0.0.1:4173/t/{z}/{x}/{y}.png', null, '127.0.0.1:4173').refusedHost).toBeNull();
	});
	it('attribution is text', () => {
		expect(escapeAttribution('<img src=x onerror=alert(1)>©')).toBe('&lt;img src=x onerror=alert(1)&gt;©');
		expect(parseBasemap(null, { basemap: { tiles: ['http://t/{z}/{x}/{y}.png'], attribution: '<a href="javascript:x">map</a>' } })?.attribution).not.toMatch(/</);
		expect(textAttributions({ sources: { a: { type: 'raster', attribution: '<script>x</script>' } } }).sources.a).toEqual({ type: 'raster', attribution: '&lt;script&gt;x&lt;/script&gt;' });
	});
});
