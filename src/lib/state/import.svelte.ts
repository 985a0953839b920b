/**
 * The import panel's state: what the user picked, the running import (progress, cancel), its report, and the
 * before/after coverage. A failed or cancelled import leaves the loaded region as it was (the worker swaps the
 * session only on success).
 */
import { errorMessage } from '../engine/errors';
import type { TextEncodingChoice } from '../data/import/decode';
import type { CrsChoice } from '../data/import/facilities';
import type { ColumnMapping } from '../data/import/mapping';
import type { StoredRegionInfo } from '../data/persist/imports';
import type { MethodChoice } from '../engine/types';
import { isCancelled } from '../workers/engine-client';
import type { ImportKind, ImportReport } from '../workers/handlers/import';
import type { ProgressEvent } from '../workers/protocol';
import type { AppState } from './app.svelte';

/** After an import: a region that gained a road network for the mode moves from the radius method to auto. */
export function methodAfterImport(hadNetwork: boolean, hasNetwork: boolean, current: MethodChoice): MethodChoice {
	if (!hadNetwork && hasNetwork && current === 'radius') return 'auto';
	if (hadNetwork && !hasNetwork && current === 'network') return 'auto';
	return current;
}

export class ImportStore {
	kind = $state<ImportKind>('facilities');
	file = $state.raw<File | null>(null);
	mode = $state<'replace' | 'add'>('replace');
	crs = $state<CrsChoice>('auto');
	encoding = $state<TextEncodingChoice>('auto');
	persist = $state(true);
	/** the user's column choices (from the last report's mapping, edited) */
	mapping = $state<ColumnMapping>({});
	running = $state(false);
	progress = $state.raw<ProgressEvent | null>(null);
	report = $state.raw<ImportReport | null>(null);
	error = $state<string | null>(null);
	methodSwitched = $state(false);
	/** covered share (0..1) before the last import, to show the difference */
	beforeShare = $state<number | null>(null);
	stored = $state.raw<StoredRegionInfo[]>([]);

	private handle: { cancel(): void } | null = null;
	private readonly app: AppState;

	constructor(app: AppState) {
		this.app = app;
	}

	async run(withMapping = false): Promise<void> {
		const app = this.app;
		const file = this.file;
		if (!file || this.running || !app.region.payload) return;
		this.running = true;
		this.error = null;
		this.methodSwitched = false;
		this.progress = null;
		this.beforeShare = app.coverage.summary?.total.share ?? null;
		const hadNetwork = app.region.hasNetworkFor(app.view.mode);
		const h = app.client.request(
			'importData',
			{ kind: this.kind, file, fileName: file.name, mode: this.mode, crs: this.crs, encoding: this.encoding, mapping: withMapping ? { ...this.mapping } : undefined, persist: this.persist },
			{ onProgress: (p) => (this.progress = p) }
		);
		this.handle = h;
		try {
			const res = await h.promise;
			this.report = res.report;
			this.mapping = { ...(res.report.mapping ?? {}) };
			app.selection.clear();
			app.coverage.reset();
			app.region.payload = res.region;
			const next = methodAfterImport(hadNetwork, res.region.networkModes.includes(app.view.mode), app.view.method);
			this.methodSwitched = next !== app.view.method;
			app.view.method = next;
			void app.coverage.run();
			void this.refreshStored();
		} catch (e) {
			this.error = isCancelled(e) ? app.t('import.cancelled') : app.t('import.failed', { message: errorMessage(e) });
		} finally {
			this.running = false;
			this.progress = null;
			this.handle = null;
		}
	}

	cancel(): void {
		this.handle?.cancel();
	}

	async refreshStored(): Promise<void> {
		try {
			this.stored = await this.app.client.request('listStoredRegions', {}).promise;
		} catch {
			this.stored = []; // no IndexedDB (private mode): nothing kept, nothing to list
		}
	}

	async openStored(key: string): Promise<void> {
		const app = this.app;
		this.error = null;
		try {
			const payload = await app.client.request('openStoredRegion', { key }).promise;
			app.selection.clear();
			app.coverage.reset();
			app.region.payload = payload;
			void app.coverage.run();
		} catch (e) {
			this.error = app.t('import.failed', { message: errorMessage(e) });
		}
	}
}
