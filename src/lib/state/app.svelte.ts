/**
 * App state (runes). Holds the URL-backed view state, the loaded region, the latest coverage answer and the
 * selection; talks to the engine worker through EngineClient (latest request wins, stale answers dropped).
 */
import { translator, type Translate } from '../i18n';
import type { AreaModeRule } from '../engine/region';
import type { CoverageSummary, FacilityLevel, MethodChoice, Mode } from '../engine/types';
import { EngineClient, isCancelled } from '../workers/engine-client';
import type {
	CellDetailResponse,
	CoverageResponse,
	FacilityDetailResponse,
	ProgressEvent,
	RegionIndex,
	RegionIndexEntry,
	RegionPayload
} from '../workers/protocol';
import {
	decodeViewState,
	encodeViewState,
	toAreaModeRules,
	toAreaModes,
	type AreaModes,
	type Lang,
	type PartialViewState,
	type ViewKind,
	type ViewState
} from './url-state';

export interface BasemapConfig {
	/** raster XYZ template(s), e.g. http://tiles.intranet/{z}/{x}/{y}.png */
	tiles?: string[];
	/** a MapLibre style URL */
	style?: string;
	attribution?: string;
}

export type Selection =
	| { kind: 'facility'; index: number; detail: FacilityDetailResponse | null }
	| { kind: 'cell'; lngLat: [number, number]; detail: CellDetailResponse | null }
	| null;

export interface Focus {
	bbox: [number, number, number, number];
	seq: number;
	padding?: { top: number; bottom: number; left: number; right: number };
}

/** Reads ?basemap= (a URL: XYZ template when it has {z}, else a style URL) or static/config.json { basemap }. */
export function parseBasemap(param: string | null, config: unknown): BasemapConfig | null {
	const fromValue = (v: unknown): BasemapConfig | null => {
		if (typeof v === 'string' && v) return v.includes('{z}') ? { tiles: [v] } : { style: v };
		if (typeof v === 'object' && v !== null) {
			const o = v as Record<string, unknown>;
			const tiles = Array.isArray(o.tiles) ? o.tiles.filter((t): t is string => typeof t === 'string') : typeof o.tiles === 'string' ? [o.tiles] : [];
			const style = typeof o.style === 'string' ? o.style : undefined;
			const attribution = typeof o.attribution === 'string' ? o.attribution : undefined;
			if (tiles.length || style) return { tiles: tiles.length ? tiles : undefined, style, attribution };
		}
		return null;
	};
	if (param) return fromValue(param);
	if (typeof config === 'object' && config !== null) return fromValue((config as Record<string, unknown>).basemap);
	return null;
}

export class AppState {
	// URL-backed view state
	lang = $state<Lang>('zh-CN');
	region = $state('');
	mode = $state<Mode>('walk');
	maxMinutes = $state(15);
	levels = $state<FacilityLevel[]>([]);
	targetShare = $state(0.9);
	view = $state<ViewKind>('time');
	/** the chosen travel-time method; a region without any network can only use 'radius' */
	method = $state<MethodChoice>('auto');
	/** per-area modes (area id -> mode), replaced whole on every change */
	areaModes = $state.raw<AreaModes>({});

	// loaded data
	index = $state.raw<RegionIndex | null>(null);
	payload = $state.raw<RegionPayload | null>(null);
	coverage = $state.raw<CoverageResponse | null>(null);
	/** minutes per cell as held by the map; replaced (not mutated) when the worker sends new times */
	minutes = $state.raw<Float32Array | null>(null);
	basemap = $state.raw<BasemapConfig | null>(null);

	// ui
	progress = $state.raw<{ kind: 'load' | 'coverage' | 'detail'; p: ProgressEvent } | null>(null);
	loading = $state(false);
	computing = $state(false);
	error = $state<string | null>(null);
	notice = $state<string | null>(null);
	selection = $state.raw<Selection>(null);
	focus = $state.raw<Focus | null>(null);
	/** page-side time of the last coverage round trip (ms) */
	lastRoundTripMs = $state<number | null>(null);

	readonly t: Translate = $derived(translator(this.lang));
	readonly summary: CoverageSummary | null = $derived(this.coverage?.summary ?? null);
	readonly regionEntry: RegionIndexEntry | null = $derived(this.index?.regions.find((r) => r.id === this.region) ?? null);

	private client: EngineClient;
	private dataUrl: string;
	private loadHandle: { cancel(): void } | null = null;
	private focusSeq = 0;
	/** which fields came from the link on first load (the rest take the region policy) */
	private fromLink: PartialViewState = {};
	private coverageSeq = 0;
	private coverageKey: string | null = null;

	constructor(client: EngineClient, dataUrl: string) {
		this.client = client;
		this.dataUrl = dataUrl;
	}

	get viewState(): ViewState {
		return {
			region: this.region,
			mode: this.mode,
			maxMinutes: this.maxMinutes,
			levels: this.levels,
			targetShare: this.targetShare,
			view: this.view,
			lang: this.lang,
			method: this.method,
			areaModes: this.areaModes
		};
	}

