/**
 * Scenarios in the page: the list kept in IndexedDB for the region, the open scenario and its undo/redo history
 * (engine/scenario/history.ts, pure data), autosave, files, share links and comparison. The worker holds the live
 * scenario (handlers/scenario.ts): an edit goes there and comes back with its inverse, the new table and only the
 * cells that changed. While a scenario is open, its figures are the coverage the table and the map show.
 *
 * Nothing the planner made is lost when a step fails: the history only changes once the worker has applied an
 * edit, saving retries until it succeeds (and says when it has not), and edits run one after another.
 */
import { tick } from 'svelte';
import { errorMessage } from '../engine/errors';
import {
	checkScenarioRegion,
	createScenarioDocument,
	decodeScenarioLink,
	encodeScenarioLink,
	MAX_LINK_CHARS,
	readScenario,
	SCENARIO_LINK_PARAM,
	writeScenarioFile,
	type ScenarioDocument,
	type ScenarioRegionRef
} from '../engine/scenario/codec';
import { applyEdit, createFacilitySet, roundCoord, type Edit, type ScenarioFacility } from '../engine/scenario/edits';
import { defaultNewLevel, planEdit, planResultProposal } from '../engine/scenario/plan-edit';
import { canRedo, canUndo, commit, editsOf, EMPTY_HISTORY, redo, replay, undo, type History } from '../engine/scenario/history';
import type { CoverageSettings } from '../engine/session';
import type { FacilityLevel } from '../engine/types';
import { createAutosaver, createScenarioStore, indexedDbStore, newScenarioId, type Autosaver, type ScenarioStore as Persisted, type StoredScenario } from '../data/persist/scenarios';
import type { ScenarioCompareResponse, ScenarioTable } from '../workers/handlers/scenario';
import type { AppState } from './app.svelte';
import { freshFacilityId, idSet, newStoredScenario, nowIso, updateFacilities, withParam } from './scenario-model';
import { toAreaModes } from './url-state';

export type ScenarioTool = 'browse' | 'add' | 'move';

/** The share link's query parameter (the link format's own). */
export const SCENARIO_PARAM = SCENARIO_LINK_PARAM;

export class ScenarioStore {
	/** the region's saved scenarios, most recent first */
	list = $state.raw<StoredScenario[]>([]);
	/** the open scenario (null = the region's facilities as they are) */
	current = $state.raw<StoredScenario | null>(null);
	history = $state.raw<History>(EMPTY_HISTORY);
	/** every facility with its scenario state (index order), while a scenario is open */
	facilities = $state.raw<ScenarioFacility[] | null>(null);
	tool = $state<ScenarioTool>('browse');
	newLevel = $state<FacilityLevel>('chs');
	selectedId = $state<string | null>(null);
	busy = $state(false);
	save = $state<{ pending: number; error: string | null }>({ pending: 0, error: null });
	/** page time from an edit (click, drop, button, key) to the table showing its figures, ms */
	lastEditMs = $state<number | null>(null);
	message = $state<string | null>(null);
	/** the share link of the open scenario, once made */
	link = $state<string | null>(null);
	/** cells changed by the last edit (the map repaints only these); seq bumps on every patch */
	patch = $state.raw<{ cells: Int32Array; seq: number } | null>(null);
	comparison = $state.raw<(ScenarioCompareResponse & { beforeName: string; afterName: string; beforeEdits: Edit[]; afterEdits: Edit[] }) | null>(null);

	readonly canUndo = $derived(canUndo(this.history));
	readonly canRedo = $derived(canRedo(this.history));
	readonly edits: Edit[] = $derived(editsOf(this.history));

	private readonly app: AppState;
	private store: Persisted | null = null;
	private saver: Autosaver | null = null;
	private queue: Promise<unknown> = Promise.resolve();
	private regionRef: ScenarioRegionRef | null = null;
	/** settings the worker's live scenario was opened with */
	private openedWith: CoverageSettings | null = null;
	private patchSeq = 0;

	constructor(app: AppState) {
		this.app = app;
	}

	get active(): boolean {
		return this.current !== null;
	}

