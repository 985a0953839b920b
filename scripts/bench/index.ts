/**
 * `npm run bench [-- suite ...]`: figures, not pass/fail (performance is only ever measured here, never
 * asserted in tests). Suites: see SUITES; none named = all. Fixed seeds, warm-up runs, a result sink,
 * p50 / p95 printed, variants compared in turns within one run. Results go to data/build/bench.json (all
 * suites) or data/build/bench-<suites>.json.
 *
 * Options: BENCH_NODES=300000 (smaller synthetic city), BENCH_SKIP_REAL=1 (no built regions).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildRoot, repoRoot } from '../lib/paths';
import { coverage } from './coverage';
import { planning } from './planning';
import { data } from './data';
import { merge } from './merge'; // robustness: the duplicate-row merge (issue 9)
import { hasScipy, log, sinkValue, type Suite, type SuiteReport } from './harness';
import { real } from './real';
import { routing } from './routing';
import { scenario } from './scenario'; // scenarios (issue 7)

const SUITES: Suite[] = [routing, real, coverage, planning, data, scenario, merge];

async function main() {
	const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
	const unknown = names.filter((n) => !SUITES.some((s) => s.name === n));
	if (unknown.length > 0) {
		console.error(`bench: unknown suite ${unknown.join(', ')}; suites: ${SUITES.map((s) => `${s.name} (${s.about})`).join('; ')}`);
		process.exit(2);
	}
	const chosen = names.length > 0 ? SUITES.filter((s) => names.includes(s.name)) : SUITES;
	const cpu = os.cpus()[0]?.model ?? 'cpu';
	log(`Kejimap bench — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpu} (${os.cpus().length} cores; kernels are single-threaded)`);
	log(`Suites: ${chosen.map((s) => s.name).join(', ')}; scipy reference: ${hasScipy() ? 'yes' : 'no (python3 with scipy not installed: those lines are skipped)'}`);
	const t0 = performance.now();
	const results: Record<string, SuiteReport> = {};
	for (const s of chosen) results[s.name] = await s.run();
	const totalS = (performance.now() - t0) / 1000;
	log(`\nTotal ${totalS.toFixed(1)} s. (sink ${sinkValue() !== 0 ? 'ok' : sinkValue()})`);
	mkdirSync(buildRoot, { recursive: true });
	const file = path.join(buildRoot, chosen.length === SUITES.length ? 'bench.json' : `bench-${chosen.map((s) => s.name).join('-')}.json`);
	const report = { generatedAt: new Date().toISOString(), node: process.version, cpu, cores: os.cpus().length, totalS: Math.round(totalS * 10) / 10, ...results };
	writeFileSync(file, JSON.stringify(report, null, 1));
	log(`Wrote ${path.relative(repoRoot, file)}`);
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
