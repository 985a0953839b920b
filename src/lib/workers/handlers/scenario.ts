/**
 * scenarioOpen / scenarioEdit / scenarioCompare: the worker holds the live scenario (engine LiveScenario, the CLI's
 * code path) so each edit recomputes only the cells it can change and sends only those. The page keeps the history
 * (engine/scenario/history.ts) and sends edits, undos as inverse edits; the worker answers each with the inverse.
 *
 * The live scenario belongs to one engine session: loading another region drops it, and an edit then asks the page
 * to open the scenario again (SCENARIO_EDIT "no scenario open").
 */
import { KejimapError } from '../../engine/errors';
import { compareResults, type AreaComparison } from '../../engine/scenario/compare';
import { orderedFacilities, touchedIds, type Edit, type ScenarioFacility } from '../../engine/scenario/edits';
import { LiveScenario, sameTravelTimes } from '../../engine/scenario/live-scenario';
import type { CoverageSession, CoverageSettings, SessionResult } from '../../engine/session';
import type { CoverageSummary } from '../../engine/types';
import type { HandlerContext, HandlerResult } from '../router';

export interface ScenarioOpenRequest {
	settings: CoverageSettings;
	/** the scenario's edits in order (the history's done list) */
	edits: Edit[];
	/** only the threshold or the target changed since the last open of the same edits: re-count, keep the times */
	recount?: boolean;
}

export interface ScenarioTable {
	summary: CoverageSummary;
	facilityCount: number;
	diagnostics: SessionResult['diagnostics'];
	cutoffMinutes: number;
}

export interface ScenarioOpenResponse extends ScenarioTable {
	/** minutes per cell (Infinity = beyond the cutoff); null on a re-count (the page's times still hold) */
	minutes: Float32Array | null;
	/** every facility with its scenario state, in index order */
	facilities: ScenarioFacility[];
	timings: { fetchMs: number; openMs: number; totalMs: number };
}

export interface ScenarioEditRequest {
	edit: Edit;
}

export interface ScenarioEditResponse extends ScenarioTable {
	/** the edit that undoes this one */
	inverse: Edit;
	/** cells whose time may have changed, and their new minutes (repaint only these) */
	changedCells: Int32Array;
	changedMinutes: Float32Array;
	/** the touched facilities' new state; `removedIds` were taken out (an undone add) */
	facilities: ScenarioFacility[];
	removedIds: string[];
	timings: { applyMs: number; summaryMs: number };
}

/** One side of a comparison: the region's facilities (no edits) or a scenario's edits, under the same settings. */
export interface ScenarioCompareRequest {
	settings: CoverageSettings;
	before: Edit[];
	after: Edit[];
}

export interface ScenarioCompareResponse {
	rows: AreaComparison[];
	total: Omit<AreaComparison, 'areaId' | 'name'>;
	passChanges: { areaId: string; name: string; passAfter: boolean }[];
	/** per cell: 1 gains coverage, -1 loses it, 0 unchanged (for the difference layer) */
	cellChange: Int8Array;
	maxMinutes: number;
	targetShare: number;
}

/** What the scenario handlers need from the worker: the loaded region's session and its graphs. */
export interface ScenarioHost {
	/** the engine session of the loaded region (throws when none is loaded) */
	session(): CoverageSession;
	/** fetch the graphs the settings need (once per mode); returns the bytes downloaded */
	ensureGraphs(settings: CoverageSettings, ctx: HandlerContext): Promise<number>;
}

function table(live: LiveScenario, recount?: Pick<CoverageSettings, 'maxMinutes' | 'targetShare'>): ScenarioTable {
	return { summary: live.summary(recount), facilityCount: live.activeFacilities, diagnostics: live.diagnostics(), cutoffMinutes: live.cutoffMinutes };
}