	private get t() {
		return this.app.t;
	}

	/** The persisted store (IndexedDB); created on first use so Node tests and old browsers without it still run. */
	private persisted(): Persisted | null {
		if (this.store) return this.store;
		if (typeof indexedDB === 'undefined') return null;
		this.store = createScenarioStore(indexedDbStore());
		this.saver = createAutosaver(this.store, (s) => (this.save = s));
		return this.store;
	}

	/** A new region: forget the open scenario and read that region's list (then a link's scenario, if any). */
	async loadForRegion(regionId: string, search: URLSearchParams | null): Promise<void> {
		this.current = null;
		this.history = EMPTY_HISTORY;
		this.facilities = null;
		this.comparison = null;
		this.regionRef = null;
		this.openedWith = null;
		this.link = null;
		this.selectedId = null;
		const store = this.persisted();
		if (store) {
			const { scenarios, problems } = await store.list(regionId).catch((e) => ({ scenarios: [], problems: [{ key: '', message: errorMessage(e) }] }));
			this.list = scenarios;
			if (problems.length) this.message = this.t('scenario.storedProblems', { n: problems.length });
		}
		this.newLevel = defaultNewLevel(this.app.view.levels);
		const sc = search?.get(SCENARIO_PARAM);
		if (sc) {
			try {
				await this.adopt(decodeScenarioLink(sc), 'link');
			} catch (e) {
				this.message = this.t('scenario.error', { message: errorMessage(e) });
			}
			return;
		}
		const currentId = store ? await store.getCurrent(regionId).catch(() => null) : null;
		const stored = currentId ? this.list.find((s) => s.id === currentId) : null;
		if (stored) await this.open(stored.id);
	}

	// ---- the list ----

	/** Opens a saved scenario (null: the region's facilities). Its settings become the view's. */
	async open(id: string | null): Promise<void> {
		return this.serial(async () => {
			this.comparison = null;
			this.link = null;
			this.selectedId = null;
			const payload = this.app.region.payload;
			if (!id || !payload) {
				this.current = null;
				this.history = EMPTY_HISTORY;
				this.facilities = null;
				this.openedWith = null;
				void this.persisted()?.setCurrent(this.app.region.id, null);
				this.app.coverage.invalidate();
				await this.app.coverage.run();
				return;
			}
			const s = this.list.find((x) => x.id === id);
			if (!s) return;
			// the inverses come from the same pure edits the worker runs (undo works right after a reload)
			const set = createFacilitySet(payload.facilities);
			const history: History = { ...replay(s.doc.edits, (e) => applyEdit(set, e)), undone: s.undone };
			this.applySettings(s.doc.settings);
			await this.openInWorker(s.doc.edits);
			this.current = s;
			this.history = history;
			void this.persisted()?.setCurrent(s.regionId, s.id);
		});
	}

	/** A new empty scenario (and open it). */
	async create(name?: string): Promise<StoredScenario | null> {
		const payload = this.app.region.payload;
		if (!payload) return null;
		const ref = await this.ensureRegionRef();
		const s = newStoredScenario(payload.regionId, name ?? this.t('scenario.defaultName', { n: this.list.length + 1 }), ref, this.settings());
		this.list = [s, ...this.list];
		this.persist(s);
		await this.open(s.id);
		return s;
	}

	rename(name: string): void {
		const s = this.current;
		if (!s || !name.trim()) return;
		this.replaceCurrent({ ...s, doc: { ...s.doc, name: name.trim() } });
	}

	async duplicate(): Promise<void> {
		const s = this.current;
		if (!s) return;
		const copy: StoredScenario = { ...s, id: newScenarioId(), doc: { ...s.doc, name: this.t('scenario.copyName', { name: s.doc.name }) }, updatedAt: nowIso() };
		this.list = [copy, ...this.list];
		this.persist(copy);
		await this.open(copy.id);
	}

	async remove(): Promise<void> {
		const s = this.current;
		if (!s) return;
		this.list = this.list.filter((x) => x.id !== s.id);
		await this.saver?.flush().catch(() => {});
		await this.persisted()
			?.remove(s.regionId, s.id)
			.catch((e) => (this.message = this.t('scenario.error', { message: errorMessage(e) })));
		await this.open(null);
	}

