/**
 * Helpers of the robustness suite (issue 9): bad input must end in a KejimapError with a code and the file / row /
 * field (or CLI exit 2 with one line), within bounded time, and never in a stack trace. Reusable by other suites
 * (kj-import's importers): expectKejimapError, damagedVariants, gbkBytes, a small synthetic region.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { memoryFileSource, type MemoryFile } from '../../src/lib/data/pipeline/file-source';
import { KejimapError, type ErrorCode } from '../../src/lib/engine/errors';
import type { RegionManifest } from '../../src/lib/engine/region';
import { createSeededRng } from '../../src/lib/engine/synthetic';
import { dataRoot } from '../../scripts/lib/paths';

/** Real data files, when present (the suite's synthetic cases always run). */
export function realFile(rel: string): string | null {
	const p = path.join(dataRoot, rel);
	return existsSync(p) ? p : null;
}

export interface ErrorWant {
	code?: ErrorCode | ErrorCode[];
	/** the error must name a file (true), or this one */
	file?: true | string;
	field?: true | string;
	row?: true | number;
}

/** Checks what every bad input must give: a KejimapError, a code, a one-line message, and the wanted detail. */
export function checkKejimapError(e: unknown, want: ErrorWant, label = ''): KejimapError {
	if (!(e instanceof KejimapError)) throw new Error(`${label}: expected a KejimapError, got ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`);
	if (want.code) expect([want.code].flat(), `${label}: code ${e.code} (${e.message})`).toContain(e.code);
	expect(e.message.length, label).toBeGreaterThan(10);
	expect(e.message, `${label}: one line`).not.toMatch(/\n/);
	expect(e.message, `${label}: no stack in the message`).not.toMatch(/\n\s+at |node_modules/);
	const d = e.detail ?? {};
	if (want.file === true) expect(d.file, `${label}: names the file (${e.message})`).toBeTruthy();
	else if (want.file) expect(d.file, label).toBe(want.file);
	if (want.field === true) expect(d.field, `${label}: names the field (${e.message})`).toBeTruthy();
	else if (want.field) expect(d.field, label).toBe(want.field);
	if (want.row === true) expect(d.row, `${label}: names the row (${e.message})`).toBeGreaterThan(0);
	else if (want.row !== undefined) expect(d.row, label).toBe(want.row);
	return e;
}

export function expectKejimapError(fn: () => unknown, want: ErrorWant = {}, label = ''): KejimapError {
	try {
		fn();
	} catch (e) {
		return checkKejimapError(e, want, label);
	}
	throw new Error(`${label}: expected a KejimapError, but it succeeded`);
}

export async function expectKejimapErrorAsync(fn: () => Promise<unknown>, want: ErrorWant = {}, label = ''): Promise<KejimapError> {
	try {
		await fn();
	} catch (e) {
		return checkKejimapError(e, want, label);
	}
	throw new Error(`${label}: expected a KejimapError, but it succeeded`);
}

/** Either a result or a KejimapError naming the file, never another exception. */
export async function resultOrKejimapError<T>(fn: () => T | Promise<T>, want: ErrorWant, label: string): Promise<{ ok: true; value: T } | { ok: false; error: KejimapError }> {
	try {
		return { ok: true, value: await fn() };
	} catch (e) {
		return { ok: false, error: checkKejimapError(e, want, label) };
	}
}

/**
 * Damaged copies of a file, seeded: truncations, bit flips, zeroed and 0xFF-filled ranges, inserted and deleted
 * bytes, a swapped pair of chunks. The first variants are the structural ones (empty, 1 byte, header only).
 */
export function damagedVariants(bytes: Uint8Array, count: number, seed = 1): { label: string; bytes: Uint8Array }[] {
	const rnd = createSeededRng(seed);
	const n = bytes.length;
	const at = () => Math.floor(rnd() * n);
	const out: { label: string; bytes: Uint8Array }[] = [
		{ label: 'empty', bytes: new Uint8Array(0) },
		{ label: 'one byte', bytes: bytes.slice(0, 1) },
		{ label: 'first 16 bytes', bytes: bytes.slice(0, 16) }
	];
	const kinds = ['truncate', 'flip', 'zero', 'ff', 'insert', 'delete', 'swap'] as const;
	for (let k = 0; out.length < count; k++) {
		const kind = kinds[k % kinds.length];
		const b = bytes.slice();
		const p = at();
		const len = 1 + Math.floor(rnd() * Math.min(64, n - p));
		let v: Uint8Array = b;
		switch (kind) {
			case 'truncate':
				v = b.slice(0, p);
				break;
			case 'flip':
				for (let i = 0; i < 1 + Math.floor(rnd() * 8); i++) b[at()] ^= 1 << Math.floor(rnd() * 8);
				break;
			case 'zero':
				b.fill(0, p, p + len);
				break;
			case 'ff':
				b.fill(0xff, p, p + len);
				break;
			case 'insert': {
				const junk = Uint8Array.from({ length: len }, () => Math.floor(rnd() * 256));
				v = new Uint8Array(n + len);
				v.set(b.subarray(0, p));
				v.set(junk, p);
				v.set(b.subarray(p), p + len);
				break;
			}
			case 'delete':
				v = new Uint8Array([...b.subarray(0, p), ...b.subarray(p + len)]);
				break;
			case 'swap': {
				const q = at();
				const l = Math.min(len, n - Math.max(p, q));
				const tmp = b.slice(p, p + l);
				b.copyWithin(p, q, q + l);
				b.set(tmp, q);
				break;
			}
		}
		out.push({ label: `${kind}@${p}`, bytes: v });
	}
	return out;
}

