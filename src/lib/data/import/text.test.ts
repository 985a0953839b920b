import { describe, expect, it } from 'vitest';
import { KejimapError } from '../../engine/errors';
import { decodeText, encodingNotice } from './text';

// "社区卫生服务中心,1" in GB18030 / GBK, byte by byte (from the GB2312 code table, independent of TextDecoder)
const GBK = new Uint8Array([0xc9, 0xe7, 0xc7, 0xf8, 0xce, 0xc0, 0xc9, 0xfa, 0xb7, 0xfe, 0xce, 0xf1, 0xd6, 0xd0, 0xd0, 0xc4, 0x2c, 0x31]);

function code(f: () => unknown): string | undefined {
	try {
		f();
	} catch (e) {
		expect(e).toBeInstanceOf(KejimapError);
		expect((e as KejimapError).detail?.file).toBe('f.csv');
		return (e as KejimapError).code;
	}
	return undefined;
}

describe('decodeText', () => {
	it('UTF-8 (with or without BOM) is read as is, not guessed', () => {
		const u = new TextEncoder().encode('名称,lon\n甲,121');
		expect(decodeText(u, 'f.csv')).toEqual({ text: '名称,lon\n甲,121', encoding: 'utf-8', guessed: false });
		const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...u]);
		expect(decodeText(bom, 'f.csv').text).toBe('名称,lon\n甲,121');
	});
	it('GBK bytes decode as GB18030 and say so', () => {
		const d = decodeText(GBK, 'f.csv');
		expect(d.text).toBe('社区卫生服务中心,1');
		expect(d.guessed).toBe(true);
		expect(encodingNotice('f.csv', d)).toMatch(/GB18030/);
	});
	it('an explicit encoding is honoured, and a wrong one is an error', () => {
		expect(decodeText(GBK, 'f.csv', 'gb18030')).toMatchObject({ text: '社区卫生服务中心,1', guessed: false });
		expect(code(() => decodeText(GBK, 'f.csv', 'utf-8'))).toBe('ENCODING_UNSUPPORTED');
	});
	it('UTF-16 with and without BOM gets a clear message', () => {
		const le = new Uint8Array([0xff, 0xfe, 0x61, 0, 0x2c, 0, 0x62, 0]);
		expect(code(() => decodeText(le, 'f.csv'))).toBe('ENCODING_UNSUPPORTED');
		const noBom = new Uint8Array(Array.from('name,lon,lat\n', (c) => [c.charCodeAt(0), 0]).flat());
		expect(() => decodeText(noBom, 'f.csv')).toThrow(/UTF-16/);
	});
	it('binary junk is refused, not garbled', () => {
		expect(code(() => decodeText(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0xff]), 'f.csv'))).toBe('ENCODING_UNSUPPORTED');
		// 0x80 alone is valid in neither UTF-8 nor GB18030
		expect(code(() => decodeText(new Uint8Array([0x61, 0x80, 0x62, 0xff]), 'f.csv'))).toBe('ENCODING_UNSUPPORTED');
	});
});
