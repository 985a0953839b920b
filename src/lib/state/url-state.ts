/**
 * The view state that lives in the URL, so a link reproduces a view. Pure functions (no DOM, no runes),
 * tested by round-trip in url-state.test.ts.
 */
import type { AreaModeRule } from '../engine/region';
import { formatTargetShare, METHODS, MINUTES_RANGE, parseLevels, parseMethod, parseMinutes, parseMode, parseTargetShare, type Parsed } from '../engine/settings';
import { FACILITY_LEVELS, MODES, type FacilityLevel, type MethodChoice, type Mode } from '../engine/types';
// planning (kj-ui)
import { CONSOLIDATE_DEFAULTS } from '../engine/allocation/consolidate';
import { PLAN_DEFAULTS } from '../engine/allocation/types';
import type { PlanCandidates } from '../workers/handlers/planning';

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
/** time = travel-time bands; gap = uncovered cells shaded by population */
export type ViewKind = 'time' | 'gap';
export const VIEWS: readonly ViewKind[] = ['time', 'gap'];
export { METHODS };

/** Per-area travel modes (Pudong's rule): area id -> mode; areas not listed use the global mode. */
export type AreaModes = Record<string, Mode>;

export interface ViewState {
	region: string;
	mode: Mode;
	maxMinutes: number;
	levels: FacilityLevel[];
	targetShare: number; // 0..1
	view: ViewKind;
	lang: Lang;
	/** travel-time method: auto = network where it covers the cell, radius elsewhere */
	method: MethodChoice;
	/** per-area modes (start from the region policy's areaModeRules; the table edits them) */
	areaModes: AreaModes;
}

/** The slider and the number field use the one range (engine/settings.ts). */
export const MINUTES_MIN = MINUTES_RANGE.min;
export const MINUTES_MAX = MINUTES_RANGE.max;

/** Parameters a link may carry; absent or invalid ones are left undefined (the region's policy fills them). */
export type PartialViewState = Partial<ViewState>;

/** A link value that could not be used: the default stays, and the page says so (never a silent 0 %). */
export interface LinkIssue {
	param: string;
	value: string;
	reason: string;
}

/** A link's view state and the values it refused. Settings parse with the CLI's rules (engine/settings.ts). */
export function decodeViewStateChecked(params: URLSearchParams): { state: PartialViewState; issues: LinkIssue[] } {
	const out: PartialViewState = {};
	const issues: LinkIssue[] = [];
	const take = <T>(param: string, r: Parsed<T>, set: (v: T) => void) => {
		const value = params.get(param)!;
		if (r.ok) set(r.value);
		else issues.push({ param, value, reason: r.reason });
	};
	const has = (p: string) => params.get(p) !== null;
	const region = params.get('region');
	if (region !== null) {
		if (/^[a-z0-9][a-z0-9-]{0,63}$/.test(region)) out.region = region;
		else issues.push({ param: 'region', value: region, reason: 'not a region id' });
	}
	if (has('mode')) take('mode', parseMode(params.get('mode')!), (v) => (out.mode = v));
	// minutes: whole minutes in links (the slider's step)
	if (has('min')) take('min', parseMinutes(params.get('min')!), (v) => (out.maxMinutes = Math.round(v)));
	// "levels=" is the user's own "no level" (the checkboxes allow it); one unknown name refuses the whole value
	if (has('levels')) {
		if (params.get('levels') === '') out.levels = [];
		else take('levels', parseLevels(params.get('levels')!), (v) => (out.levels = v));
	}
	if (has('target')) take('target', parseTargetShare(params.get('target')!), (v) => (out.targetShare = v));
	const view = params.get('view');
	if (view !== null) {
		if ((VIEWS as readonly string[]).includes(view)) out.view = view as ViewKind;
		else issues.push({ param: 'view', value: view, reason: `must be one of ${VIEWS.join(', ')}` });
	}
	const lang = params.get('lang');
	if (lang !== null) {
		if (lang === 'en' || lang === 'zh-CN' || lang === 'zh') out.lang = lang === 'en' ? 'en' : 'zh-CN';
		else issues.push({ param: 'lang', value: lang, reason: 'must be zh-CN or en' });
	}
	if (has('method')) take('method', parseMethod(params.get('method')!), (v) => (out.method = v));
	const rules = params.get('rules');
	if (rules !== null) {
		const modes = decodeAreaModes(rules);
		if (modes) out.areaModes = modes;
		else if (rules !== '1') issues.push({ param: 'rules', value: rules, reason: 'not a list of mode:area ids' });
	}
	return { state: out, issues };
}

export function decodeViewState(params: URLSearchParams): PartialViewState {
	return decodeViewStateChecked(params).state;
}

/**
 * `rules` value: groups "mode:id,id" joined by ";", ids URI-encoded (so any id survives), e.g. "cycle:310115".
 * "" or "0" = no per-area modes; "1" (older links: "apply the policy's rules") and unreadable values = undefined,
 * so the region policy decides.
 */
export function decodeAreaModes(value: string): AreaModes | undefined {
	if (value === '' || value === '0') return {};
	const out: AreaModes = {};
	let any = false;
	for (const group of value.split(';')) {
		const colon = group.indexOf(':');
		const mode = group.slice(0, colon);
		if (colon < 0 || !(MODES as readonly string[]).includes(mode)) continue;
		for (const raw of group.slice(colon + 1).split(',')) {
			let id: string;
			try {
				id = decodeURIComponent(raw);
			} catch {
				continue;
			}
			if (!id) continue;
			out[id] = mode as Mode;
			any = true;
		}
	}
	return any ? out : undefined;
}

