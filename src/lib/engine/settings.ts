/**
 * Coverage settings: their units, valid ranges and text forms, in one place. The CLI flags, the URL state, the
 * manifest schema, the worker and the slider all parse and check through these functions, so "15", "0.9" and
 * "90%" mean the same everywhere.
 * Target share rule: a share 0..1 ("0.9"), or a percentage with a percent sign ("90%"). A bare number above 1
 * ("90", "1.5") is refused with a hint rather than guessed: "1.5" could be 1.5% or a typo for 0.15.
 */
import { KejimapError } from './errors';
import type { PolicyDefaults } from './region';
import type { CoverageSettings } from './session';
import { FACILITY_LEVELS, MODES, type FacilityLevel, type MethodChoice, type Mode } from './types';

/** Travel-time threshold, minutes. Policy targets are 15 minutes (docs/policy-parameters.md); 120 bounds the search. */
export const MINUTES_RANGE = { min: 1, max: 120 } as const;
export const METHODS: readonly MethodChoice[] = ['auto', 'network', 'radius'];

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

/** null when `m` is a valid threshold, else the reason (for messages naming the flag / field / parameter). */
export function minutesProblem(m: unknown): string | null {
	if (typeof m !== 'number' || !Number.isFinite(m)) return `must be a number of minutes ${MINUTES_RANGE.min}..${MINUTES_RANGE.max}`;
	if (m < MINUTES_RANGE.min || m > MINUTES_RANGE.max) return `must be ${MINUTES_RANGE.min}..${MINUTES_RANGE.max} minutes (got ${m})`;
	return null;
}

export function parseMinutes(text: string): Parsed<number> {
	const t = text.trim();
	const n = t === '' ? NaN : Number(t);
	const p = minutesProblem(n);
	return p ? bad(`${p.replace(/ \(got .*\)$/, '')} (got "${text}")`) : ok(n);
}

export function targetShareProblem(s: unknown): string | null {
	if (typeof s !== 'number' || !Number.isFinite(s) || s < 0 || s > 1) return 'must be a share 0..1 (0.9 = 90%)';
	return null;
}

/** "0.9" -> 0.9, "90%" -> 0.9; "", "90", "1.5", "abc", "120%" are refused. */
export function parseTargetShare(text: string): Parsed<number> {
	const t = text.trim();
	const percent = t.endsWith('%');
	const body = percent ? t.slice(0, -1).trim() : t;
	const n = body === '' || !/^[+]?(\d+\.?\d*|\.\d+)$/.test(body) ? NaN : Number(body);
	if (!Number.isFinite(n)) return bad(`must be a share 0..1 or a percentage like 90% (got "${text}")`);
	if (percent) return n <= 100 ? ok(n / 100) : bad(`a percentage must be 0%..100% (got "${text}")`);
	if (n > 1) return bad(`must be a share 0..1 or a percentage with "%" (got "${text}"; did you mean ${n <= 100 ? `${n}%` : 'a share 0..1'}?)`);
	return ok(n);
}

/** The canonical text of a share (for links): "0.9". Shares are kept to 0.1 percentage point. */
export function formatTargetShare(share: number): string {
	return String(Math.round(share * 1000) / 1000);
}

export function parseMode(text: string): Parsed<Mode> {
	return (MODES as readonly string[]).includes(text) ? ok(text as Mode) : bad(`must be one of ${MODES.join(', ')} (got "${text}")`);
}

export function parseMethod(text: string): Parsed<MethodChoice> {
	return (METHODS as readonly string[]).includes(text) ? ok(text as MethodChoice) : bad(`must be one of ${METHODS.join(', ')} (got "${text}")`);
}

/** "chc,chs" -> levels in canonical order. An unknown or empty list is refused as a whole (never "no level"). */
export function parseLevels(text: string): Parsed<FacilityLevel[]> {
	const list = text
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	const unknown = list.filter((l) => !(FACILITY_LEVELS as readonly string[]).includes(l));
	if (unknown.length) return bad(`unknown level(s) ${unknown.join(', ')}; known: ${FACILITY_LEVELS.join(', ')}`);
	if (!list.length) return bad(`needs at least one level of ${FACILITY_LEVELS.join(', ')}`);
	return ok(FACILITY_LEVELS.filter((l) => list.includes(l)));
}

/** Throws BAD_ARGUMENT naming the first bad setting: the engine's own guard, whatever the caller (CLI, worker, bench). */
export function checkSettings(s: CoverageSettings): void {
	const problem = (field: string, why: string | null) => {
		if (why) throw new KejimapError('BAD_ARGUMENT', `setting "${field}" ${why}`, { field });
	};
	problem('mode', (MODES as readonly string[]).includes(s.mode) ? null : `must be one of ${MODES.join(', ')} (got ${JSON.stringify(s.mode)})`);
	problem('maxMinutes', minutesProblem(s.maxMinutes));
	problem('targetShare', targetShareProblem(s.targetShare));
	problem('method', (METHODS as readonly string[]).includes(s.method) ? null : `must be one of ${METHODS.join(', ')} (got ${JSON.stringify(s.method)})`);
	// no level at all is a valid (if empty) choice in the app; an unknown level is not
	problem('levels', Array.isArray(s.levels) && s.levels.every((l) => (FACILITY_LEVELS as readonly string[]).includes(l)) ? null : `must list known facility levels (${FACILITY_LEVELS.join(', ')})`);
	for (const r of s.areaModeRules ?? []) problem('areaModeRules', (MODES as readonly string[]).includes(r.mode) ? null : `mode must be one of ${MODES.join(', ')} (got ${JSON.stringify(r.mode)})`);
}

/**
 * The settings a run uses: the region's policy, with the user's choices on top. Per-area mode rules come from the
 * policy unless the user gives their own (the same rule for the CLI and the app).
 */
export function settingsFromPolicy(policy: PolicyDefaults, over: Partial<CoverageSettings> = {}): CoverageSettings {
	const rules = over.areaModeRules ?? policy.areaModeRules;
	return {
		mode: over.mode ?? policy.mode,
		maxMinutes: over.maxMinutes ?? policy.maxMinutes,
		levels: over.levels ?? [...policy.levels],
		targetShare: over.targetShare ?? policy.targetShare,
		method: over.method ?? 'auto',
		areaModeRules: rules?.length ? rules : undefined
	};
}
