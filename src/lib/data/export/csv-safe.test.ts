import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvField, csvText } from './csv-safe';
import { terminalSafe } from './terminal';

describe('csvField (OWASP CSV injection rule)', () => {
	const hostile = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd', '=1,"2"\n3'];
	it('every formula start is prefixed, and the text survives a CSV parser', () => {
		const text = csvText(['v'], hostile.map((h) => [h]));
		const back = Papa.parse<string[]>(text.trim(), { header: false }).data.slice(1).map((r) => r[0]);
		expect(back).toEqual(hostile.map((h) => `'${h}`));
	});
	it('plain text, numbers (negative too) and empties pass unchanged', () => {
		expect(csvField('社区卫生服务中心')).toBe('社区卫生服务中心');
		expect(csvField(-5)).toBe('-5');
		expect(csvField(Number.NaN)).toBe('');
		expect(csvField(null)).toBe('');
		expect(csvField('a,b')).toBe('"a,b"');
	});
});

describe('terminalSafe', () => {
	it('removes escape sequences and bidi overrides, keeps Chinese', () => {
		const s = terminalSafe('甲\u001b[2J\u001b]0;x\u0007乙\u202e丙\r\n');
		// eslint-disable-next-line no-control-regex
		expect(s).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
		expect(s.startsWith('甲')).toBe(true);
		expect(s).toContain('乙');
	});
});