	/** Query string for the current view (unrelated params such as basemap are kept). */
	urlSearch(current: URLSearchParams): string {
		return '?' + encodeViewState(this.viewState, current).toString();
	}

	get policyRules(): AreaModeRule[] {
		return this.payload?.policy.areaModeRules ?? [];
	}

	/** true when the region has a road graph for this mode (else only the radius method applies) */
	hasNetworkFor(mode: Mode): boolean {
		return !!this.payload?.networkModes.includes(mode);
	}

	/** the method the current mode actually uses */
	get effectiveMethod(): MethodChoice {
		return this.hasNetworkFor(this.mode) ? this.method : 'radius';
	}

	/** number of areas with their own mode */
	get areaModeCount(): number {
		return Object.keys(this.areaModes).length;
	}

	/** Give an area its own mode, or (null) let it follow the global mode. */
	setAreaMode(areaId: string, mode: Mode | null): void {
		if ((this.areaModes[areaId] ?? null) === mode) return;
		const next = { ...this.areaModes };
		if (mode) next[areaId] = mode;
		else delete next[areaId];
		this.areaModes = next;
	}

	clearAreaModes(): void {
		if (this.areaModeCount > 0) this.areaModes = {};
	}

	/** Keep only the ids of this region's areas; names the ignored ones (a link may come from another build). */
	private knownAreaModes(modes: AreaModes, payload: RegionPayload): { modes: AreaModes; unknown: string[] } {
		const ids = payload.areas.map((a) => a.id);
		const out: AreaModes = {};
		const unknown: string[] = [];
		for (const [id, m] of Object.entries(modes)) {
			if (ids.includes(id)) out[id] = m;
			else unknown.push(id);
		}
		return { modes: out, unknown };
	}

	async init(search: URLSearchParams, fetchJson: (url: string) => Promise<unknown>): Promise<void> {
		this.fromLink = decodeViewState(search);
		if (this.fromLink.lang) this.lang = this.fromLink.lang;
		if (this.fromLink.view) this.view = this.fromLink.view;
		// config.json is optional; both small files are fetched together
		const [config, indexRaw] = await Promise.all([
			fetchJson(this.dataUrl.replace(/data\/$/, 'config.json')).catch(() => null),
			fetchJson(this.dataUrl + 'index.json').catch(() => null)
		]);
		this.basemap = parseBasemap(search.get('basemap'), config);
		const index = indexRaw as RegionIndex | null;
		if (!index || !Array.isArray(index.regions) || index.regions.length === 0) {
			this.error = this.t('error.noData');
			return;
		}
		this.index = index;
		performance.mark('kejimap:index');
		const fallback = index.regions.find((r) => r.default) ?? index.regions[0];
		let id = fallback.id;
		if (this.fromLink.region) {
			if (index.regions.some((r) => r.id === this.fromLink.region)) id = this.fromLink.region;
			else this.notice = this.t('region.unknown', { id: this.fromLink.region });
		}
		await this.loadRegion(id, true);
	}

	/** Load a region; `useLink` keeps the link's settings, otherwise the region's policy defaults apply. */
	async loadRegion(id: string, useLink = false): Promise<void> {
		this.loadHandle?.cancel();
		this.client.cancelAll();
		this.loading = true;
		this.error = null;
		this.selection = null;
		this.coverage = null;
		this.minutes = null;
		this.payload = null;
		this.coverageKey = null;
		this.areaModes = {}; // area ids belong to one region
		this.region = id;
		const h = this.client.request('loadRegion', { dataUrl: this.dataUrl, regionId: id }, { onProgress: (p) => (this.progress = { kind: 'load', p }) });
		this.loadHandle = h;
		try {
			const payload = await h.promise;
			performance.mark('kejimap:region-loaded');
			const pol = payload.policy;
			const link = useLink ? this.fromLink : {};
			this.mode = link.mode ?? pol.mode;
			this.maxMinutes = link.maxMinutes ?? pol.maxMinutes;
			this.levels = link.levels ?? [...pol.levels];
			this.targetShare = link.targetShare ?? pol.targetShare;
			// no network at all: the radius method is the only one (the link's choice cannot apply)
			this.method = payload.networkModes.length ? (link.method ?? 'auto') : 'radius';
			const known = this.knownAreaModes(link.areaModes ?? toAreaModes(pol.areaModeRules), payload);
			this.areaModes = known.modes;
			if (known.unknown.length) {
				const msg = this.t('rules.unknown', { n: known.unknown.length, ids: known.unknown.slice(0, 5).join(', ') });
				this.notice = this.notice ? `${this.notice} ${msg}` : msg;
			}
			this.payload = payload;
			// ask for coverage now, before the page re-renders (the settings effect's identical request is deduplicated)
			void this.runCoverage();
			this.focus = { bbox: payload.bbox, seq: ++this.focusSeq };
		} catch (e) {
			if (!isCancelled(e)) this.error = this.t('error.load', { message: e instanceof Error ? e.message : String(e) });
		} finally {
			if (this.loadHandle === h) {
				this.loading = false;
				this.progress = null;
				this.loadHandle = null;
			}
		}
	}

