/**
 * Planning: the Plan panel's settings (URL-backed, url-state.ts) and the latest run in the worker (progress, cancel,
 * newest request wins). A run uses the current coverage settings; when they change, the shown result is marked stale.
 */
import type { PlanParams } from '../engine/allocation/types';
import { errorMessage } from '../engine/errors';
import { settingsKey } from '../engine/session';
import { isCancelled } from '../workers/engine-client';
import type { RequestHandle } from '../workers/engine-client';
import type { PlanRequest, PlanResponse } from '../workers/handlers/planning';
import type { ProgressEvent } from '../workers/protocol';
import type { AppState } from './app.svelte';
import { PLAN_URL_DEFAULTS, type PanelKind, type PlanObjectiveChoice, type PlanUrlState } from './url-state';
import type { PlanCandidates } from '../workers/handlers/planning';

/** What identifies a run: the coverage settings and every plan parameter. */
function requestKey(r: PlanRequest): string {
	return `${settingsKey(r.settings)}|${r.candidates}|${JSON.stringify(r.params)}`;
}

export class PlanStore {
	panel = $state<PanelKind>(PLAN_URL_DEFAULTS.panel);
	objective = $state<PlanObjectiveChoice>(PLAN_URL_DEFAULTS.objective);
	sites = $state(PLAN_URL_DEFAULTS.sites);
	candidates = $state<PlanCandidates>(PLAN_URL_DEFAULTS.candidates);
	maxLossPeople = $state(PLAN_URL_DEFAULTS.maxLossPeople);
	minServicePopulation = $state(PLAN_URL_DEFAULTS.minServicePopulation);

	response = $state.raw<PlanResponse | null>(null);
	running = $state(false);
	progress = $state.raw<ProgressEvent | null>(null);
	error = $state<string | null>(null);
	/** page-side time of the last run (ms) */
	lastRoundTripMs = $state<number | null>(null);

	/** The run the panel would start now (null before coverage can run). */
	readonly request: PlanRequest | null = $derived.by(() => {
		const settings = this.app.coverage.request;
		if (!settings) return null;
		const o = this.objective;
		const params: PlanParams =
			o === 'consolidate'
				? { objective: o, maxLossPeople: this.maxLossPeople, minServicePopulation: this.minServicePopulation }
				: o === 'target'
					? { objective: o, targetShare: settings.targetShare }
					: { objective: o, sites: this.sites };
		return { settings, params, candidates: o === 'consolidate' ? 'cells' : this.candidates };
	});

	/** requestKey of the shown response */
	private responseKey = $state<string | null>(null);

	/** the shown result was made for other settings than the current ones */
	readonly stale: boolean = $derived(!!this.response && !!this.request && this.responseKey !== requestKey(this.request));

	private readonly app: AppState;
	private handle: RequestHandle<PlanResponse> | null = null;

	constructor(app: AppState) {
		this.app = app;
	}

	get urlState(): PlanUrlState {
		return {
			panel: this.panel,
			objective: this.objective,
			sites: this.sites,
			candidates: this.candidates,
			maxLossPeople: this.maxLossPeople,
			minServicePopulation: this.minServicePopulation
		};
	}

	applyLink(s: PlanUrlState): void {
		this.panel = s.panel;
		this.objective = s.objective;
		this.sites = s.sites;
		this.candidates = s.candidates;
		this.maxLossPeople = s.maxLossPeople;
		this.minServicePopulation = s.minServicePopulation;
	}

	/** A new region: the result belonged to the old one. */
	reset(): void {
		this.cancel();
		this.response = null;
		this.responseKey = null;
		this.error = null;
	}

	cancel(): void {
		this.handle?.cancel();
		this.handle = null;
		this.running = false;
		this.progress = null;
	}

	/** Runs the current request; a newer run supersedes an older one (the worker drops it at its next checkpoint). */
	async run(): Promise<void> {
		const request = this.request;
		if (!request) return;
		const key = requestKey(request);
		const t0 = performance.now();
		this.running = true;
		this.error = null;
		this.progress = null;
		const h = this.app.client.request('plan', $state.snapshot(request) as PlanRequest, { channel: 'plan', onProgress: (p) => (this.progress = p) });
		this.handle = h;
		try {
			const res = await h.promise;
			if (this.handle !== h) return;
			this.response = res;
			this.responseKey = key;
			this.lastRoundTripMs = performance.now() - t0;
			performance.mark('kejimap:plan', { detail: { ...res.timings, reusedReach: res.reusedReach } });
		} catch (e) {
			if (this.handle === h) this.error = isCancelled(e) ? null : this.app.t('error.engine', { message: errorMessage(e) });
		} finally {
			if (this.handle === h) {
				this.handle = null;
				this.running = false;
				this.progress = null;
			}
		}
	}
}