/** Canonical `rules` value: modes in MODES order, ids sorted, so equal rule sets give equal links. */
export function encodeAreaModes(modes: AreaModes): string {
	return toAreaModeRules(modes)
		.map((r) => `${r.mode}:${r.areaIds.map(encodeURIComponent).join(',')}`)
		.join(';');
}

/** Area modes as the engine's rules (one rule per mode, MODES order, ids sorted); [] when none. */
export function toAreaModeRules(modes: AreaModes): AreaModeRule[] {
	const ids = Object.keys(modes).sort();
	return MODES.map((mode) => ({ mode, areaIds: ids.filter((id) => modes[id] === mode) })).filter((r) => r.areaIds.length > 0);
}

/** The engine's rules as area modes (a later rule naming the same area wins, as in CoverageSession). */
export function toAreaModes(rules: readonly AreaModeRule[] | undefined): AreaModes {
	const out: AreaModes = {};
	for (const r of rules ?? []) for (const id of r.areaIds) out[id] = r.mode;
	return out;
}

/** Writes every field (a link must not depend on defaults that may change); keeps unrelated params (e.g. basemap). */
export function encodeViewState(s: ViewState, base?: URLSearchParams): URLSearchParams {
	const p = new URLSearchParams(base);
	p.set('region', s.region);
	p.set('mode', s.mode);
	p.set('min', String(s.maxMinutes));
	p.set('levels', FACILITY_LEVELS.filter((l) => s.levels.includes(l)).join(','));
	p.set('target', formatTargetShare(s.targetShare));
	p.set('view', s.view);
	p.set('lang', s.lang);
	p.set('method', s.method);
	p.set('rules', encodeAreaModes(s.areaModes));
	return p;
}

// ---- planning (kj-ui): the Plan panel's settings in the link ----

export const PLAN_OBJECTIVES = ['cover', 'target', 'median', 'consolidate'] as const;
export type PlanObjectiveChoice = (typeof PLAN_OBJECTIVES)[number];
/** which panel the side bar shows: the coverage table or the Plan panel */
export type PanelKind = 'coverage' | 'plan';
/** the candidate rules a link may name (the engine's CANDIDATE_RULES; a type import keeps h3-js out of the page) */
export const PLAN_CANDIDATES: readonly PlanCandidates[] = ['cells', 'upgrade'];

export interface PlanUrlState {
	panel: PanelKind;
	objective: PlanObjectiveChoice;
	/** cover, median: new sites K */
	sites: number;
	candidates: PlanCandidates;
	/** consolidate */
	maxLossPeople: number;
	minServicePopulation: number;
}

/** K: a whole number; 200 keeps the table and the run short (a district needs far fewer). */
export const PLAN_SITES_RANGE = { min: 1, max: 200 } as const;
/** people (consolidate parameters) */
export const PLAN_PEOPLE_RANGE = { min: 0, max: 1_000_000 } as const;

/** Defaults: the engine's (PLAN_DEFAULTS, CONSOLIDATE_DEFAULTS, with their sources). */
export const PLAN_URL_DEFAULTS: PlanUrlState = {
	panel: 'coverage',
	objective: 'cover',
	sites: PLAN_DEFAULTS.sites,
	candidates: 'cells',
	maxLossPeople: CONSOLIDATE_DEFAULTS.maxLossPeople,
	minServicePopulation: CONSOLIDATE_DEFAULTS.minServicePopulation
};

function wholeIn(v: string | null, range: { min: number; max: number }): number | undefined {
	if (v === null || !/^\d+$/.test(v)) return undefined;
	const n = Number(v);
	return n >= range.min && n <= range.max ? n : undefined;
}

/** Plan settings from a link; each absent or invalid value keeps its default. */
export function decodePlanState(params: URLSearchParams): PlanUrlState {
	const d = PLAN_URL_DEFAULTS;
	const objective = params.get('plan');
	const candidates = params.get('planCand');
	return {
		panel: params.get('panel') === 'plan' ? 'plan' : d.panel,
		objective: (PLAN_OBJECTIVES as readonly string[]).includes(objective ?? '') ? (objective as PlanObjectiveChoice) : d.objective,
		sites: wholeIn(params.get('planK'), PLAN_SITES_RANGE) ?? d.sites,
		candidates: (PLAN_CANDIDATES as readonly string[]).includes(candidates ?? '') ? (candidates as PlanCandidates) : d.candidates,
		maxLossPeople: wholeIn(params.get('planLoss'), PLAN_PEOPLE_RANGE) ?? d.maxLossPeople,
		minServicePopulation: wholeIn(params.get('planMinPop'), PLAN_PEOPLE_RANGE) ?? d.minServicePopulation
	};
}

const PLAN_PARAMS = ['panel', 'plan', 'planK', 'planCand', 'planLoss', 'planMinPop'] as const;

/** With the Plan panel open every plan field is written (as encodeViewState does); otherwise none. */
export function encodePlanState(s: PlanUrlState, base?: URLSearchParams): URLSearchParams {
	const p = new URLSearchParams(base);
	for (const k of PLAN_PARAMS) p.delete(k);
	if (s.panel !== 'plan') return p;
	p.set('panel', 'plan');
	p.set('plan', s.objective);
	p.set('planK', String(s.sites));
	p.set('planCand', s.candidates);
	p.set('planLoss', String(s.maxLossPeople));
	p.set('planMinPop', String(s.minServicePopulation));
	return p;
}