	resetToPolicy(): void {
		const payload = this.payload;
		if (!payload) return;
		const pol = payload.policy;
		this.mode = pol.mode;
		this.maxMinutes = pol.maxMinutes;
		this.levels = [...pol.levels];
		this.targetShare = pol.targetShare;
		this.method = payload.networkModes.length ? 'auto' : 'radius';
		this.areaModes = this.knownAreaModes(toAreaModes(pol.areaModeRules), payload).modes;
	}

	/** Runs coverage for the current settings; a newer call supersedes an older one. */
	async runCoverage(): Promise<void> {
		if (!this.payload) return;
		const list = toAreaModeRules(this.areaModes);
		const rules = list.length ? list : undefined;
		const request = {
			mode: this.mode,
			maxMinutes: this.maxMinutes,
			levels: $state.snapshot(this.levels),
			targetShare: this.targetShare,
			method: this.method,
			areaModeRules: rules
		};
		// the same settings as the request in flight or answered: nothing to do
		const key = JSON.stringify(request);
		if (key === this.coverageKey) return;
		this.coverageKey = key;
		const seq = ++this.coverageSeq;
		const t0 = performance.now();
		performance.mark('kejimap:coverage-sent');
		this.computing = true;
		const h = this.client.request(
			'coverage',
			request,
			{ channel: 'coverage', onProgress: (p) => (this.progress = { kind: 'coverage', p }) }
		);
		try {
			const res = await h.promise;
			if (seq !== this.coverageSeq) return;
			this.coverage = res;
			performance.mark('kejimap:coverage', { detail: { ...res.timings, reused: res.reused } });
			if (res.minutes) this.minutes = res.minutes;
			this.lastRoundTripMs = performance.now() - t0;
			this.error = null;
			// the open detail refers to the old run: refresh it
			const sel = this.selection;
			if (sel?.kind === 'facility') void this.selectFacility(sel.index, false);
			else if (sel?.kind === 'cell') void this.selectCellAt(sel.lngLat);
		} catch (e) {
			if (seq === this.coverageSeq) {
				this.coverageKey = null; // allow a retry with the same settings
				if (!isCancelled(e)) this.error = this.t('error.engine', { message: e instanceof Error ? e.message : String(e) });
			}
		} finally {
			if (seq === this.coverageSeq) {
				this.computing = false;
				if (this.progress?.kind === 'coverage') this.progress = null;
			}
		}
	}

	cancelComputation(): void {
		this.client.cancelAll();
		this.coverageKey = null;
		this.computing = false;
		this.loading = false;
		this.progress = null;
	}

	async selectFacility(index: number, zoom = false): Promise<void> {
		const f = this.payload?.facilities[index];
		if (!f) return;
		this.selection = { kind: 'facility', index, detail: null };
		if (zoom) {
			const d = 0.015;
			this.focus = { bbox: [f.lon - d, f.lat - d, f.lon + d, f.lat + d], seq: ++this.focusSeq };
		}
		try {
			const detail = await this.client.request(
				'facilityDetail',
				{ facilityIndex: index, mode: this.mode, maxMinutes: this.maxMinutes, method: this.method },
				{ channel: 'detail', onProgress: (p) => (this.progress = { kind: 'detail', p }) }
			).promise;
			if (this.selection?.kind === 'facility' && this.selection.index === index) {
				this.selection = { kind: 'facility', index, detail };
				// show the whole isochrone (the popup sits above the facility, so leave room at the top)
				if (zoom) this.focus = { bbox: detail.bbox, seq: ++this.focusSeq, padding: { top: 230, bottom: 40, left: 40, right: 40 } };
			}
		} catch (e) {
			if (!isCancelled(e)) this.error = this.t('error.engine', { message: e instanceof Error ? e.message : String(e) });
		} finally {
			if (this.progress?.kind === 'detail') this.progress = null;
		}
	}

	/** Select the cell at a point (clears the selection when the point is in no cell of the region). */
	async selectCellAt(lngLat: [number, number]): Promise<void> {
		const prev = this.selection;
		this.selection = { kind: 'cell', lngLat, detail: prev?.kind === 'cell' ? prev.detail : null };
		try {
			const detail = await this.client.request('cellDetail', { lon: lngLat[0], lat: lngLat[1] }, { channel: 'detail' }).promise;
			const cur = this.selection;
			if (cur?.kind !== 'cell' || cur.lngLat !== lngLat) return;
			this.selection = detail ? { kind: 'cell', lngLat, detail } : null;
		} catch (e) {
			if (!isCancelled(e)) this.error = this.t('error.engine', { message: e instanceof Error ? e.message : String(e) });
		}
	}

	clearSelection(): void {
		this.selection = null;
	}

	zoomToArea(areaIndex: number): void {
		const a = this.payload?.areas[areaIndex];
		if (a?.bbox) this.focus = { bbox: a.bbox, seq: ++this.focusSeq };
	}

	setLevel(level: FacilityLevel, on: boolean): void {
		const has = this.levels.includes(level);
		if (on && !has) this.levels = [...this.levels, level];
		else if (!on && has) this.levels = this.levels.filter((l) => l !== level);
	}
}