let gbkTable: Map<string, number[]> | null = null;
/** Text -> GB18030 two-byte (GBK) bytes, built from TextDecoder's own table (Node has no GBK encoder). */
export function gbkBytes(text: string): Uint8Array {
	if (!gbkTable) {
		gbkTable = new Map();
		const dec = new TextDecoder('gb18030');
		for (let a = 0x81; a <= 0xfe; a++)
			for (let b = 0x40; b <= 0xfe; b++) {
				if (b === 0x7f) continue;
				const ch = dec.decode(new Uint8Array([a, b]));
				if (ch.length === 1 && ch !== '\ufffd' && !gbkTable.has(ch)) gbkTable.set(ch, [a, b]);
			}
	}
	const out: number[] = [];
	for (const ch of text) {
		const c = ch.codePointAt(0)!;
		if (c < 0x80) out.push(c);
		else {
			const g = gbkTable.get(ch);
			if (!g) throw new Error(`no GBK code for ${ch}`);
			out.push(...g);
		}
	}
	return Uint8Array.from(out);
}

/** Counts per issue class, printed once per file so the report can sum them. */
export function tally(): { add: (cls: string, n?: number) => void; print: (file: string) => void } {
	const c: Record<string, number> = {};
	return {
		add: (cls, n = 1) => void (c[cls] = (c[cls] ?? 0) + n),
		print: (file) => console.log(`[robustness] ${file}: ${Object.entries(c).map(([k, v]) => `${k} ${v}`).join(', ')}`)
	};
}

// ---- a small SYNTHETIC region (2 x 2 km in Shanghai, radius method), built in memory in ~0.1 s ----

const W = 121.4;
const S = 31.2;
const D = 0.02;

export function syntheticRegionFiles(): Record<string, MemoryFile> {
	const ring = [
		[W, S],
		[W + D, S],
		[W + D, S + D],
		[W, S + D],
		[W, S]
	];
	const areas = {
		type: 'FeatureCollection',
		features: [
			{ type: 'Feature', properties: { code: 'A1', name: '甲区' }, geometry: { type: 'Polygon', coordinates: [ring.map(([x, y]) => [x, y])] } },
			{ type: 'Feature', properties: { code: 'A2', name: '乙区' }, geometry: { type: 'Polygon', coordinates: [ring.map(([x, y]) => [x + D, y])] } }
		]
	};
	const rnd = createSeededRng(7);
	const fac = ['name,lon,lat,type'];
	const names = ['甲街道社区卫生服务中心', '乙街道社区卫生服务中心', '丙社区卫生服务站', '丁村卫生室', '戊医院'];
	names.forEach((n, i) => fac.push(`${n},${(W + 0.004 + i * 0.007).toFixed(6)},${(S + 0.005 + (i % 2) * 0.008).toFixed(6)},医疗保健服务;诊所`));
	const weights = ['lon,lat'];
	for (let i = 0; i < 60; i++) weights.push(`${(W + rnd() * 2 * D).toFixed(6)},${(S + rnd() * D).toFixed(6)}`);
	return {
		'areas.geojson': JSON.stringify(areas),
		'facilities.csv': fac.join('\n') + '\n',
		'census.csv': 'CODE,POPU\nA1,12000\nA2,8000\n',
		'weights.csv': weights.join('\n') + '\n'
	};
}

export function syntheticManifest(): RegionManifest {
	const label = { zh: '合成', en: 'SYNTHETIC' };
	return {
		id: 'robust-synthetic',
		name: label,
		h3Resolution: 9,
		network: null,
		facilities: [
			{ id: 'synthetic', path: 'facilities.csv', format: 'csv', crs: 'wgs84', fields: { name: 'name', lon: 'lon', lat: 'lat', type: 'type' }, classify: 'amap-name-rules', role: 'facilities', label }
		],
		areas: { path: 'areas.geojson', format: 'geojson', crs: 'wgs84', idField: 'code', nameField: 'name', level: label },
		population: {
			method: 'census-weights',
			census: { path: 'census.csv', codeField: 'CODE', populationField: 'POPU', label },
			weights: [{ path: 'weights.csv', format: 'csv', crs: 'wgs84', fields: { lon: 'lon', lat: 'lat' }, weight: 1, label }],
			uniformShare: 0.1,
			label
		},
		policy: { mode: 'walk', maxMinutes: 15, targetShare: 0.9, levels: ['chc', 'chc_branch', 'chs', 'village_clinic'], source: label },
		attribution: ['SYNTHETIC test region']
	};
}

export { memoryFileSource };
