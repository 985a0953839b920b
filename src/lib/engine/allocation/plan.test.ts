import { describe, expect, it } from 'vitest';
import { createHighsSolver } from '../../workers/solvers/highs';
import { plan } from './plan';
import { bruteCost, createSeededRng, randomInstance, subsets } from './testing/random-instance';
import type { PlanInstance } from './types';

const solver = createHighsSolver();

function bestCover(inst: PlanInstance, k: number) {
	const T = inst.maxMinutes;
	const f = (x: number) => (x <= T ? 0 : 1);
	const u0 = bruteCost(inst, [], f, f);
	let best = 0;
	for (const s of subsets(inst.candidates.length, k)) best = Math.max(best, u0 - bruteCost(inst, s, f, f));
	return best;
}

function bestMedian(inst: PlanInstance, k: number, P: number) {
	const f = (x: number) => Math.min(x, P);
	let best = Infinity;
	for (const s of subsets(inst.candidates.length, k)) best = Math.min(best, bruteCost(inst, s, f, f));
	return best;
}

/** Fewest sites meeting every area's need, by brute force over subsets of growing size (null: none does). */
function bestTarget(inst: PlanInstance, share: number): number | null {
	const T = inst.maxMinutes;
	const areas = inst.areas.length;
	const pass = (open: number[]) => {
		const pop = new Float64Array(areas),
			cov = new Float64Array(areas);
		for (let c = 0; c < inst.demand.count; c++) {
			const a = inst.demand.areaIndex[c];
			pop[a] += inst.demand.weight[c];
			let t = inst.demand.baseMinutes[c];
			for (const j of open) for (let e = inst.reach.offsets[j]; e < inst.reach.offsets[j + 1]; e++) if (inst.reach.demand[e] === c) t = Math.min(t, inst.reach.minutes[e]);
			if (t <= T) cov[a] += inst.demand.weight[c];
		}
		for (let a = 0; a < areas; a++) if (Math.round(cov[a]) / Math.round(pop[a]) < share) return false;
		return true;
	};
	for (let k = 0; k <= inst.candidates.length; k++) for (const s of subsets(inst.candidates.length, k)) if (pass(s)) return k;
	return null;
}