	// ---- edits ----

	/** Applies an edit (opening a new scenario first when none is open); undoable. */
	edit(e: Edit): Promise<void> {
		const t0 = performance.now();
		return this.serial(async () => {
			if (!this.current) await this.createUnserialized();
			const res = await this.sendEdit(e, t0);
			if (!res) return;
			this.history = commit(this.history, e, () => res);
			this.afterChange();
		});
	}

	undo(): Promise<void> {
		const t0 = performance.now();
		return this.serial(async () => {
			const step = this.history.done.at(-1);
			if (!step) return;
			if (!(await this.sendEdit(step.inverse, t0))) return;
			this.history = undo(this.history, () => step.edit);
			this.afterChange();
		});
	}

	redo(): Promise<void> {
		const t0 = performance.now();
		return this.serial(async () => {
			const step = this.history.undone.at(-1);
			if (!step) return;
			const inverse = await this.sendEdit(step.edit, t0);
			if (!inverse) return;
			this.history = redo(this.history, () => inverse);
			this.afterChange();
		});
	}

	/** A new facility at [lon, lat] (a map click, or a suggested site). */
	addAt(lon: number, lat: number, name?: string): Promise<void> {
		const facilityId = freshFacilityId(this.facilities ?? [], this.app.region.payload?.facilities ?? []);
		const n = (this.facilities?.filter((f) => f.added).length ?? 0) + 1;
		return this.edit({ op: 'add', facilityId, name: name ?? this.t('scenario.addedName', { n }), level: this.newLevel, lon: roundCoord(lon), lat: roundCoord(lat) });
	}

	/** The shown plan's result (its sites, or its closures) as one undoable step. */
	async applyPlan(): Promise<void> {
		const res = this.app.plan.response;
		const payload = this.app.region.payload;
		if (!res || !payload) return;
		const set = createFacilitySet(payload.facilities);
		for (const e of this.edits) applyEdit(set, e); // ids the scenario already uses stay taken
		const closures = (res.consolidation?.closures ?? []).map((c) => ({ facilityId: c.id, intoId: c.takeover?.id ?? null }));
		const label = `${res.result.params.objective}: ${res.result.sites.length || closures.length}`;
		const proposal = { ...planResultProposal(label, res.result, payload.facilities), closures };
		await this.edit(planEdit(set, proposal, defaultNewLevel(this.app.view.levels), (i) => this.t('scenario.addedName', { n: i + 1 })));
		if (this.history.done.at(-1)?.edit.op === 'batch') this.message = this.t('scenario.planApplied');
	}

	moveTo(facilityId: string, lon: number, lat: number): Promise<void> {
		return this.edit({ op: 'move', facilityId, lon: roundCoord(lon), lat: roundCoord(lat) });
	}

	/** The facility a scenario knows by id (or the region's, before any scenario is open). */
	facility(id: string | null): ScenarioFacility | null {
		if (!id) return null;
		const f = this.facilities?.find((x) => x.id === id);
		if (f) return f;
		const base = this.app.region.payload?.facilities.find((x) => x.id === id);
		return base ? { id: base.id, name: base.name, level: base.level, lon: base.lon, lat: base.lat, open: true, added: false, mergedInto: null } : null;
	}

	// ---- settings ----

	/** Coverage settings changed while a scenario is open: re-count or reopen it in the worker. */
	async recompute(request: CoverageSettings): Promise<void> {
		return this.serial(async () => {
			if (!this.current) return;
			const prev = this.openedWith;
			const recount = !!prev && prev.mode === request.mode && prev.method === request.method && prev.levels.join() === request.levels.join() && JSON.stringify(prev.areaModeRules ?? []) === JSON.stringify(request.areaModeRules ?? []);
			await this.openInWorker(this.edits, recount);
			const s = this.current;
			this.replaceCurrent({ ...s, doc: { ...s.doc, settings: this.settings() } });
		});
	}

