/**
 * coverage: the per-area table and per-cell times for a CoverageSettings (engine CoverageSession, the CLI's code path).
 * The session caches times per timesKey with a generous cutoff, so a threshold change only re-buckets; the handler
 * then sends no new times to the page.
 */
import { KejimapError } from '../../engine/errors';
import { deserializeGraph } from '../../engine/graph/serialize';
import { MIN_CUTOFF_MINUTES, modesOf, timesKey, type CoverageSettings, type SessionResult } from '../../engine/session';
import type { CoverageSummary, MethodChoice, Mode } from '../../engine/types';
import { MODES } from '../../engine/types';
import type { HandlerContext, HandlerResult } from '../router';
import { fetchBytes, requireSession, type HandlerDeps, type SessionSlot, type WorkerSession } from './region';

export interface CoverageTimings {
	/** graph download + decode */
	fetchMs: number;
	/** engine CoverageSession.compute (times when not cached, then the per-area summary) */
	computeMs: number;
	totalMs: number;
}

export interface CoverageResponse {
	summary: CoverageSummary;
	/**
	 * Minutes per cell (Infinity = beyond the cutoff), present only when the times changed since the last answer
	 * (a threshold change below the cutoff re-buckets the cached times and sends none).
	 */
	minutes: Float32Array | null;
	/** the travel-time cutoff the cached times were computed with (>= maxMinutes; engine MIN_CUTOFF_MINUTES at least) */
	cutoffMinutes: number;
	/** true when the cached times were reused */
	reused: boolean;
	facilityCount: number;
	diagnostics: SessionResult['diagnostics'];
	/** graph bytes downloaded for this request (0 when cached) */
	downloadBytes: number;
	timings: CoverageTimings;
}

/** Fetch the graphs a request needs (once per mode); returns the bytes downloaded. */
export async function ensureGraphs(deps: HandlerDeps, s: WorkerSession, modes: Mode[], method: MethodChoice, ctx: HandlerContext): Promise<number> {
	if (method === 'radius') return 0;
	let bytes = 0;
	for (const mode of modes) {
		const file = s.region.files.graphs[mode];
		if (!file || s.graphs[mode]) continue;
		const buf = await fetchBytes(deps, s.regionUrl + file, ctx);
		bytes += buf.byteLength;
		await ctx.checkpoint();
		ctx.progress({ stage: 'decode', done: 0, total: 1 });
		s.graphs[mode] = deserializeGraph(buf);
	}
	return bytes;
}

/** Checks a settings object from the page (the one place the worker validates it). */
export function checkSettings(req: CoverageSettings): CoverageSettings {
	if (!MODES.includes(req.mode)) throw new KejimapError('BAD_ARGUMENT', `unknown mode "${req.mode}"`);
	if (!(req.maxMinutes > 0)) throw new KejimapError('BAD_ARGUMENT', `maxMinutes must be > 0 (got ${req.maxMinutes})`);
	return { ...req, areaModeRules: req.areaModeRules?.length ? req.areaModeRules : undefined };
}

export async function coverage(deps: HandlerDeps, slot: SessionSlot, req: CoverageSettings, ctx: HandlerContext): Promise<HandlerResult<CoverageResponse>> {
	const s = requireSession(slot);
	const t0 = performance.now();
	const settings = checkSettings(req);
	const downloadBytes = await ensureGraphs(deps, s, modesOf(settings), settings.method, ctx);
	const fetchMs = performance.now() - t0;
	await ctx.checkpoint();
	ctx.progress({ stage: 'labels', done: 0, total: 1 });
	const t1 = performance.now();
	const out = s.coverage.compute(settings);
	const computeMs = performance.now() - t1;
	s.last = { settings, result: out.result };
	// Same times as the page holds: the same result object, or a recombination of reused runs with the same key.
	const key = timesKey(settings);
	const unchanged = out.result === s.sentResult || (out.reused && key === s.sentKey);
	let minutes: Float32Array | null = null;
	if (!unchanged) {
		minutes = out.result.minutes.slice();
		s.sentResult = out.result;
		s.sentKey = key;
	}
	const payload: CoverageResponse = {
		summary: out.summary,
		minutes,
		cutoffMinutes: Math.max(MIN_CUTOFF_MINUTES, settings.maxMinutes),
		reused: out.reused,
		facilityCount: out.activeFacilities,
		diagnostics: out.diagnostics,
		downloadBytes,
		timings: { fetchMs, computeMs, totalMs: performance.now() - t0 }
	};
	return { payload, transfer: minutes ? [minutes.buffer] : [] };
}
