/**
 * The view state that lives in the URL, so a link reproduces a view. Pure functions (no DOM, no runes),
 * tested by round-trip in url-state.test.ts.
 */
import { FACILITY_LEVELS, MODES, type FacilityLevel, type Mode } from '../engine/types';

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
/** time = travel-time bands; gap = uncovered cells shaded by population */
export type ViewKind = 'time' | 'gap';
export const VIEWS: readonly ViewKind[] = ['time', 'gap'];

export interface ViewState {
	region: string;
	mode: Mode;
	maxMinutes: number;
	levels: FacilityLevel[];
	targetShare: number; // 0..1
	view: ViewKind;
	lang: Lang;
	/** apply the region policy's per-area mode rules (only meaningful when the policy has them) */
	areaRules: boolean;
}

export const MINUTES_MIN = 1;
export const MINUTES_MAX = 120;

/** Parameters a link may carry; absent or invalid ones are left undefined (the region's policy fills them). */
export type PartialViewState = Partial<ViewState>;

const LEVEL_SET = new Set<string>(FACILITY_LEVELS);

export function decodeViewState(params: URLSearchParams): PartialViewState {
	const out: PartialViewState = {};
	const region = params.get('region');
	if (region && /^[a-z0-9][a-z0-9-]*$/.test(region)) out.region = region;
	const mode = params.get('mode');
	if (mode && (MODES as readonly string[]).includes(mode)) out.mode = mode as Mode;
	const min = params.get('min');
	if (min !== null && min !== '') {
		const v = Number(min);
		if (Number.isFinite(v) && v >= MINUTES_MIN && v <= MINUTES_MAX) out.maxMinutes = Math.round(v);
	}
	const levels = params.get('levels');
	if (levels !== null) {
		const list = levels.split(',').filter((l) => LEVEL_SET.has(l)) as FacilityLevel[];
		// keep the canonical order so equal sets give equal URLs
		out.levels = FACILITY_LEVELS.filter((l) => list.includes(l));
	}
	const target = params.get('target');
	if (target !== null && target !== '') {
		const pct = Number(target);
		if (Number.isFinite(pct) && pct >= 0 && pct <= 100) out.targetShare = Math.round(pct * 10) / 1000;
	}
	const view = params.get('view');
	if (view && (VIEWS as readonly string[]).includes(view)) out.view = view as ViewKind;
	const lang = params.get('lang');
	if (lang === 'en' || lang === 'zh-CN' || lang === 'zh') out.lang = lang === 'en' ? 'en' : 'zh-CN';
	const rules = params.get('rules');
	if (rules === '1' || rules === '0') out.areaRules = rules === '1';
	return out;
}

/** Writes every field (a link must not depend on defaults that may change); keeps unrelated params (e.g. basemap). */
export function encodeViewState(s: ViewState, base?: URLSearchParams): URLSearchParams {
	const p = new URLSearchParams(base);
	p.set('region', s.region);
	p.set('mode', s.mode);
	p.set('min', String(s.maxMinutes));
	p.set('levels', FACILITY_LEVELS.filter((l) => s.levels.includes(l)).join(','));
	p.set('target', String(Math.round(s.targetShare * 1000) / 10));
	p.set('view', s.view);
	p.set('lang', s.lang);
	p.set('rules', s.areaRules ? '1' : '0');
	return p;
}
