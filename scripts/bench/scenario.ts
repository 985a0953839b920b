/**
 * Scenario benchmark: the cost of one scenario edit as the worker pays it (LiveScenario.apply, then the per-area
 * table), over a mix of moves, additions, closures, merges, level changes, undos and redos, on the built Shanghai
 * region (real facilities, radius method) and on the SYNTHETIC 1.5 M-node city (walk, auto, 3,000 facilities,
 * ~60k H3 r9 cells). After each run the table is checked equal to a full recompute on the edited facilities.
 * Goal: p95 <= 5 ms per edit. Figures, not pass/fail.
 *
 * Run alone with `npx tsx scripts/bench/scenario.ts` (BENCH_NODES=300000 for a smaller city, BENCH_SKIP_REAL=1);
 * `benchScenario()` is the entry for the bench index (scripts/bench/*.ts).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuiltRegion } from '../../src/lib/engine/built-region';
import { cellCenter, polygonRingsToCells } from '../../src/lib/engine/geo/h3';
import { bboxOf, metresPerDegree } from '../../src/lib/engine/geo/measure';
import { buildCsr, renumberHilbert } from '../../src/lib/engine/graph/csr';
import { nextAddedId, orderedFacilities, roundCoord, type Edit } from '../../src/lib/engine/scenario/edits';
import { commit, EMPTY_HISTORY, redo, undo, type History } from '../../src/lib/engine/scenario/history';
import { LiveScenario } from '../../src/lib/engine/scenario/live-scenario';
import { CoverageSession, type CoverageSettings } from '../../src/lib/engine/session';
import { createSeededRng, generateSyntheticArcs, SYNTHETIC_LABEL, syntheticFacilities } from '../../src/lib/engine/synthetic';
import type { CellTable, CsrGraph, Facility } from '../../src/lib/engine/types';
import { loadSession } from '../lib/load-built';
import { buildRoot } from '../lib/paths';

const GOAL_P95_MS = 5;
const log = (m: string) => console.log(m);
let sink = 0;

interface Stats {
	runs: number;
	p50: number;
	p95: number;
	max: number;
}
function stats(ms: number[]): Stats {
	const s = [...ms].sort((a, b) => a - b);
	const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
	const r = (x: number) => Math.round(x * 1000) / 1000;
	return { runs: s.length, p50: r(q(0.5)), p95: r(q(0.95)), max: r(s[s.length - 1]) };
}

export interface ScenarioBenchReport {
	case: string;
	cells: number;
	facilities: number;
	/** whole edit: LiveScenario.apply + summary (what one worker request computes) */
	edit: Stats;
	/** apply alone */
	apply: Stats;
	/** summary alone */
	summary: Stats;
	byOp: Record<string, Stats>;
	meanChangedCells: number;
	replayMs: number;
	equalsFullRecompute: boolean;
	goalP95Ms: number;
}

