/**
 * A PlanInstance for a region at one coverage setting, through CoverageSession (the same travel times as
 * coverage): the existing facilities are the counted levels, the demand is every cell (weight = population),
 * and the reach sets come from coverage/reach.ts, per area mode when the settings have per-area modes.
 */
import { drain, siteReachSteps, type SiteReach } from '../coverage/reach';
import { Ticker } from './control';
import { MIN_CUTOFF_MINUTES, timesKey, type CoverageSession, type CoverageSettings } from '../session';
import { createSnapper } from '../graph/snap';
import { PROFILES } from '../modes';
import { effectiveMethod } from '../coverage/coverage';
import type { CellResult } from '../types';
import { regionCandidates, type CandidateRule } from './candidates';
import type { PlanControl, PlanInstance, PlanNote, PlanProgress, ReachMatrix } from './types';
import { PLAN_DEFAULTS } from './types';

export interface RegionInstance extends PlanInstance {
	/** the coverage result of the existing facilities (before) */
	baseResult: CellResult;
}

/**
 * Equal keys, equal instances: the reach sets depend on the times (timesKey), the threshold, the reach minutes and
 * the candidates, not on the target share or K. A worker keeps the last instance under this key.
 */
export function regionInstanceKey(settings: CoverageSettings, rule: CandidateRule, opts: { reachMinutes?: number } = {}): string {
	const reach = Math.max(settings.maxMinutes, opts.reachMinutes ?? settings.maxMinutes);
	const cand =
		rule.kind === 'cells'
			? `cells>${rule.minPopulation ?? PLAN_DEFAULTS.candidateMinPopulation}`
			: rule.kind === 'upgrade'
				? 'upgrade'
				: `file:${rule.sites.length}:${rule.sites.map((x) => `${x.id}@${x.lon},${x.lat}`).join(';')}`;
	return `${timesKey(settings)}|${settings.maxMinutes}|${reach}|${cand}`;
}

/**
 * `reachMinutes`: keep reach entries up to this many minutes (default the threshold; the median with a penalty
 * above the threshold needs more).
 */
export function regionInstance(session: CoverageSession, settings: CoverageSettings, rule: CandidateRule, opts: { reachMinutes?: number } = {}): RegionInstance {
	return drain(regionInstanceSteps(session, settings, rule, opts));
}

/** regionInstance for the worker: reports progress ('reach') and can be cancelled between chunks of sites. */
export async function regionInstanceAsync(
	session: CoverageSession,
	settings: CoverageSettings,
	rule: CandidateRule,
	opts: { reachMinutes?: number } = {},
	control?: PlanControl
): Promise<RegionInstance> {
	const steps = regionInstanceSteps(session, settings, rule, opts);
	const ticker = new Ticker(control);
	for (;;) {
		const r = steps.next();
		if (r.done) return r.value;
		if (ticker.due()) await ticker.tick(r.value);
	}
}

function* regionInstanceSteps(session: CoverageSession, settings: CoverageSettings, rule: CandidateRule, opts: { reachMinutes?: number }): Generator<PlanProgress, RegionInstance> {
	const cells = session.cells;
	const n = cells.count;
	const base = session.compute(settings);
	const active = session.activeIndices(settings.levels);
	const candidates = regionCandidates(
		rule,
		cells,
		session.facilities,
		session.region.areas.map((a) => a.id),
		settings.levels
	);
	const reachMinutes = Math.max(settings.maxMinutes, opts.reachMinutes ?? settings.maxMinutes);
	const coverageCutoffMinutes = Math.max(MIN_CUTOFF_MINUTES, settings.maxMinutes);
	if (reachMinutes > coverageCutoffMinutes) throw new Error(`regionInstance: reach minutes ${reachMinutes} exceed the coverage cutoff ${coverageCutoffMinutes}`);
	const { modes, modeOfArea } = session.modePlan(settings);
	const sites = candidates.map((c) => ({ lon: c.lon, lat: c.lat }));
	const parts: SiteReach[] = [];
	for (let mi = 0; mi < modes.length; mi++) {
		const mode = modes[mi];
		const network = settings.method === 'radius' ? null : session.network(mode);
		if (network && !network.snapper) network.snapper = createSnapper(network.graph, PROFILES[mode].accessSpeedMps);
		let cellMask: Uint8Array | undefined;
		if (modes.length > 1) {
			cellMask = new Uint8Array(n);
			for (let c = 0; c < n; c++) cellMask[c] = modeOfArea(cells.areaIndex[c]) === mode ? 1 : 0;
		}
		const steps = siteReachSteps({
			cells,
			profile: PROFILES[mode],
			method: settings.method,
			network,
			facilities: session.facilities,
			active,
			thresholdMinutes: reachMinutes,
			coverageCutoffMinutes,
			sites,
			cellMask
		});
		for (;;) {
			const r = steps.next();
			if (r.done) {
				parts.push(r.value);
				break;
			}
			yield { stage: 'reach', done: mi * sites.length + r.value, total: modes.length * sites.length };
		}
	}
	const reach = mergeParts(parts, candidates.length, n, reachMinutes);
	const excluded = new Uint8Array(candidates.length);
	let switching = 0,
		unsnapped = 0;
	for (const p of parts)
		for (let j = 0; j < candidates.length; j++) {
			if (p.switchesPiece[j] && !excluded[j]) {
				excluded[j] = 1;
				switching++;
			}
			if (p.unsnapped[j]) unsnapped++;
		}
	const notes: PlanNote[] = [];
	if (switching) notes.push({ code: 'switchesPiece', count: switching });
	if (unsnapped) notes.push({ code: 'unsnappedCandidates', count: unsnapped });
	return {
		demand: { count: n, weight: cells.population, areaIndex: cells.areaIndex, baseMinutes: base.result.minutes, baseMethod: base.result.method, ids: cells.h3 },
		candidates,
		reach,
		areas: session.region.areas.map((a) => ({ id: a.id, name: a.name })),
		maxMinutes: settings.maxMinutes,
		excluded,
		notes,
		tableMeta: { mode: settings.mode, method: effectiveMethod(settings.method, !!session.graphs[settings.mode]), populationMethod: cells.populationMethod },
		baseResult: base.result
	};
}

/** One matrix from per-mode parts (each cell belongs to one mode, so the parts are disjoint). */
function mergeParts(parts: SiteReach[], k: number, n: number, cutoffMinutes: number): ReachMatrix {
	if (parts.length === 1) {
		const p = parts[0];
		return { candidateCount: k, demandCount: n, cutoffMinutes, offsets: p.offsets, demand: p.cell, minutes: p.minutes };
	}
	let total = 0;
	for (const p of parts) total += p.cell.length;
	const offsets = new Uint32Array(k + 1);
	const demand = new Uint32Array(total);
	const minutes = new Float32Array(total);
	let w = 0;
	const order: number[] = [];
	const srcPart: number[] = [];
	for (let j = 0; j < k; j++) {
		order.length = 0;
		srcPart.length = 0;
		parts.forEach((p, pi) => {
			for (let e = p.offsets[j]; e < p.offsets[j + 1]; e++) {
				order.push(e);
				srcPart.push(pi);
			}
		});
		const idx = order.map((_, i) => i).sort((a, b) => parts[srcPart[a]].cell[order[a]] - parts[srcPart[b]].cell[order[b]]);
		for (const i of idx) {
			const p = parts[srcPart[i]];
			demand[w] = p.cell[order[i]];
			minutes[w++] = p.minutes[order[i]];
		}
		offsets[j + 1] = w;
	}
	return { candidateCount: k, demandCount: n, cutoffMinutes, offsets, demand, minutes };
}