	// ---- files and links ----

	/** The scenario as a file (name, text). */
	exportFile(): { name: string; text: string } | null {
		const s = this.current;
		if (!s) return null;
		const safe = s.doc.name.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 80) || 'scenario';
		return { name: `${safe}.kejimap.json`, text: writeScenarioFile(this.documentOf(s)) };
	}

	/** Opens a scenario file (as a new saved scenario); says what is wrong with a bad one. */
	async importFile(fileName: string, text: string): Promise<void> {
		try {
			await this.adopt(readScenario(text, fileName), 'file');
		} catch (e) {
			this.message = this.t('scenario.error', { message: errorMessage(e) });
		}
	}

	/** The share link (path and query) of the open scenario, or null with a message when it is too long for a URL. */
	makeLink(pathAndQuery: string): string | null {
		const s = this.current;
		if (!s) return null;
		const value = encodeScenarioLink(this.documentOf(s));
		if (value.length > MAX_LINK_CHARS) {
			this.link = null;
			this.message = this.t('scenario.linkTooLong', { n: value.length });
			return null;
		}
		this.link = withParam(pathAndQuery, SCENARIO_PARAM, value);
		return this.link;
	}

	// ---- compare ----

	/** Compares two saved scenarios (null = the region's facilities) under the current settings. */
	async compare(beforeId: string | null, afterId: string | null): Promise<void> {
		const request = this.app.coverage.request;
		if (!request) return;
		const pick = (id: string | null) => {
			const s = id ? (id === this.current?.id ? this.current : this.list.find((x) => x.id === id)) : null;
			return { name: s ? s.doc.name : this.t('scenario.none'), edits: s ? (s.id === this.current?.id ? this.edits : s.doc.edits) : [] };
		};
		const b = pick(beforeId),
			a = pick(afterId);
		try {
			const res = await this.app.client.request('scenarioCompare', { settings: $state.snapshot(request) as CoverageSettings, before: b.edits, after: a.edits }).promise;
			this.comparison = { ...res, beforeName: b.name, afterName: a.name, beforeEdits: b.edits, afterEdits: a.edits };
		} catch (e) {
			this.message = this.t('scenario.error', { message: errorMessage(e) });
		}
	}

	closeComparison(): void {
		this.comparison = null;
	}

	/** Writes pending changes now (before leaving the page). */
	flush(): Promise<void> {
		return this.saver?.flush() ?? Promise.resolve();
	}

	// ---- internals ----

	private serial<T>(fn: () => Promise<T>): Promise<T> {
		const run = this.queue.then(fn, fn);
		this.queue = run.catch(() => {});
		return run;
	}

	private settings(): CoverageSettings {
		return $state.snapshot(this.app.coverage.request!) as CoverageSettings;
	}

	private applySettings(s: CoverageSettings): void {
		const v = this.app.view;
		v.mode = s.mode;
		v.maxMinutes = s.maxMinutes;
		v.levels = [...s.levels];
		v.targetShare = s.targetShare;
		v.method = this.app.region.payload?.networkModes.length ? s.method : 'radius';
		v.areaModes = toAreaModes(s.areaModeRules);
	}

	private documentOf(s: StoredScenario): ScenarioDocument {
		return createScenarioDocument(s.doc.name, this.regionRef ?? s.doc.region, s.doc.settings, s.id === this.current?.id ? this.edits : s.doc.edits, s.doc.createdAt);
	}

	/** The region reference a scenario made here carries (from the worker, which holds the full-precision data). */
	private async ensureRegionRef(): Promise<ScenarioRegionRef> {
		if (this.regionRef) return this.regionRef;
		const res = await this.app.client.request('scenarioRegion', {}).promise;
		this.regionRef = res;
		return res;
	}

	private async createUnserialized(): Promise<void> {
		const payload = this.app.region.payload!;
		const ref = await this.ensureRegionRef();
		const s = newStoredScenario(payload.regionId, this.t('scenario.defaultName', { n: this.list.length + 1 }), ref, this.settings());
		this.list = [s, ...this.list];
		await this.openInWorker([]);
		this.current = s;
		this.history = EMPTY_HISTORY;
		this.persist(s);
		void this.persisted()?.setCurrent(s.regionId, s.id);
	}

	/** A scenario from a file or a link: checked against this region, saved as a new scenario, opened. */
	private async adopt(doc: ScenarioDocument, from: 'file' | 'link'): Promise<void> {
		const payload = this.app.region.payload;
		if (!payload) return;
		const ref = await this.ensureRegionRef();
		const { warning } = checkScenarioRegion(doc, ref, idSet(payload.facilities), from === 'link' ? 'link' : doc.name);
		const s: StoredScenario = { id: newScenarioId(), regionId: payload.regionId, doc, undone: [], updatedAt: nowIso() };
		this.list = [s, ...this.list];
		this.persist(s);
		await this.open(s.id);
		const done = from === 'link' ? this.t('scenario.openedFromLink', { name: doc.name }) : this.t('scenario.imported', { name: doc.name });
		this.message = warning ? `${done} ${this.t('scenario.warning', { message: warning.message })}` : done;
	}

	/** Replays `edits` in the worker under the current settings; the answer becomes the shown coverage. */
	private async openInWorker(edits: Edit[], recount = false): Promise<void> {
		await tick(); // settings applied to the view are in the derived request
		const request = this.settings();
		this.busy = true;
		try {
			const res = await this.app.client.request('scenarioOpen', { settings: request, edits, recount }, { onProgress: (p) => (this.app.progress = { kind: 'coverage', p }) }).promise;
			this.openedWith = request;
			this.facilities = res.facilities;
			this.show(res, res.minutes);
		} finally {
			this.busy = false;
			if (this.app.progress?.kind === 'coverage') this.app.progress = null;
		}
	}

	/** One edit in the worker; returns its inverse, or null (with a message) when it could not apply. */
	private async sendEdit(e: Edit, t0: number): Promise<Edit | null> {
		try {
			const res = await this.app.client.request('scenarioEdit', { edit: e }).promise;
			// the page's copy of the times, changed only where the worker says
			const minutes = this.app.coverage.minutes;
			if (minutes) res.changedCells.forEach((c, i) => (minutes[c] = res.changedMinutes[i]));
			this.facilities = updateFacilities(this.facilities ?? [], res.facilities, res.removedIds);
			this.show(res, null);
			this.patch = { cells: res.changedCells, seq: ++this.patchSeq };
			this.message = null;
			await tick();
			this.lastEditMs = Math.round(performance.now() - t0);
			performance.mark('kejimap:scenario-edit', { detail: { ms: this.lastEditMs, ...res.timings } });
			return res.inverse;
		} catch (err) {
			this.message = this.t('scenario.error', { message: errorMessage(err) });
			return null;
		}
	}

	/** Makes a scenario answer the coverage the page shows (table, summary; the map's times when given). */
	private show(res: ScenarioTable & { timings?: unknown }, minutes: Float32Array | null): void {
		const cov = this.app.coverage;
		cov.response = {
			summary: res.summary,
			minutes: null,
			cutoffMinutes: res.cutoffMinutes,
			reused: minutes === null,
			facilityCount: res.facilityCount,
			diagnostics: res.diagnostics,
			downloadBytes: 0,
			timings: { fetchMs: 0, computeMs: 0, totalMs: 0 }
		};
		if (minutes) cov.minutes = minutes;
	}

	private afterChange(): void {
		const s = this.current;
		if (!s) return;
		this.link = null;
		this.replaceCurrent({ ...s, doc: { ...s.doc, edits: this.edits as ScenarioDocument['edits'], settings: this.settings() } });
	}

	private replaceCurrent(next: StoredScenario): void {
		const s: StoredScenario = { ...next, undone: [...this.history.undone], updatedAt: nowIso() };
		this.current = s;
		this.list = [s, ...this.list.filter((x) => x.id !== s.id)];
		this.persist(s);
	}

	private persist(s: StoredScenario): void {
		this.persisted();
		this.saver?.schedule($state.snapshot(s) as StoredScenario);
	}
}
