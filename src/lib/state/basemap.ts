/** The optional basemap: parsed from ?basemap= or static/config.json { basemap }. Pure (no runes, no DOM). */

export interface BasemapConfig {
	/** raster XYZ template(s), e.g. http://tiles.intranet/{z}/{x}/{y}.png */
	tiles?: string[];
	/** a MapLibre style URL */
	style?: string;
	attribution?: string;
}

/** Reads ?basemap= (a URL: XYZ template when it has {z}, else a style URL) or static/config.json { basemap }. */
export function parseBasemap(param: string | null, config: unknown): BasemapConfig | null {
	if (param) return basemapFromValue(param);
	if (typeof config === 'object' && config !== null) return basemapFromValue((config as Record<string, unknown>).basemap);
	return null;
}

function basemapFromValue(v: unknown): BasemapConfig | null {
	if (typeof v === 'string' && v) return v.includes('{z}') ? { tiles: [v] } : { style: v };
	if (typeof v === 'object' && v !== null) {
		const o = v as Record<string, unknown>;
		const tiles = Array.isArray(o.tiles) ? o.tiles.filter((t): t is string => typeof t === 'string') : typeof o.tiles === 'string' ? [o.tiles] : [];
		const style = typeof o.style === 'string' ? o.style : undefined;
		const attribution = typeof o.attribution === 'string' ? o.attribution : undefined;
		if (tiles.length || style) return { tiles: tiles.length ? tiles : undefined, style, attribution };
	}
	return null;
}
