/**
 * The bench harness: timing with warm-up and a result sink (flatbush bench.js habit), order statistics,
 * formatting, equality checks, and the optional Python reference (scipy) run on the same inputs.
 * Figures are printed and collected into a report; nothing here asserts a time.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Labels } from '../../src/lib/engine/routing/shortest-paths';
import type { CellResult } from '../../src/lib/engine/types';

let sink = 0; // every timed result feeds this, printed at the end, so nothing is dead code

export function consume(x: number): void {
	sink += x;
}

export function sinkValue(): number {
	return sink;
}

export interface Stats {
	runs: number;
	p50: number;
	p95: number;
	min: number;
	max: number;
	mean: number;
}

export function stats(ms: number[]): Stats {
	const s = [...ms].sort((a, b) => a - b);
	const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
	const r = (x: number) => Math.round(x * 1000) / 1000;
	return { runs: s.length, p50: r(q(0.5)), p95: r(q(0.95)), min: r(s[0]), max: r(s[s.length - 1]), mean: r(s.reduce((a, b) => a + b, 0) / s.length) };
}

/** Time `fn` `runs` times after `warmup` untimed runs; fn returns a number for the sink. */
export function bench(fn: (i: number) => number, runs: number, warmup: number): Stats {
	for (let i = 0; i < warmup; i++) sink += fn(i);
	const ms: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		sink += fn(warmup + i);
		ms.push(performance.now() - t);
	}
	return stats(ms);
}

/**
 * Several variants of one job timed in turns (round i runs every variant once), so a busy machine slows
 * them alike and their ratio holds within the run.
 */
export function benchInTurns<K extends string>(variants: Record<K, (i: number) => number>, runs: number, warmup: number): Record<K, Stats> {
	const keys = Object.keys(variants) as K[];
	const ms = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
	for (let i = 0; i < warmup + runs; i++)
		for (const k of keys) {
			const t = performance.now();
			sink += variants[k](i);
			if (i >= warmup) ms[k].push(performance.now() - t);
		}
	return Object.fromEntries(keys.map((k) => [k, stats(ms[k])])) as Record<K, Stats>;
}

/** One timed call (builds, loads). */
export function time<T>(fn: () => T): { value: T; ms: number } {
	const t = performance.now();
	const value = fn();
	return { value, ms: Math.round((performance.now() - t) * 1000) / 1000 };
}

export async function timeAsync<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
	const t = performance.now();
	const value = await fn();
	return { value, ms: Math.round((performance.now() - t) * 1000) / 1000 };
}

/** Median of `runs` awaited calls after one warm-up (slow, asynchronous jobs: data stages, solvers). */
export async function benchAsync(fn: () => Promise<number>, runs: number): Promise<Stats> {
	sink += await fn();
	const ms: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		sink += await fn();
		ms.push(performance.now() - t);
	}
	return stats(ms);
}

export const fmt = (s: Stats) => `p50 ${s.p50.toFixed(2)} ms, p95 ${s.p95.toFixed(2)} ms (min ${s.min.toFixed(2)}, max ${s.max.toFixed(2)}, n=${s.runs})`;
export const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
export const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
export const log = (s: string) => console.log(s);

export function countLabelled(l: Labels): number {
	let k = 0;
	for (let v = 0; v < l.owner.length; v++) if (l.owner[v] >= 0) k++;
	return k;
}

export function sameLabels(a: Labels, b: Labels): boolean {
	for (let v = 0; v < a.distS.length; v++) if (!Object.is(a.distS[v], b.distS[v]) || a.owner[v] !== b.owner[v]) return false;
	return true;
}

export function sameCells(a: CellResult, b: CellResult): boolean {
	for (let c = 0; c < a.minutes.length; c++)
		if (!Object.is(a.minutes[c], b.minutes[c]) || a.facility[c] !== b.facility[c] || a.method[c] !== b.method[c]) return false;
	return true;
}

// ---- the Python reference (scipy), when python3 with scipy is installed ----

const referenceScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'reference.py');
let pythonAvailable: boolean | null = null;

/** Whether python3 can import scipy (checked once). */
export function hasScipy(): boolean {
	if (pythonAvailable === null) {
		const r = spawnSync('python3', ['-c', 'import scipy, numpy'], { stdio: 'ignore' });
		pythonAvailable = r.status === 0;
	}
	return pythonAvailable;
}

export type ReferenceResult = { ms: Stats; samples: number[]; detail?: Record<string, number> } | { skipped: string };

/**
 * Runs one task of reference.py on typed arrays (written to a temporary file, timed inside Python so process
 * start and file reading are left out). Skipped, with the reason, when python3 or scipy is absent.
 */
export function runReference(task: string, params: Record<string, number>, arrays: Record<string, Float64Array | Int32Array>): ReferenceResult {
	if (!hasScipy()) return { skipped: 'python3 with scipy not installed' };
	const dir = mkdtempSync(path.join(os.tmpdir(), 'kejimap-bench-'));
	try {
		const header: Record<string, unknown> = { task, params, arrays: {} };
		const parts: Buffer[] = [];
		let offset = 0;
		for (const [name, a] of Object.entries(arrays)) {
			(header.arrays as Record<string, unknown>)[name] = { dtype: a instanceof Float64Array ? 'f8' : 'i4', offset, length: a.length };
			const b = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
			parts.push(b);
			offset += b.byteLength;
		}
		const file = path.join(dir, 'input.bin');
		writeFileSync(file, Buffer.concat(parts));
		const r = spawnSync('python3', [referenceScript, file], { input: JSON.stringify(header), encoding: 'utf8', maxBuffer: 1 << 24 });
		if (r.status !== 0) return { skipped: `reference.py failed: ${(r.stderr || '').trim().split('\n').pop()}` };
		const out = JSON.parse(r.stdout) as { ms: number[]; detail?: Record<string, number> };
		return { ms: stats(out.ms), samples: out.ms, detail: out.detail };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/**
 * Our kernel and a reference task timed in turns: `rounds` rounds of `perRound` runs each (the reference in
 * one Python call per round), so both see the same machine load. Returns both sets of timings.
 */
export function benchWithReference(
	ours: () => number,
	task: string,
	params: Record<string, number>,
	arrays: Record<string, Float64Array | Int32Array>,
	rounds = 5,
	perRound = 3
): { ours: Stats; reference: ReferenceResult } {
	const mine: number[] = [],
		theirs: number[] = [];
	let reference: ReferenceResult = { skipped: 'not run' };
	sink += ours(); // warm-up
	for (let r = 0; r < rounds; r++) {
		for (let i = 0; i < perRound; i++) {
			const t = performance.now();
			sink += ours();
			mine.push(performance.now() - t);
		}
		const ref = runReference(task, { ...params, runs: perRound, warmup: r === 0 ? 2 : 1 }, arrays);
		if ('skipped' in ref) reference = ref;
		else {
			theirs.push(...ref.samples);
			reference = { ms: stats(theirs), samples: theirs, detail: ref.detail };
		}
	}
	return { ours: stats(mine), reference };
}

/** What each suite returns: its figures for the report (printed as it runs). */
export type SuiteReport = Record<string, unknown>;

export interface Suite {
	name: string;
	about: string;
	run(): Promise<SuiteReport>;
}
