import { describe, expect, it } from 'vitest';
import { parseBasemap } from './basemap';

describe('basemap config', () => {
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
