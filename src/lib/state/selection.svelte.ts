/** What the map shows in detail (a facility or a cell, with the worker's detail) and where the camera goes. */
import type { Bbox } from '../workers/protocol';
import type { CellDetailResponse, FacilityDetailResponse } from '../workers/handlers/detail';
import type { AppState } from './app.svelte';

export type Selection =
	| { kind: 'facility'; index: number; detail: FacilityDetailResponse | null }
	| { kind: 'cell'; lngLat: [number, number]; detail: CellDetailResponse | null }
	| null;

export interface Focus {
	bbox: Bbox;
	seq: number;
	padding?: { top: number; bottom: number; left: number; right: number };
	/** the area to highlight (a table row or a search hit) */
	areaId?: string;
}

/** Half-width of the first box around a facility picked by name (about 1.5 km), before its isochrone is known. */
const FACILITY_BOX_DEG = 0.015;
/** The facility popup opens above the point: leave it room at the top when fitting the isochrone. */
const POPUP_PADDING = { top: 230, bottom: 40, left: 40, right: 40 };

export class SelectionStore {
	current = $state.raw<Selection>(null);
	focus = $state.raw<Focus | null>(null);

	private readonly app: AppState;
	private focusSeq = 0;

	constructor(app: AppState) {
		this.app = app;
	}

	/** Move the camera to a box. */
	focusOn(bbox: Bbox, opts: Omit<Focus, 'bbox' | 'seq'> = {}): void {
		this.focus = { bbox, seq: ++this.focusSeq, ...opts };
	}

	clear(): void {
		this.current = null;
	}

	/** Ask again for the open detail (it describes the previous coverage run). */
	refresh(): void {
		const sel = this.current;
		if (sel?.kind === 'facility') void this.selectFacility(sel.index, false);
		else if (sel?.kind === 'cell') void this.selectCellAt(sel.lngLat);
	}

	async selectFacility(index: number, zoom = false): Promise<void> {
		const app = this.app;
		const f = app.region.payload?.facilities[index];
		if (!f) return;
		this.current = { kind: 'facility', index, detail: null };
		if (zoom) this.focusOn([f.lon - FACILITY_BOX_DEG, f.lat - FACILITY_BOX_DEG, f.lon + FACILITY_BOX_DEG, f.lat + FACILITY_BOX_DEG]);
		const v = app.view;
		try {
			const detail = await app.client.request(
				'facilityDetail',
				{ facilityIndex: index, mode: v.mode, maxMinutes: v.maxMinutes, method: v.method },
				{ channel: 'detail', onProgress: (p) => (app.progress = { kind: 'detail', p }) }
			).promise;
			if (this.current?.kind === 'facility' && this.current.index === index) {
				this.current = { kind: 'facility', index, detail };
				if (zoom) this.focusOn(detail.bbox, { padding: POPUP_PADDING });
			}
		} catch (e) {
			app.reportError('error.engine', e);
		} finally {
			if (app.progress?.kind === 'detail') app.progress = null;
		}
	}

	/** Select the cell at a point (clears the selection when the point is in no cell of the region). */
	async selectCellAt(lngLat: [number, number]): Promise<void> {
		const prev = this.current;
		this.current = { kind: 'cell', lngLat, detail: prev?.kind === 'cell' ? prev.detail : null };
		try {
			const detail = await this.app.client.request('cellDetail', { lon: lngLat[0], lat: lngLat[1] }, { channel: 'detail' }).promise;
			const cur = this.current;
			if (cur?.kind !== 'cell' || cur.lngLat !== lngLat) return;
			this.current = detail ? { kind: 'cell', lngLat, detail } : null;
		} catch (e) {
			this.app.reportError('error.engine', e);
		}
	}

	zoomToArea(areaIndex: number): void {
		const a = this.app.region.payload?.areas[areaIndex];
		if (a?.bbox) this.focusOn(a.bbox, { areaId: a.id });
	}
}
