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

/** Number formatting per language (grouping; zh-CN uses the same digits). */
export function formatInt(n: number, lang: Lang): string {
	return Math.round(n).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN');
}

export function formatShare(share: number, lang: Lang, digits = 1): string {
	return (share * 100).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', { minimumFractionDigits: digits, maximumFractionDigits: digits }) + '%';
}

/** Placeholder names used by a template, e.g. "{a}–{b}" -> ["a", "b"]. */
export function placeholders(template: string): string[] {
	return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}
