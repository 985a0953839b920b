import { describe, expect, it } from 'vitest';
import { bandOf } from '../engine/coverage/coverage';
import { translateMatrix } from './cell-layer';
import { BAND_COLOURS, cellColours, gapStops, packPremultiplied } from './styles';

const rgb = (hex: string): [number, number, number] => {
	const v = parseInt(hex.slice(1), 16);
	return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
};

describe('cell colours', () => {
	it('time view: each cell takes its band colour (engine bandOf), unreachable the last band', () => {
		const minutes = Float32Array.from([0, 5, 5.01, 12, 15, 19.9, 29, 31, Infinity]);
		const pops = new Float32Array(minutes.length).fill(100);
		const c = cellColours(minutes, pops, { view: 'time', maxMinutes: 15, gapStops: [1, 2, 3, 4] });
		minutes.forEach((m, i) => expect(c[i]).toBe(packPremultiplied(rgb(BAND_COLOURS[bandOf(m)]), 0.72)));
		expect(bandOf(5)).toBe(0);
		expect(bandOf(Infinity)).toBe(BAND_COLOURS.length - 1);
	});

	it('gap view: covered cells share one pale colour; uncovered cells darken with population', () => {
		const minutes = Float32Array.from([10, 15, 16, 16, 16, 16]);
		const pops = Float32Array.from([5000, 5000, 0, 10, 500, 5000]);
		const c = cellColours(minutes, pops, { view: 'gap', maxMinutes: 15, gapStops: [10, 100, 1000, 4000] });
		expect(c[0]).toBe(c[1]); // both covered (15 <= 15)
		expect(c[2]).not.toBe(c[3]); // no people vs some people
		const alpha = (v: number) => v >>> 24;
		const lum = (v: number) => (v & 255) + ((v >> 8) & 255) + ((v >> 16) & 255);
		expect(alpha(c[5])).toBeGreaterThan(alpha(c[0]));
		expect(lum(c[3])).toBeGreaterThan(lum(c[4]));
		expect(lum(c[4])).toBeGreaterThan(lum(c[5]));
	});

	it('without times every cell is the same neutral colour', () => {
		const c = cellColours(null, new Float32Array(3), { view: 'time', maxMinutes: 15, gapStops: [1, 2, 3, 4] });
		expect(new Set(c).size).toBe(1);
	});

	it('gap stops ascend even for flat populations', () => {
		expect(gapStops(new Float32Array(50).fill(7))).toEqual([7, 8, 9, 10]);
		const s = gapStops(Float32Array.from({ length: 1000 }, (_, i) => i));
		expect(s[0]).toBeLessThan(s[1]);
		expect(s[3]).toBeGreaterThan(900);
	});
});

describe('cell layer matrix', () => {
	it('m * translate(x, y) maps a relative vertex like m maps the absolute one', () => {
		const m = Array.from({ length: 16 }, (_, i) => ((i * 7919) % 13) / 7 - 0.5);
		const apply = (mm: ArrayLike<number>, x: number, y: number) => [0, 1, 2, 3].map((r) => mm[r] * x + mm[4 + r] * y + mm[12 + r]);
		const t = translateMatrix(m, 0.8, 0.4);
		const a = apply(m, 0.8 + 0.001, 0.4 + 0.002);
		const b = apply(t, 0.001, 0.002);
		a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 5));
	});
});