/** A seeded mix of edits on `live`; every edit timed (apply, summary); undo/redo through the pure history. */
function runEdits(name: string, session: CoverageSession, settings: CoverageSettings, count: number, warmup: number, site: (rng: () => number, near?: { lon: number; lat: number }) => [number, number], seed: number): ScenarioBenchReport {
	const live = new LiveScenario(session, settings);
	const counted = new Set(settings.levels);
	const rng = createSeededRng(seed);
	let h: History = EMPTY_HISTORY;
	const edit: number[] = [],
		apply: number[] = [],
		summary: number[] = [];
	const byOp: Record<string, number[]> = {};
	let changed = 0;
	for (let i = 0; i < warmup + count; i++) {
		let op: string;
		let t1 = 0;
		const timed = (e: Edit): Edit => {
			const r = live.apply(e);
			t1 = performance.now();
			changed += i >= warmup ? r.changedCells.length : 0;
			return r.inverse;
		};
		const open = orderedFacilities(live.facilities).filter((f) => f.open && counted.has(f.level));
		const pick = () => open[Math.floor(rng() * open.length)];
		const r = rng();
		const t0 = performance.now();
		if (r < 0.07 && h.done.length) {
			h = undo(h, timed);
			op = 'undo';
		} else if (r < 0.12 && h.undone.length) {
			h = redo(h, timed);
			op = 'redo';
		} else {
			let e: Edit;
			const q = rng();
			if (q < 0.4) {
				const f = pick();
				const [lon, lat] = site(rng, f);
				e = { op: 'move', facilityId: f.id, lon, lat };
			} else if (q < 0.6) {
				const [lon, lat] = site(rng);
				e = { op: 'add', facilityId: nextAddedId(live.facilities), name: 'bench site', level: settings.levels[0], lon, lat };
			} else if (q < 0.75) e = { op: 'remove', facilityId: pick().id };
			else if (q < 0.85) {
				const [a, b] = [pick(), pick()];
				e = a.id === b.id ? { op: 'remove', facilityId: a.id } : { op: 'merge', facilityId: a.id, intoId: b.id };
			} else e = { op: 'level', facilityId: pick().id, level: 'hospital' }; // leaves the counted set
			h = commit(h, e, timed);
			op = e.op;
		}
		const s = live.summary();
		const t2 = performance.now();
		sink += s.total.covered;
		if (i < warmup) continue;
		edit.push(t2 - t0);
		apply.push(t1 - t0);
		summary.push(t2 - t1);
		(byOp[op] ??= []).push(t2 - t0);
	}
	// check: a brand-new session on the edited facilities (closed ones not counted), full compute
	const list = orderedFacilities(live.facilities);
	const facilities: Facility[] = list.map((f) => ({ id: f.id, name: f.name, level: f.open ? f.level : 'other', lon: f.lon, lat: f.lat, source: 'bench' }));
	const full = new CoverageSession(session.region, facilities, session.cells, session.graphs).compute(settings);
	const equal = JSON.stringify(full.summary) === JSON.stringify(live.summary());
	// replaying the whole edit list (opening a file or a link) from the region's facilities
	const t = performance.now();
	const replayed = new LiveScenario(session, settings, h.done.map((d) => d.edit));
	const replayMs = performance.now() - t;
	const replayEqual = JSON.stringify(replayed.summary()) === JSON.stringify(live.summary());
	const report: ScenarioBenchReport = {
		case: name,
		cells: session.cells.count,
		facilities: session.facilities.length,
		edit: stats(edit),
		apply: stats(apply),
		summary: stats(summary),
		byOp: Object.fromEntries(Object.entries(byOp).map(([k, v]) => [k, stats(v)])),
		meanChangedCells: Math.round(changed / count),
		replayMs: Math.round(replayMs),
		equalsFullRecompute: equal && replayEqual,
		goalP95Ms: GOAL_P95_MS
	};
	const f = (s: Stats) => `p50 ${s.p50.toFixed(3)} ms, p95 ${s.p95.toFixed(3)} ms, max ${s.max.toFixed(1)} ms (${s.runs})`;
	log(`  ${name}: ${session.cells.count.toLocaleString('en')} cells, ${session.facilities.length.toLocaleString('en')} facilities, ${settings.mode} ${settings.method}`);
	log(`    one edit (apply + table): ${f(report.edit)}  [goal p95 <= ${GOAL_P95_MS} ms: ${report.edit.p95 <= GOAL_P95_MS ? 'met' : 'MISSED'}]`);
	log(`    apply ${f(report.apply)}; table ${f(report.summary)}; ${report.meanChangedCells} cells repainted on average`);
	log(`    by op: ${Object.entries(report.byOp).map(([k, s]) => `${k} p50 ${s.p50.toFixed(2)} / p95 ${s.p95.toFixed(2)} ms`).join('; ')}`);
	log(`    replay of the ${h.done.length} edits (open a file or link): ${report.replayMs} ms; equals a full recompute: ${report.equalsFullRecompute}`);
	return report;
}

function benchShanghai(): ScenarioBenchReport | { skipped: string } {
	const id = 'shanghai';
	if (process.env.BENCH_SKIP_REAL === '1') return { skipped: 'BENCH_SKIP_REAL=1' };
	if (!existsSync(path.join(buildRoot, id, 'region.json'))) return { skipped: `data/build/${id} not built (npm run data)` };
	const session = loadSession(id);
	const p = session.region.manifest.policy;
	const settings: CoverageSettings = { mode: p.mode, maxMinutes: p.maxMinutes, levels: [...p.levels], targetShare: p.targetShare, method: 'auto', areaModeRules: p.areaModeRules };
	const { mPerDegLon, mPerDegLat } = metresPerDegree(31.2);
	const cells = session.cells;
	// new sites at populated cell centres; moves within 1 km of the old site
	const site = (rng: () => number, near?: { lon: number; lat: number }): [number, number] => {
		if (near) return [roundCoord(near.lon + ((rng() * 2 - 1) * 1000) / mPerDegLon), roundCoord(near.lat + ((rng() * 2 - 1) * 1000) / mPerDegLat)];
		const c = Math.floor(rng() * cells.count);
		return [roundCoord(cells.lon[c]), roundCoord(cells.lat[c])];
	};
	return runEdits(`${id} (real facilities; ${session.region.populationMethod} population)`, session, settings, 400, 40, site, 5);
}

