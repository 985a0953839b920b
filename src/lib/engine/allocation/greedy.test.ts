import { describe, expect, it } from 'vitest';
import { coverModel } from './cover';
import { lazyGreedy } from './greedy';
import { evaluateSet, gainOf, onlineUpperBound, openSite } from './savings';
import { bruteCost, createSeededRng, randomInstance, subsets } from './testing/random-instance';

/** Plain greedy from the definition: every step scans every candidate (no laziness). */
function plainGreedy(m: ReturnType<typeof coverModel>, k: number): number[] {
	const cur = Float64Array.from(m.base);
	const out: number[] = [];
	for (let s = 0; s < k; s++) {
		let best = -1,
			bestG = 0;
		for (let j = 0; j < m.reach.candidateCount; j++) {
			if (out.includes(j)) continue;
			const g = gainOf(m, cur, j);
			if (g > bestG) {
				bestG = g;
				best = j;
			}
		}
		if (best < 0) break;
		out.push(best);
		openSite(m, cur, best);
	}
	return out;
}

describe('lazy greedy (CELF) for Cover', () => {
	it('picks exactly what the plain greedy picks, ties to the lower index (integer weights: many ties)', async () => {
		const rng = createSeededRng(7);
		for (let trial = 0; trial < 40; trial++) {
			const inst = randomInstance(rng, { demand: 30, candidates: 12, density: 0.2, coveredShare: 0.2, integerWeights: trial % 2 === 0 });
			const m = coverModel(inst);
			const k = 1 + (trial % 5);
			const steps = await lazyGreedy(m, Float64Array.from(m.base), k);
			expect(steps.map((s) => s.candidate)).toEqual(plainGreedy(m, k));
		}
	});

	it('value equals the brute-force people gained; the online bound is never below the brute-force optimum', async () => {
		const rng = createSeededRng(11);
		const T = 15;
		const entry = (x: number) => (x <= T ? 0 : 1);
		for (let trial = 0; trial < 25; trial++) {
			const inst = randomInstance(rng, { demand: 25, candidates: 9, density: 0.25, coveredShare: 0.3, maxMinutes: T });
			const m = coverModel(inst);
			const k = 1 + (trial % 4);
			const cur = Float64Array.from(m.base);
			const steps = await lazyGreedy(m, cur, k);
			const open = steps.map((s) => s.candidate);
			const uncovered0 = bruteCost(inst, [], entry, entry);
			const gained = uncovered0 - bruteCost(inst, open, entry, entry);
			expect(steps.reduce((a, s) => a + s.gain, 0)).toBeCloseTo(gained, 6);
			expect(evaluateSet(m, open).saving).toBeCloseTo(gained, 6);
			let best = 0;
			for (const s of subsets(9, k)) best = Math.max(best, uncovered0 - bruteCost(inst, s, entry, entry));
			expect(gained).toBeLessThanOrEqual(best + 1e-9);
			expect(gained).toBeGreaterThanOrEqual((1 - 1 / Math.E) * best - 1e-9);
			expect(onlineUpperBound(m, cur, gained, k, open)).toBeGreaterThanOrEqual(best - 1e-6);
		}
	});
});

describe('1-swap local search', () => {
	it('ends 1-swap optimal (no single exchange improves, checked pair by pair) and never worse than its start', async () => {
		const { swapSearch } = await import('./local-search');
		const { medianModel } = await import('./median');
		const rng = createSeededRng(31);
		let improved = 0;
		for (let trial = 0; trial < 30; trial++) {
			const inst = randomInstance(rng, { demand: 40, candidates: 14, density: 0.3, coveredShare: 0.2 });
			const m = trial % 2 ? coverModel(inst) : medianModel(inst, 30);
			const k = 2 + (trial % 3);
			const start = Array.from({ length: k }, (_, i) => (i * 5 + trial) % 14).filter((v, i, a) => a.indexOf(v) === i);
			const startCost = evaluateSet(m, start).cost.reduce((s, x, c) => s + m.weight[c] * x, 0);
			const r = await swapSearch(m, start);
			const cost = (open: number[]) => evaluateSet(m, open).cost.reduce((s, x, c) => s + m.weight[c] * x, 0);
			expect(r.cost).toBeCloseTo(cost(r.open), 6);
			expect(r.cost).toBeLessThanOrEqual(startCost + 1e-9);
			if (r.cost < startCost - 1e-9) improved++;
			for (let p = 0; p < r.open.length; p++)
				for (let j = 0; j < 14; j++) {
					if (r.open.includes(j)) continue;
					const s = r.open.slice();
					s[p] = j;
					expect(cost(s)).toBeGreaterThanOrEqual(r.cost - 1e-6);
				}
		}
		expect(improved).toBeGreaterThan(5);
	});
});
