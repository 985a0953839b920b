/**
 * Facility merge benchmark (issue 9, class 9): a facility file with many duplicate rows, 238,000 rows = 595 POIs
 * x 400 copies (the case that took 310 s when the merge compared every pair), against 238,000 distinct POIs.
 * SYNTHETIC names and positions (a 20 x 30 km box at Shanghai's latitude). Figures: medians of 3 runs, and the
 * duplicate / distinct ratio within this run (O(n log n) keeps it near or below 1).
 * `npm run bench -- merge`, or alone: `npx tsx scripts/bench/merge.ts`.
 */
import type { Suite } from './harness';
import { mergeFacilities, type Mergeable } from '../../src/lib/data/facilities/merge';
import { createSeededRng } from '../../src/lib/engine/synthetic';

const ROWS = 238_000;

function pois(distinct: number, copies: number, seed: number): Mergeable[] {
	const rnd = createSeededRng(seed);
	const out: Mergeable[] = [];
	for (let k = 0; k < distinct; k++) {
		const lon = 121.2 + rnd() * 0.3;
		const lat = 31.0 + rnd() * 0.2;
		const p: Mergeable = { name: `样本${k}街道社区卫生服务中心`, level: 'chc', lon, lat };
		for (let c = 0; c < copies; c++) out.push(p);
	}
	return out;
}

function medianMs(fn: () => number, runs = 3): { ms: number; groups: number } {
	const ms: number[] = [];
	let groups = 0;
	for (let r = 0; r < runs; r++) {
		const t = performance.now();
		groups = fn();
		ms.push(performance.now() - t);
	}
	ms.sort((a, b) => a - b);
	return { ms: ms[runs >> 1], groups };
}

export function benchMerge(log: (m: string) => void = console.log): { duplicateMs: number; distinctMs: number; ratio: number } {
	const dup = pois(595, ROWS / 595, 1);
	const distinct = pois(ROWS, 1, 2);
	mergeFacilities(pois(1000, 3, 3)); // warm-up
	const a = medianMs(() => mergeFacilities(dup).length);
	const b = medianMs(() => mergeFacilities(distinct).length);
	log(`merge (SYNTHETIC): ${ROWS} rows = 595 POIs x ${ROWS / 595} copies: ${Math.round(a.ms)} ms -> ${a.groups} facilities`);
	log(`merge (SYNTHETIC): ${ROWS} distinct POIs: ${Math.round(b.ms)} ms -> ${b.groups} facilities; duplicate / distinct = ${(a.ms / b.ms).toFixed(2)}`);
	return { duplicateMs: a.ms, distinctMs: b.ms, ratio: a.ms / b.ms };
}

export const merge: Suite = { name: 'merge', about: 'facility merge: 238,000 duplicate rows vs distinct (SYNTHETIC)', run: async () => ({ ...benchMerge() }) };

if (process.argv[1]?.endsWith('merge.ts')) benchMerge();
