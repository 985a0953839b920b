/**
 * Consolidation benchmark (figures, not pass/fail): on the built regions at their policy settings, the reach sets of
 * the counted facilities (reach.ts via regionInstance), the greedy closures (consolidate.ts), and the whole
 * consolidateRegion (plus the after scenario and circuit care). Medians of a few runs after one warm-up.
 *
 * Run alone with `npx tsx scripts/bench/consolidate.ts [region ...]`; `benchConsolidate()` is the entry for the
 * bench index (scripts/bench/*.ts).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { consolidate } from '../../src/lib/engine/allocation/consolidate';
import { consolidateRegion } from '../../src/lib/engine/allocation/consolidate-region';
import { regionInstance } from '../../src/lib/engine/allocation/instance';
import type { CoverageSettings } from '../../src/lib/engine/session';
import { loadSession } from '../lib/load-built';
import { buildRoot } from '../lib/paths';

const log = (m: string) => console.log(m);
const RUNS = 3;
let sink = 0;

function median(fn: () => number): number {
	fn(); // warm-up
	const ms: number[] = [];
	for (let i = 0; i < RUNS; i++) {
		const t = performance.now();
		sink += fn();
		ms.push(performance.now() - t);
	}
	return ms.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

export interface ConsolidateBenchRow {
	region: string;
	setting: string;
	facilities: number;
	villageClinics: number;
	reachEntries: number;
	reachMs: number;
	greedyMs: number;
	wholeMs: number;
	closures: number;
	circuitCarePlaces: number;
}

export function benchConsolidate(regions = ['shanghai', 'lingqiu', 'xixiang', 'longxi', 'anlong']): ConsolidateBenchRow[] {
	log('\nConsolidate (village clinics): reach sets of the counted facilities, greedy, whole run (median of 3)');
	log(`  ${'region (setting)'.padEnd(30)} facilities  clinics  reach entries  reach ms  greedy ms  whole ms  closures  circuit care`);
	const rows: ConsolidateBenchRow[] = [];
	for (const id of regions) {
		if (!existsSync(path.join(buildRoot, id, 'region.json'))) {
			log(`  ${id}: not built (npm run data)`);
			continue;
		}
		const s = loadSession(id);
		const p = s.region.manifest.policy;
		const st: CoverageSettings = { mode: p.mode, maxMinutes: p.maxMinutes, levels: p.levels, targetShare: p.targetShare, method: 'auto', areaModeRules: p.areaModeRules };
		s.compute(st); // the coverage run is cached by the session in every use; time the planning part
		const active = s.activeIndices(st.levels);
		const sites = [...active].map((f) => ({ id: s.facilities[f].id, lon: s.facilities[f].lon, lat: s.facilities[f].lat }));
		let inst = regionInstance(s, st, { kind: 'file', sites });
		const reachMs = median(() => {
			inst = regionInstance(s, st, { kind: 'file', sites });
			return inst.reach.demand.length;
		});
		const rowFacility = Int32Array.from(active);
		const isClinic = Uint8Array.from(rowFacility, (f) => (s.facilities[f].level === 'village_clinic' ? 1 : 0));
		const greedyMs = median(
			() =>
				consolidate({ population: s.cells.population, rowFacility, reach: inst.reach, maxMinutes: st.maxMinutes, candidate: (r) => isClinic[r] === 1, params: { maxLossPeople: 0, minServicePopulation: 1000 } })
					.closures.length
		);
		let whole = consolidateRegion(s, st);
		const wholeMs = median(() => {
			whole = consolidateRegion(s, st);
			return whole.closures.length;
		});
		const row: ConsolidateBenchRow = {
			region: id,
			setting: `${st.mode} ${st.maxMinutes} min`,
			facilities: active.length,
			villageClinics: whole.clinicCount,
			reachEntries: inst.reach.demand.length,
			reachMs,
			greedyMs,
			wholeMs,
			closures: whole.closures.length,
			circuitCarePlaces: whole.circuitCare.length
		};
		rows.push(row);
		log(
			`  ${`${id} (${row.setting})`.padEnd(30)} ${String(row.facilities).padStart(10)}  ${String(row.villageClinics).padStart(7)}  ${String(row.reachEntries).padStart(13)}  ${reachMs.toFixed(0).padStart(8)}  ${greedyMs.toFixed(1).padStart(9)}  ${wholeMs.toFixed(0).padStart(8)}  ${String(row.closures).padStart(8)}  ${String(row.circuitCarePlaces).padStart(12)}`
		);
	}
	log(`  (sink ${sink})`);
	return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) benchConsolidate(process.argv.length > 2 ? process.argv.slice(2) : undefined);
