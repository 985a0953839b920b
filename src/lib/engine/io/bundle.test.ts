import { describe, expect, it } from 'vitest';
import { decodeBundle, encodeBundle } from './bundle';

describe('bundle', () => {
	it('round-trips columns of mixed types and odd lengths, aligned', () => {
		const a = new Float64Array([1.5, -2, Math.PI]);
		const b = new Uint8Array([1, 2, 3, 4, 5]);
		const c = new Int32Array([-7, 8]);
		const buf = encodeBundle({ hello: 'world' }, { a, b, c });
		const d = decodeBundle<{ hello: string }>(buf);
		expect(d.meta.hello).toBe('world');
		expect(Array.from(d.columns.a)).toEqual(Array.from(a));
		expect(Array.from(d.columns.b)).toEqual(Array.from(b));
		expect(Array.from(d.columns.c)).toEqual(Array.from(c));
		expect(d.columns.c).toBeInstanceOf(Int32Array);
	});
	it('rejects a file that is not a bundle', () => {
		expect(() => decodeBundle(new ArrayBuffer(16))).toThrow(/bad magic/);
	});
});
