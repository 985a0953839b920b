/**
 * The optional basemap: parsed from ?basemap= or static/config.json { basemap, basemapHosts }. Pure (no runes, no DOM).
 * A link can name any URL, so a link's basemap is taken only from a host the deployment allows (config.json
 * "basemapHosts", or the host of the deployment's own basemap); only http(s) and same-site paths are accepted
 * (never javascript: or data:). Attribution is made text: MapLibre shows it as HTML.
 */

export interface BasemapConfig {
	/** raster XYZ template(s), e.g. http://tiles.intranet/{z}/{x}/{y}.png */
	tiles?: string[];
	/** a MapLibre style URL */
	style?: string;
	/** already HTML-escaped: safe to hand to MapLibre's attribution control */
	attribution?: string;
}

export interface BasemapChoice {
	basemap: BasemapConfig | null;
	/** the link's basemap host, when the link asked for one the deployment does not allow */
	refusedHost: string | null;
}

const PLACEHOLDER = /\{[^}]*\}/g;

/** The host of an http(s) URL or XYZ template; '' for a same-site path; null for anything else (javascript:, data:, junk). */
export function basemapHost(url: string): string | null {
	if (/^\/(?!\/)/.test(url)) return ''; // /tiles/{z}/{x}/{y}.png on this site
	try {
		const u = new URL(url.replace(PLACEHOLDER, '0'));
		return u.protocol === 'http:' || u.protocol === 'https:' ? u.host.toLowerCase() : null;
	} catch {
		return null;
	}
}

/** Attribution as text: MapLibre's control renders it as HTML. */
export function escapeAttribution(text: string): string {
	return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function basemapFromValue(v: unknown): BasemapConfig | null {
	const ok = (u: string) => basemapHost(u) !== null;
	if (typeof v === 'string' && v) {
		if (!ok(v)) return null;
		return v.includes('{z}') ? { tiles: [v] } : { style: v };
	}
	if (typeof v === 'object' && v !== null) {
		const o = v as Record<string, unknown>;
		const raw = Array.isArray(o.tiles) ? o.tiles.filter((t): t is string => typeof t === 'string') : typeof o.tiles === 'string' ? [o.tiles] : [];
		const tiles = raw.filter(ok);
		const style = typeof o.style === 'string' && ok(o.style) ? o.style : undefined;
		const attribution = typeof o.attribution === 'string' ? escapeAttribution(o.attribution) : undefined;
		if (tiles.length || style) return { tiles: tiles.length ? tiles : undefined, style, attribution };
	}
	return null;
}

function hostsOf(b: BasemapConfig | null): string[] {
	return [...(b?.tiles ?? []), ...(b?.style ? [b.style] : [])].map(basemapHost).filter((h): h is string => h !== null);
}

/**
 * ?basemap= (when its host is allowed: basemapHosts, the config basemap's host, or the page's own host) beats
 * config.json's basemap; {z} means XYZ tiles, else a style URL.
 */
export function chooseBasemap(param: string | null, config: unknown, pageHost = ''): BasemapChoice {
	const cfg = typeof config === 'object' && config !== null ? (config as Record<string, unknown>) : {};
	const fromConfig = basemapFromValue(cfg.basemap);
	if (!param) return { basemap: fromConfig, refusedHost: null };
	const allowed = new Set([...(Array.isArray(cfg.basemapHosts) ? cfg.basemapHosts.filter((h): h is string => typeof h === 'string').map((h) => h.toLowerCase()) : []), ...hostsOf(fromConfig), '', pageHost.toLowerCase()]);
	const host = basemapHost(param);
	if (host === null || !allowed.has(host)) return { basemap: fromConfig, refusedHost: host ?? param.slice(0, 40) };
	return { basemap: basemapFromValue(param), refusedHost: null };
}

export function parseBasemap(param: string | null, config: unknown): BasemapConfig | null {
	return chooseBasemap(param, config).basemap;
}

/** A remote style's source attributions as text (MapLibre's transformStyle hook). */
export function textAttributions<S extends { sources?: Record<string, object> }>(style: S): S {
	const sources: Record<string, object> = {};
	for (const [id, src] of Object.entries(style.sources ?? {})) {
		const a = (src as { attribution?: unknown }).attribution;
		sources[id] = typeof a === 'string' ? { ...src, attribution: escapeAttribution(a) } : src;
	}
	return { ...style, sources };
}