export function createScenarioHandlers(host: ScenarioHost) {
	let current: { engine: CoverageSession; live: LiveScenario; recount: Pick<CoverageSettings, 'maxMinutes' | 'targetShare'> } | null = null;

	const requireLive = (): LiveScenario => {
		const engine = host.session();
		if (!current || current.engine !== engine) throw new KejimapError('SCENARIO_EDIT', 'no scenario open for the loaded region (open it again)');
		return current.live;
	};

	return {
		async scenarioOpen(req: ScenarioOpenRequest, ctx: HandlerContext): Promise<HandlerResult<ScenarioOpenResponse>> {
			const t0 = performance.now();
			const engine = host.session();
			await host.ensureGraphs(req.settings, ctx);
			const fetchMs = performance.now() - t0;
			await ctx.checkpoint();
			ctx.progress({ stage: 'labels', done: 0, total: 1 });
			const t1 = performance.now();
			const reuse = req.recount && current && current.engine === engine && sameTravelTimes(current.live.settings, req.settings, current.live.cutoffMinutes);
			if (reuse) {
				current!.recount = { maxMinutes: req.settings.maxMinutes, targetShare: req.settings.targetShare };
				const live = current!.live;
				const payload: ScenarioOpenResponse = {
					...table(live, current!.recount),
					minutes: null,
					facilities: orderedFacilities(live.facilities),
					timings: { fetchMs, openMs: performance.now() - t1, totalMs: performance.now() - t0 }
				};
				return { payload };
			}
			current = null; // a failing replay leaves no half-open scenario behind
			const live = new LiveScenario(engine, req.settings, req.edits);
			current = { engine, live, recount: req.settings };
			const minutes = live.result.minutes.slice();
			const payload: ScenarioOpenResponse = {
				...table(live),
				minutes,
				facilities: orderedFacilities(live.facilities),
				timings: { fetchMs, openMs: performance.now() - t1, totalMs: performance.now() - t0 }
			};
			return { payload, transfer: [minutes.buffer] };
		},

		async scenarioEdit(req: ScenarioEditRequest): Promise<HandlerResult<ScenarioEditResponse>> {
			const live = requireLive();
			const t0 = performance.now();
			const { inverse, changedCells } = live.apply(req.edit);
			const t1 = performance.now();
			const t = table(live, current!.recount);
			const summaryMs = performance.now() - t1;
			const changedMinutes = new Float32Array(changedCells.length);
			for (let i = 0; i < changedCells.length; i++) changedMinutes[i] = live.result.minutes[changedCells[i]];
			const facilities: ScenarioFacility[] = [];
			const removedIds: string[] = [];
			for (const id of touchedIds(req.edit)) {
				const f = live.facilities.byId.get(id);
				if (f) facilities.push({ ...f });
				else removedIds.push(id);
			}
			const payload: ScenarioEditResponse = { ...t, inverse, changedCells, changedMinutes, facilities, removedIds, timings: { applyMs: t1 - t0, summaryMs } };
			return { payload, transfer: [changedCells.buffer, changedMinutes.buffer] };
		},

		async scenarioCompare(req: ScenarioCompareRequest, ctx: HandlerContext): Promise<HandlerResult<ScenarioCompareResponse>> {
			const engine = host.session();
			await host.ensureGraphs(req.settings, ctx);
			await ctx.checkpoint();
			ctx.progress({ stage: 'labels', done: 0, total: 2 });
			const before = new LiveScenario(engine, req.settings, req.before);
			await ctx.checkpoint();
			ctx.progress({ stage: 'labels', done: 1, total: 2 });
			const after = new LiveScenario(engine, req.settings, req.after);
			const cmp = compareResults(engine.cells, engine.region.areas, before.result, after.result, req.settings.maxMinutes, req.settings.targetShare);
			const { cellChange, ...rest } = cmp;
			return { payload: { ...rest, cellChange }, transfer: [cellChange.buffer] };
		}
	};
}

export type ScenarioHandlers = ReturnType<typeof createScenarioHandlers>;
