/**
 * The app state: one module per concern (view settings, region, coverage, selection; planning, scenarios and import
 * get their own beside them), composed here and handed to components as a Svelte context (context.ts). This file
 * only orchestrates what spans modules: start-up from the link, loading a region, cancelling, and error messages.
 */
import { errorMessage } from '../engine/errors';
import type { Translate } from '../i18n';
import { EngineClient, isCancelled } from '../workers/engine-client';
import type { ProgressEvent } from '../workers/protocol';
import type { RegionIndex } from '../workers/handlers/region';
import { chooseBasemap, type BasemapConfig } from './basemap';
import { CoverageStore } from './coverage.svelte';
import { ImportStore } from './import.svelte';
import { RegionStore } from './region.svelte';
import { SCENARIO_PARAM, ScenarioStore } from './scenario.svelte';
import { withoutParam } from './scenario-model';
import { SelectionStore } from './selection.svelte';
// planning (kj-ui)
import { PlanStore } from './plan.svelte';
import { decodePlanState, decodeViewStateChecked, encodePlanState, encodeViewState, type PartialViewState } from './url-state';
import { ViewStore } from './view.svelte';

export type { BasemapConfig } from './basemap';
export type { Focus, Selection } from './selection.svelte';

/** Which request the progress bar shows. */
export type ProgressKind = 'load' | 'coverage' | 'detail';

export class AppState {
	readonly view = new ViewStore();
	readonly region = new RegionStore();
	readonly coverage: CoverageStore;
	readonly selection: SelectionStore;
	readonly scenario: ScenarioStore;
	// planning (kj-ui)
	readonly plan: PlanStore;
	/** bring your own data (the import panel) */
	readonly imports: ImportStore;

	basemap = $state.raw<BasemapConfig | null>(null);
	progress = $state.raw<{ kind: ProgressKind; p: ProgressEvent } | null>(null);
	error = $state<string | null>(null);
	notice = $state<string | null>(null);

	readonly client: EngineClient;
	private readonly dataUrl: string;
	private loadHandle: { cancel(): void } | null = null;
	/** which fields came from the link on first load (the rest take the region policy) */
	private fromLink: PartialViewState = {};
	/** the link's query (its scenario is opened with the first region) */
	private linkSearch: URLSearchParams | null = null;

	constructor(client: EngineClient, dataUrl: string) {
		this.client = client;
		this.dataUrl = dataUrl;
		this.coverage = new CoverageStore(this);
		this.selection = new SelectionStore(this);
		this.scenario = new ScenarioStore(this);
		this.plan = new PlanStore(this);
		this.imports = new ImportStore(this);
	}

	get t(): Translate {
		return this.view.t;
	}

	/** Query string for the current state (unrelated params such as basemap are kept). */
	urlSearch(current: URLSearchParams): string {
		// a link's scenario is saved once opened: reloading must not open it again
		return '?' + encodePlanState(this.plan.urlState, encodeViewState(this.view.snapshot(this.region.id), withoutParam(current, SCENARIO_PARAM))).toString();
	}

	/** Show an engine or load failure (a cancelled request is not one). */
	reportError(key: 'error.engine' | 'error.load', e: unknown): void {
		if (!isCancelled(e)) this.error = this.t(key, { message: errorMessage(e) });
	}

	addNotice(msg: string): void {
		this.notice = this.notice ? `${this.notice} ${msg}` : msg;
	}

	async init(search: URLSearchParams, fetchJson: (url: string) => Promise<unknown>): Promise<void> {
		const link = decodeViewStateChecked(search);
		this.fromLink = link.state;
		this.linkSearch = search;
		// a bad value keeps the default for that value only, and the page says which (the URL is then rewritten with the default)
		for (const i of link.issues) this.addNotice(this.t('link.invalid', { param: i.param, value: i.value.slice(0, 60) }));
		if (this.fromLink.lang) this.view.lang = this.fromLink.lang;
		if (this.fromLink.view) this.view.kind = this.fromLink.view;
		this.plan.applyLink(decodePlanState(search));
		// config.json is optional; both small files are fetched together
		const [config, indexRaw] = await Promise.all([
			fetchJson(this.dataUrl.replace(/data\/$/, 'config.json')).catch(() => null),
			fetchJson(this.dataUrl + 'index.json').catch(() => null)
		]);
		const bm = chooseBasemap(search.get('basemap'), config, globalThis.location?.host ?? '');
		this.basemap = bm.basemap;
		if (bm.refusedHost !== null) this.addNotice(this.t('basemap.notAllowed', { host: bm.refusedHost }));
		const index = indexRaw as RegionIndex | null;
		if (!index || !Array.isArray(index.regions) || index.regions.length === 0) {
			this.error = this.t('error.noData');
			return;
		}
		this.region.index = index;
		performance.mark('kejimap:index');
		const fallback = index.regions.find((r) => r.default) ?? index.regions[0];
		let id = fallback.id;
		if (this.fromLink.region) {
			if (index.regions.some((r) => r.id === this.fromLink.region)) id = this.fromLink.region;
			else this.addNotice(this.t('region.unknown', { id: this.fromLink.region }));
		}
		await this.loadRegion(id, true);
	}

	/** Load a region; `useLink` keeps the link's settings, otherwise the region's policy defaults apply. */
	async loadRegion(id: string, useLink = false): Promise<void> {
		this.loadHandle?.cancel();
		this.client.cancelAll();
		const region = this.region;
		region.loading = true;
		this.error = null;
		this.selection.clear();
		this.coverage.reset();
		this.plan.reset();
		region.payload = null;
		this.view.areaModes = {}; // area ids belong to one region
		region.id = id;
		const h = this.client.request('loadRegion', { dataUrl: this.dataUrl, regionId: id }, { onProgress: (p) => (this.progress = { kind: 'load', p }) });
		this.loadHandle = h;
		try {
			const payload = await h.promise;
			performance.mark('kejimap:region-loaded');
			const unknown = this.view.applyPolicy(payload, useLink ? this.fromLink : {});
			if (unknown.length) this.addNotice(this.t('rules.unknown', { n: unknown.length, ids: unknown.slice(0, 5).join(', ') }));
			region.payload = payload;
			// ask for coverage now, before the page re-renders (the page's identical request is deduplicated)
			void this.coverage.run();
			// the region's saved scenarios (and a link's scenario, on the first load)
			const search = useLink ? this.linkSearch : null;
			this.linkSearch = null;
			void this.scenario.loadForRegion(id, search);
			this.selection.focusOn(payload.bbox);
		} catch (e) {
			this.reportError('error.load', e);
		} finally {
			if (this.loadHandle === h) {
				region.loading = false;
				this.progress = null;
				this.loadHandle = null;
			}
		}
	}

	resetToPolicy(): void {
		if (this.region.payload) this.view.applyPolicy(this.region.payload);
	}

	cancelComputation(): void {
		this.client.cancelAll();
		this.coverage.invalidate();
		this.region.loading = false;
		this.progress = null;
	}
}