describe('plan(): exact and heuristic answers against brute force on small random instances', () => {
	it('cover: exact equals the brute-force optimum; the heuristic alone stays within its own proven bound', async () => {
		const rng = createSeededRng(2024);
		for (let t = 0; t < 12; t++) {
			const inst = randomInstance(rng, { demand: 40, candidates: 10, density: 0.2, coveredShare: 0.25, areas: 2 });
			const k = 1 + (t % 4);
			const best = bestCover(inst, k);
			const exact = await plan(inst, { objective: 'cover', sites: k, exact: 'always' }, { solver });
			expect(exact.objectiveValue).toBeCloseTo(best, 6);
			expect(exact.optimal).toBe(true);
			expect(exact.bound).toBeCloseTo(best, 6);
			const heur = await plan(inst, { objective: 'cover', sites: k, exact: 'never', lpBound: false });
			expect(heur.objectiveValue).toBeLessThanOrEqual(best + 1e-9);
			expect(heur.bound).toBeGreaterThanOrEqual(best - 1e-6);
			expect(heur.boundShare).toBeCloseTo(heur.optimal ? 1 : heur.objectiveValue / heur.bound, 12);
			// the after table counts exactly the people gained
			expect(exact.after.total.covered - exact.before.total.covered).toBeCloseTo(Math.round(exact.objectiveValue), -0.5);
			// sites are ranked by gain, running totals add up to the value
			expect(exact.sites.at(-1)?.runningTotal ?? 0).toBeCloseTo(exact.objectiveValue, 6);
			for (let i = 1; i < exact.sites.length; i++) expect(exact.sites[i].gain).toBeLessThanOrEqual(exact.sites[i - 1].gain + 1e-9);
		}
	});

	it('median: exact equals the brute-force optimum; the LP bound is a valid lower bound', async () => {
		const rng = createSeededRng(77);
		for (let t = 0; t < 12; t++) {
			const inst = randomInstance(rng, { demand: 30, candidates: 9, density: 0.35, coveredShare: 0.2, maxMinutes: 15 });
			const k = 1 + (t % 3);
			const P = 30; // = the reach cutoff of randomInstance
			const best = bestMedian(inst, k, P);
			const exact = await plan(inst, { objective: 'median', sites: k, penaltyMinutes: P, exact: 'always' }, { solver });
			expect(exact.objectiveValue).toBeCloseTo(best, 5);
			expect(exact.optimal).toBe(true);
			const lp = await plan(inst, { objective: 'median', sites: k, penaltyMinutes: P, exact: 'never' }, { solver });
			expect(lp.objectiveValue).toBeGreaterThanOrEqual(best - 1e-6);
			expect(lp.bound).toBeLessThanOrEqual(best + 1e-6);
			if (!lp.optimal) expect(lp.boundMethod === 'lp' || lp.boundMethod === 'greedy-online').toBe(true);
		}
	});

	it('target: exact equals the brute-force fewest sites; every area passes after, or is reported as out of reach', async () => {
		const rng = createSeededRng(5);
		let unreachableSeen = 0,
			solved = 0;
		for (let t = 0; t < 24; t++) {
			const inst = randomInstance(rng, { demand: 30, candidates: 9, density: 0.2, coveredShare: 0.3, areas: 2 });
			const share = [0.5, 0.7, 0.9, 1][t % 4];
			const r = await plan(inst, { objective: 'target', targetShare: share, exact: 'always' }, { solver });
			const allReachable = r.areaNeeds!.every((a) => a.reachable);
			if (!allReachable) {
				unreachableSeen++;
				for (const a of r.areaNeeds!) if (!a.reachable) expect(r.after.rows[a.areaIndex].pass).toBe(false);
				continue;
			}
			const best = bestTarget(inst, share);
			expect(best).not.toBeNull();
			expect(r.objectiveValue).toBe(best);
			expect(r.optimal).toBe(true);
			for (const row of r.after.rows) expect(row.pass).toBe(true);
			const heur = await plan(inst, { objective: 'target', targetShare: share, exact: 'never', lpBound: false });
			expect(heur.objectiveValue).toBeGreaterThanOrEqual(best!);
			expect(heur.bound).toBeLessThanOrEqual(best!);
			for (const row of heur.after.rows) expect(row.pass).toBe(true);
			solved++;
		}
		expect(solved).toBeGreaterThan(4);
		expect(unreachableSeen).toBeGreaterThan(0);
	});

	it('greedy + swap is deterministic: the same instance gives the same answer', async () => {
		const mk = () => randomInstance(createSeededRng(9), { demand: 200, candidates: 60, density: 0.05, integerWeights: true });
		const a = await plan(mk(), { objective: 'cover', sites: 6, exact: 'never' });
		const b = await plan(mk(), { objective: 'cover', sites: 6, exact: 'never' });
		expect(a.sites.map((s) => s.id)).toEqual(b.sites.map((s) => s.id));
	});

	it('an unknown objective is a clear error', async () => {
		const inst = randomInstance(createSeededRng(1), { demand: 5, candidates: 2, density: 0.5 });
		await expect(plan(inst, { objective: 'teleport' })).rejects.toThrow(/unknown objective "teleport"; known: cover, target, median/);
	});
});

describe('plan(): progress and cancellation', () => {
	it('reports progress and stops with PlanCancelled when the signal aborts', async () => {
		const { PlanCancelled } = await import('./types');
		const inst = randomInstance(createSeededRng(3), { demand: 3000, candidates: 1500, density: 0.01 });
		const stages = new Set<string>();
		let ticks = 0;
		const ctrl = new AbortController();
		const run = plan(
			inst,
			{ objective: 'cover', sites: 200, exact: 'never' },
			{
				control: {
					signal: ctrl.signal,
					onProgress: (p) => stages.add(p.stage),
					checkpoint: async () => {
						ticks++;
						if (ticks === 2) ctrl.abort();
						await new Promise((r) => setTimeout(r, 60)); // let the ticker's interval pass
					}
				}
			}
		);
		await expect(run).rejects.toBeInstanceOf(PlanCancelled);
		expect(ticks).toBeGreaterThanOrEqual(2);
		expect(stages.has('greedy')).toBe(true);
	});
});
