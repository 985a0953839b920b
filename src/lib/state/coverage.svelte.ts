/**
 * Coverage of the current settings: `request` is derived from the view and the region (the page runs it when it
 * changes), the answer and the per-cell minutes come from the worker (latest request wins, stale answers dropped).
 */
import { effectiveMethod } from '../engine/coverage/coverage';
import { settingsKey, type CoverageSettings } from '../engine/session';
import type { CoverageSummary, MethodChoice } from '../engine/types';
import type { CoverageResponse } from '../workers/handlers/coverage';
import type { AppState } from './app.svelte';
import { toAreaModeRules } from './url-state';

export class CoverageStore {
	response = $state.raw<CoverageResponse | null>(null);
	/** minutes per cell as held by the map; replaced (not mutated) when the worker sends new times */
	minutes = $state.raw<Float32Array | null>(null);
	computing = $state(false);
	/** page-side time of the last coverage round trip (ms) */
	lastRoundTripMs = $state<number | null>(null);

	readonly summary: CoverageSummary | null = $derived(this.response?.summary ?? null);

	/** The settings coverage must answer (null before a region is loaded): every setting that changes the answer. */
	readonly request: CoverageSettings | null = $derived.by(() => {
		if (!this.app.region.payload) return null;
		const v = this.app.view;
		const rules = toAreaModeRules(v.areaModes);
		return {
			mode: v.mode,
			maxMinutes: v.maxMinutes,
			levels: v.levels,
			targetShare: v.targetShare,
			method: v.method,
			areaModeRules: rules.length ? rules : undefined
		};
	});

	private readonly app: AppState;
	private seq = 0;
	/** settingsKey of the request in flight or answered (an equal request is not sent again) */
	private key: string | null = null;

	constructor(app: AppState) {
		this.app = app;
	}

	/** the method the current mode actually uses */
	get effectiveMethod(): MethodChoice {
		return effectiveMethod(this.app.view.method, this.app.region.hasNetworkFor(this.app.view.mode));
	}

	/** Forget the answer (a new region). */
	reset(): void {
		this.response = null;
		this.minutes = null;
		this.key = null;
	}

	/** The next run() sends its request even when equal to the last one (after a cancel or a failure). */
	invalidate(): void {
		this.key = null;
		this.computing = false;
	}

	/** Runs coverage for the current request; a newer call supersedes an older one. */
	async run(): Promise<void> {
		const request = this.request;
		if (!request) return;
		const key = settingsKey(request);
		if (key === this.key) return;
		this.key = key;
		const app = this.app;
		const seq = ++this.seq;
		const t0 = performance.now();
		performance.mark('kejimap:coverage-sent');
		this.computing = true;
		const h = app.client.request('coverage', request, { channel: 'coverage', onProgress: (p) => (app.progress = { kind: 'coverage', p }) });
		try {
			const res = await h.promise;
			if (seq !== this.seq) return;
			this.response = res;
			performance.mark('kejimap:coverage', { detail: { ...res.timings, reused: res.reused } });
			if (res.minutes) this.minutes = res.minutes;
			this.lastRoundTripMs = performance.now() - t0;
			app.error = null;
			// the open detail refers to the old run
			app.selection.refresh();
		} catch (e) {
			if (seq === this.seq) {
				this.key = null; // allow a retry with the same settings
				app.reportError('error.engine', e);
			}
		} finally {
			if (seq === this.seq) {
				this.computing = false;
				if (app.progress?.kind === 'coverage') app.progress = null;
			}
		}
	}
}
