/** Message lookup with {name} placeholders. zh-CN first, English second. */
import type { Localized } from '../engine/region';
import type { Lang } from '../state/url-state';
import { en } from './en';
import { zhCN, type MessageKey, type Messages } from './zh-CN';

export type { MessageKey, Messages };
export const MESSAGES: Record<Lang, Messages> = { 'zh-CN': zhCN, en };

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export function interpolate(template: string, params?: Params): string {
	if (!params) return template;
	return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

export function translator(lang: Lang): Translate {
	const table = MESSAGES[lang];
	return (key, params) => interpolate(table[key], params);
}

/** Pick the language of a {zh, en} pair from region data. */
export function localize(v: Localized | null | undefined, lang: Lang): string {
	if (!v) return '';
	return lang === 'en' ? v.en || v.zh : v.zh || v.en;
}

// Intl formatters are costly to create: one per language and digit count.
const formatters = new Map<string, Intl.NumberFormat>();
function formatter(lang: Lang, digits: number): Intl.NumberFormat {
	const key = `${lang}|${digits}`;
	let f = formatters.get(key);
	if (!f) {
		f = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'zh-CN', { minimumFractionDigits: digits, maximumFractionDigits: digits });
		formatters.set(key, f);
	}
	return f;
}

/** Number formatting per language (grouping; zh-CN uses the same digits). */
export function formatInt(n: number, lang: Lang): string {
	return formatter(lang, 0).format(Math.round(n));
}

export function formatShare(share: number, lang: Lang, digits = 1): string {
	return formatter(lang, digits).format(share * 100) + '%';
}

/** Placeholder names used by a template, e.g. "{a}–{b}" -> ["a", "b"]. */
export function placeholders(template: string): string[] {
	return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}
