/**
 * The exact solver against published optima (../shared/data/location-benchmarks; skipped without the data).
 * OR-Library pmed (Beasley): a few n = 100 instances here, all 40 in the bench. SF 205 x 16 (spopt's figures).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataRoot } from '../../../../scripts/lib/paths';
import { orlibInstance, parseOrlibPmed, parsePmedOpt, sfInstance } from '../../data/benchmarks/location-benchmarks';
import { createHighsSolver } from '../../workers/solvers/highs';
import { plan } from './plan';

const root = path.join(dataRoot, 'location-benchmarks');
const has = existsSync(path.join(root, 'orlib-pmed/original/pmed1.txt'));
const solver = createHighsSolver();

describe.skipIf(!has)('OR-Library p-median: exact = Beasley optimum; heuristic within 1%', () => {
	const opt = has ? parsePmedOpt(readFileSync(path.join(root, 'orlib-pmed/original/pmedopt.txt'), 'utf8')) : new Map<string, number>();
	for (const name of ['pmed1', 'pmed4']) {
		it(name, async () => {
			const { instance, p, penalty } = orlibInstance(parseOrlibPmed(readFileSync(path.join(root, `orlib-pmed/original/${name}.txt`), 'utf8'), name));
			const exact = await plan(instance, { objective: 'median', sites: p, penaltyMinutes: penalty, exact: 'always', timeLimitS: 60 }, { solver });
			expect(exact.optimal).toBe(true);
			expect(exact.objectiveValue).toBe(opt.get(name));
			expect(exact.sites).toHaveLength(p);
			const heur = await plan(instance, { objective: 'median', sites: p, penaltyMinutes: penalty, exact: 'never', lpBound: false });
			expect(heur.objectiveValue).toBeGreaterThanOrEqual(opt.get(name)!);
			expect(heur.objectiveValue / opt.get(name)!).toBeLessThan(1.01);
		}, 120_000);
	}
	it('the edge rule matters: last line wins (pmed1 is 5819, not the minimum rule 5718)', () => {
		const text = readFileSync(path.join(root, 'orlib-pmed/original/pmed1.txt'), 'utf8');
		const g = parseOrlibPmed(text);
		// a conflicting pair: the distance between its ends cannot exceed the LAST cost given for it
		const lines = text.trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/).map(Number));
		const last = new Map<string, number>();
		for (const [i, j, c] of lines) last.set(`${Math.min(i, j)}-${Math.max(i, j)}`, c);
		for (const [key, c] of last) {
			const [i, j] = key.split('-').map(Number);
			expect(g.dist[(i - 1) * g.n + (j - 1)]).toBeLessThanOrEqual(c);
		}
	});
});

const sfFile = path.join(root, 'sf-store-205/original/SF_network_distance_candidateStore_16_censusTract_205_new.csv');
describe.skipIf(!existsSync(sfFile))('San Francisco 205 x 16 (spopt figures, SOURCE.md)', () => {
	const text = existsSync(sfFile) ? readFileSync(sfFile, 'utf8') : '';
	it('MCLP p = 4, S = 5000 m: 875,247 people, 184 of 205 tracts', async () => {
		const inst = sfInstance(text, 5000);
		const r = await plan(inst, { objective: 'cover', sites: 4, exact: 'always' }, { solver });
		expect(r.optimal).toBe(true);
		expect(Math.round(r.objectiveValue)).toBe(875247);
		expect(r.sites.map((s) => s.id).sort()).toEqual(['Store_11', 'Store_12', 'Store_15', 'Store_2']);
		let tracts = 0;
		const open = new Set(r.sites.map((s) => s.candidate));
		for (let c = 0; c < inst.demand.count; c++) {
			let ok = false;
			for (const j of open) for (let e = inst.reach.offsets[j]; e < inst.reach.offsets[j + 1]; e++) if (inst.reach.demand[e] === c && inst.reach.minutes[e] <= 5000) ok = true;
			if (ok) tracts++;
		}
		expect(tracts).toBe(184);
		// greedy + swap alone finds it too, and says how close it is
		const heur = await plan(inst, { objective: 'cover', sites: 4, exact: 'never' }, { solver });
		expect(heur.boundShare).toBeGreaterThan(0.95);
	});
	it('LSCP (target 100%, one area): 8 stores at 5,000 m, 3 at 8,000 m, and 2 more with Store_3 and Store_7 open (4 in all)', async () => {
		for (const [S, want] of [
			[5000, 8],
			[8000, 3]
		] as const) {
			const r = await plan(sfInstance(text, S), { objective: 'target', targetShare: 1, exact: 'always' }, { solver });
			expect(r.objectiveValue).toBe(want);
			expect(r.optimal).toBe(true);
			expect(r.after.total.covered).toBe(r.after.total.population);
		}
		const forced = await plan(sfInstance(text, 8000, { existing: ['Store_3', 'Store_7'] }), { objective: 'target', targetShare: 1, exact: 'always' }, { solver });
		expect(forced.objectiveValue + 2).toBe(4);
		expect(forced.optimal).toBe(true);
	});
	it('p-median p = 4: 2,848,268,129.7145 (mean 2,982.1268579891 m)', async () => {
		const inst = sfInstance(text, 5000);
		const r = await plan(inst, { objective: 'median', sites: 4, penaltyMinutes: 1e7, exact: 'always' }, { solver });
		expect(r.optimal).toBe(true);
		// reach times are Float32 (as coverage stores minutes): about 7 significant digits per distance
		expect(Math.abs(r.objectiveValue - 2848268129.7145104) / 2848268129.7145104).toBeLessThan(1e-7);
		expect(r.objectiveValue / r.before.total.population).toBeCloseTo(2982.1268579890657, 3);
		expect(r.sites.map((s) => s.id).sort()).toEqual(['Store_11', 'Store_12', 'Store_15', 'Store_2']);
	});
});