function benchSynthetic(nodes: number): ScenarioBenchReport {
	const g: CsrGraph = renumberHilbert(buildCsr(generateSyntheticArcs({ nodes, seed: 1 }))).graph;
	const seeds = syntheticFacilities(g, 3000, 2);
	const facilities: Facility[] = seeds.map((s, i) => ({ id: `s${i}`, name: `SYNTHETIC ${i}`, level: 'chc', lon: s.lon, lat: s.lat, source: 'synthetic' }));
	const [minLon, minLat, maxLon, maxLat] = bboxOf(g.lon, g.lat);
	// H3 r9 over the city's box widened by 5 km (the edge cells lie off the network: auto uses the radius there)
	const padLat = 5000 / 111_195,
		padLon = padLat / Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
	const ring = [
		[minLon - padLon, minLat - padLat],
		[maxLon + padLon, minLat - padLat],
		[maxLon + padLon, maxLat + padLat],
		[minLon - padLon, maxLat + padLat],
		[minLon - padLon, minLat - padLat]
	];
	const h3 = polygonRingsToCells([ring], 9);
	const cells: CellTable = {
		resolution: 9,
		count: h3.length,
		h3,
		lon: new Float64Array(h3.length),
		lat: new Float64Array(h3.length),
		population: new Float64Array(h3.length).fill(100), // synthetic uniform population
		areaIndex: new Int32Array(h3.length),
		populationMethod: 'uniform'
	};
	const midLon = (minLon + maxLon) / 2,
		midLat = (minLat + maxLat) / 2;
	h3.forEach((c, i) => {
		[cells.lon[i], cells.lat[i]] = cellCenter(c);
		cells.areaIndex[i] = (cells.lon[i] < midLon ? 0 : 1) + (cells.lat[i] < midLat ? 0 : 2); // four quadrant areas
	});
	const box: [number, number, number, number] = [minLon, minLat, maxLon, maxLat];
	const region = { id: 'synthetic', inputHash: 'synthetic', areas: ['SW', 'SE', 'NW', 'NE'].map((id) => ({ id, name: `SYNTHETIC ${id}`, bbox: box })) } as unknown as BuiltRegion;
	const session = new CoverageSession(region, facilities, cells, { walk: g });
	const { mPerDegLon, mPerDegLat } = metresPerDegree(midLat);
	const site = (rng: () => number, near?: { lon: number; lat: number }): [number, number] => {
		if (near) return [roundCoord(near.lon + ((rng() * 2 - 1) * 500) / mPerDegLon), roundCoord(near.lat + ((rng() * 2 - 1) * 500) / mPerDegLat)];
		const v = Math.floor(rng() * g.nodeCount);
		return [roundCoord(g.lon[v]), roundCoord(g.lat[v])];
	};
	const settings: CoverageSettings = { mode: 'walk', maxMinutes: 15, levels: ['chc'], targetShare: 0.9, method: 'auto' };
	return runEdits(`${SYNTHETIC_LABEL}, ${g.nodeCount.toLocaleString('en')} nodes`, session, settings, 400, 40, site, 7);
}

export async function benchScenario(nodes = Number(process.env.BENCH_NODES ?? 1_500_000)): Promise<{ shanghai: ScenarioBenchReport | { skipped: string }; synthetic: ScenarioBenchReport }> {
	log('\nScenario edits (LiveScenario.apply + per-area table, as the worker runs one edit)');
	const shanghai = benchShanghai();
	if ('skipped' in shanghai) log(`  shanghai: skipped (${shanghai.skipped})`);
	const synthetic = benchSynthetic(nodes);
	log(`  (sink ${sink})`);
	return { shanghai, synthetic };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await benchScenario();
