import { describe, expect, it } from 'vitest';
import { KejimapError } from '../engine/errors';
import { parseCsv, readPointsCsv } from './csv';

const F = { name: 'name', lon: 'lon', lat: 'lat' };

function errorOf(fn: () => unknown): KejimapError {
	try {
		fn();
	} catch (e) {
		if (e instanceof KejimapError) return e;
		throw e;
	}
	throw new Error('expected a KejimapError');
}

describe('csv readers', () => {
	it('strips the UTF-8 BOM so the first column is found', () => {
		const rows = readPointsCsv('\ufeffname,lon,lat\n甲,121.4,31.2\n', F, 'a.csv');
		expect(rows).toEqual([{ row: 2, lon: 121.4, lat: 31.2, values: { name: '甲', lon: '121.4', lat: '31.2' } }]);
	});

	it('keeps quoted commas and skips blank lines', () => {
		const t = parseCsv('name,address,lon,lat\n"甲","路1号, 2楼",121,31\n\n乙,x,122,30\n', 'b.csv');
		expect(t.rows.length).toBe(2);
		expect(t.rows[0].address).toBe('路1号, 2楼');
	});

	it('detects swapped longitude and latitude, naming file and row', () => {
		const e = errorOf(() => readPointsCsv('name,lon,lat\n甲,121.4,31.2\n乙,31.3,121.4\n', F, 'c.csv'));
		expect(e.code).toBe('COORD_INVALID');
		expect(e.message).toBe('c.csv: row 3: latitude 121.4 is outside -90..90 — are longitude and latitude swapped?');
		expect(e.detail).toEqual({ file: 'c.csv', row: 3, field: 'lat' });
	});

	it('names non-numeric and empty fields', () => {
		expect(errorOf(() => readPointsCsv('name,lon,lat\n甲,121.4,abc\n', F, 'd.csv')).message).toBe(
			'd.csv: row 2: field "lat" is not a number ("abc")'
		);
		expect(errorOf(() => readPointsCsv('name,lon,lat\n甲,,31\n', F, 'd.csv')).message).toBe('d.csv: row 2: field "lon" is empty');
		expect(errorOf(() => readPointsCsv('name,lon,lat\n甲,200,31\n', F, 'd.csv')).message).toContain('longitude 200 is outside -180..180');
	});

	it('lists the columns found when a mapped column is missing', () => {
		const e = errorOf(() => readPointsCsv('name,lng,lat\n甲,121,31\n', F, 'e.csv'));
		expect(e.code).toBe('FIELD_MISSING');
		expect(e.message).toBe('e.csv: column "lon" not found; columns found: name, lng, lat');
		// optional fields that are mapped must exist too
		expect(errorOf(() => readPointsCsv('name,lon,lat\n甲,121,31\n', { ...F, type: 'type' }, 'e.csv')).detail?.field).toBe('type');
	});

	it('reports malformed rows (wrong column count) with the row number', () => {
		const e = errorOf(() => parseCsv('name,lon,lat\n甲,121,31\n乙,121\n', 'f.csv'));
		expect(e.code).toBe('FILE_MALFORMED');
		expect(e.message).toMatch(/^f\.csv: row 3: /);
	});

	it('can collect invalid rows instead of throwing, so the caller counts them', () => {
		const bad: KejimapError[] = [];
		const rows = readPointsCsv('name,lon,lat\n甲,121,31\n乙,x,31\n丙,122,30\n', F, 'g.csv', { onInvalid: (e) => bad.push(e) });
		expect(rows.map((r) => r.values.name)).toEqual(['甲', '丙']);
		expect(bad.map((e) => e.detail?.row)).toEqual([3]);
	});
});
