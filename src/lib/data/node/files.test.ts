import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KejimapError } from '../../engine/errors';
import { createResolvePath, dataRootOf, defaultDataRoot, readTextFile, REPO_ROOT } from './files';

describe('data paths', () => {
	const saved = process.env.KEJIMAP_DATA;
	afterEach(() => {
		if (saved === undefined) delete process.env.KEJIMAP_DATA;
		else process.env.KEJIMAP_DATA = saved;
	});

	it('defaults to ../shared/data beside the repository, or $KEJIMAP_DATA', () => {
		delete process.env.KEJIMAP_DATA;
		expect(defaultDataRoot()).toBe(path.resolve(REPO_ROOT, '../shared/data'));
		process.env.KEJIMAP_DATA = '/tmp/kejimap-data';
		expect(defaultDataRoot()).toBe('/tmp/kejimap-data');
	});

	it("resolves a relative manifest dataRoot against the manifest's folder, and passes absolute paths through", () => {
		expect(dataRootOf({ dataRoot: '../fixtures' }, '/repo/data/regions')).toBe('/repo/data/fixtures');
		const resolve = createResolvePath({ dataRoot: '/srv/data' });
		expect(resolve('a/b.csv')).toBe('/srv/data/a/b.csv');
		expect(resolve('/abs/c.csv')).toBe('/abs/c.csv');
	});

	it('names a missing file', () => {
		try {
			readTextFile('/nonexistent/kejimap.csv', 'census totals');
			throw new Error('no error');
		} catch (e) {
			expect(e).toBeInstanceOf(KejimapError);
			expect((e as KejimapError).code).toBe('FILE_MISSING');
			expect((e as Error).message).toContain('census totals: file not found: /nonexistent/kejimap.csv');
		}
	});
});
