/**
 * Popup bodies built as DOM nodes with textContent only: facility names and addresses come from files and are
 * never parsed as HTML (MapLibre popups get them through setDOMContent).
 */
import type { Facility, Mode } from '../engine/types';
import { formatInt, type Translate } from '../i18n';
import type { Lang } from '../state/url-state';
import type { CellDetailResponse, FacilityDetailResponse } from '../workers/handlers/detail';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
	const e = document.createElement(tag);
	if (text !== undefined) e.textContent = text;
	if (className) e.className = className;
	return e;
}

function row(dl: HTMLDListElement, key: string, value: string, testId?: string) {
	dl.append(el('dt', key));
	const dd = el('dd', value);
	if (testId) dd.dataset.testid = testId;
	dl.append(dd);
}

export function facilityPopup(
	f: Facility,
	detail: FacilityDetailResponse | null,
	ctx: { t: Translate; lang: Lang; mode: Mode; maxMinutes: number; areaName: string | null }
): HTMLElement {
	const { t, lang } = ctx;
	const root = el('div', undefined, 'kj-popup');
	root.dataset.testid = 'facility-popup';
	root.append(el('h3', f.name));
	const dl = el('dl');
	row(dl, t('detail.level'), t(`level.${f.level}`));
	if (f.address) row(dl, t('detail.address'), f.address);
	if (ctx.areaName) row(dl, t('detail.area'), ctx.areaName);
	if (!detail) row(dl, t('detail.catchment', { minutes: ctx.maxMinutes }), t('summary.computing'));
	else {
		if (detail.counted) row(dl, t('detail.catchment', { minutes: ctx.maxMinutes }), formatInt(detail.catchmentPopulation, lang), 'catchment');
		else row(dl, t('detail.catchment', { minutes: ctx.maxMinutes }), t('detail.notCounted'));
		row(dl, t('detail.reach', { minutes: ctx.maxMinutes, mode: t(`mode.${ctx.mode}`) }), formatInt(detail.reachPopulation, lang), 'reach');
	}
	root.append(dl);
	return root;
}

export function cellPopup(
	d: CellDetailResponse | null,
	ctx: { t: Translate; lang: Lang; facilities: Facility[]; areaName: string | null }
): HTMLElement {
	const { t, lang } = ctx;
	const root = el('div', undefined, 'kj-popup');
	root.dataset.testid = 'cell-popup';
	if (!d) {
		root.append(el('p', t('summary.computing')));
		return root;
	}
	root.append(el('h3', t('detail.cellHeading', { h3: d.h3 })));
	const dl = el('dl');
	row(dl, t('detail.population'), formatInt(d.population, lang));
	if (ctx.areaName) row(dl, t('detail.area'), ctx.areaName);
	row(dl, t('detail.time'), d.minutes === null ? t('detail.beyond', { cutoff: d.cutoffMinutes }) : t('detail.minutes', { m: d.minutes.toFixed(1) }), 'cell-minutes');
	const f = d.facilityIndex >= 0 ? ctx.facilities[d.facilityIndex] : null;
	const level = f ? t(`level.${f.level}`) : '';
	row(dl, t('detail.nearest'), f ? (lang === 'en' ? `${f.name} (${level})` : `${f.name}（${level}）`) : t('detail.none'));
	if (d.method) row(dl, t('detail.method'), d.method === 'network' ? t('detail.methodNetwork') : t('detail.methodRadius'));
	root.append(dl);
	return root;
}
