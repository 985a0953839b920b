/**
 * Layer specs and colours as data: every MapLibre layer the map adds (one z-order, LAYER_ORDER), travel-time bands
 * (engine TIME_BANDS_MIN / bandOf), the gap ramp, facility symbols. Cells are drawn by the WebGL cell layer from one
 * packed colour per cell (cellColours).
 */
import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { bandOf, TIME_BANDS_MIN } from '../engine/coverage/coverage';
import type { FacilityLevel } from '../engine/types';
import type { FacilityStyle } from './icons';

/** One colour per band: 0-5, 5-10, 10-15, 15-20, 20-30, >30 (or unreachable). */
export const BAND_COLOURS = ['#0b6e4f', '#3fa36b', '#a7d49b', '#fde6a2', '#f0803c', '#b2182b'] as const;
if (BAND_COLOURS.length !== TIME_BANDS_MIN.length + 1) throw new Error('styles: one colour per travel-time band');

/** covered cells in the gap view: a pale green, so 'covered' differs from 'no cell' */
export const GAP_COVERED = '#9fd3ae';
/** light -> dark: people in an uncovered cell */
export const GAP_RAMP = ['#fde0dd', '#f768a1', '#ae017e', '#49006a'] as const;

export const FACILITY_STYLES: Record<FacilityLevel, FacilityStyle> = {
	hospital: { shape: 'cross', colour: '#c62828', sizePx: 18 },
	chc: { shape: 'circle', colour: '#1d4ed8', sizePx: 16 },
	chc_branch: { shape: 'diamond', colour: '#2563eb', sizePx: 15 },
	chs: { shape: 'ring', colour: '#0e7490', sizePx: 13 },
	township: { shape: 'square', colour: '#b45309', sizePx: 15 },
	village_clinic: { shape: 'triangle', colour: '#15803d', sizePx: 13 },
	other: { shape: 'circle', colour: '#6b7280', sizePx: 10 }
};

/** Population stops for the gap ramp, from the region's populated-cell quantiles. */
export function gapStops(populations: ArrayLike<number>): [number, number, number, number] {
	const vals: number[] = [];
	for (let i = 0; i < populations.length; i++) if (populations[i] > 0) vals.push(populations[i]);
	if (!vals.length) return [0, 1, 2, 3];
	vals.sort((a, b) => a - b);
	const q = (f: number) => vals[Math.min(vals.length - 1, Math.floor(f * vals.length))];
	const s = [q(0.1), q(0.5), q(0.9), q(0.99)];
	for (let i = 1; i < 4; i++) if (s[i] <= s[i - 1]) s[i] = s[i - 1] + 1; // interpolate needs ascending stops
	return s as [number, number, number, number];
}

export const TIME_FILL_OPACITY = 0.72;

// ------------------------------------------------------------------ layers

/** area boundaries (also the legend's line) */
export const BOUNDARY_COLOUR = '#1f2937';
/** facility clusters (also the legend's disc) */
export const CLUSTER_COLOUR = '#334155';
export const CLUSTER_OPACITY = 0.85;
export const HIGHLIGHT_COLOUR = '#1d4ed8';

/**
 * Every layer id, bottom to top. A layer is added below the first present layer above it (MapContext.addLayer), so
 * layer components can mount in any order and a style reload keeps the stack.
 */
export const LAYER_ORDER = [
	'basemap',
	'cells-fill',
	'areas-line',
	'area-hl',
	'iso-fill',
	'iso-line',
	'cell-hl',
	'area-labels',
	'fac-clusters',
	'fac-cluster-count',
	'fac-points',
	'fac-sel-halo',
	'fac-sel'
] as const;
export type LayerId = (typeof LAYER_ORDER)[number];

/** matches no feature (for an empty highlight) */
const NO_ID = '\u0000none';

/** areas.geojson carries { id, name } (docs/contracts.md): highlight one area by its id */
export function areaHighlightFilter(areaId: string | null | undefined): ExpressionSpecification {
	return ['==', ['get', 'id'], areaId ?? NO_ID];
}

export const LAYERS = {
	basemap: { id: 'basemap', type: 'raster', source: 'basemap', paint: { 'raster-opacity': 0.85 } },
	areasLine: {
		id: 'areas-line',
		type: 'line',
		source: 'areas',
		paint: { 'line-color': BOUNDARY_COLOUR, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.8, 13, 2], 'line-opacity': 0.8 }
	},
	areaHighlight: { id: 'area-hl', type: 'line', source: 'areas', filter: areaHighlightFilter(null), paint: { 'line-color': HIGHLIGHT_COLOUR, 'line-width': 3.5 } },
	areaLabels: {
		id: 'area-labels',
		type: 'symbol',
		source: 'area-labels',
		layout: { 'text-field': ['get', 'name'], 'text-size': 13, 'text-font': ['sans-serif'], 'text-padding': 4 },
		paint: { 'text-color': BOUNDARY_COLOUR, 'text-halo-color': 'rgba(255,255,255,0.9)', 'text-halo-width': 1.6 }
	},
	isoFill: {
		id: 'iso-fill',
		type: 'fill',
		source: 'iso',
		paint: { 'fill-color': ['match', ['get', 'kind'], 'catchment', HIGHLIGHT_COLOUR, '#60a5fa'], 'fill-opacity': ['match', ['get', 'kind'], 'catchment', 0.35, 0.18] }
	},
	isoLine: {
		id: 'iso-line',
		type: 'line',
		source: 'iso',
		paint: { 'line-color': '#1e3a8a', 'line-width': ['match', ['get', 'kind'], 'catchment', 2, 1.2], 'line-dasharray': [2, 1] }
	},
	cellHighlight: { id: 'cell-hl', type: 'line', source: 'cell-hl', paint: { 'line-color': '#111827', 'line-width': 2.5 } },
	facilityClusters: {
		id: 'fac-clusters',
		type: 'circle',
		source: 'facilities',
		filter: ['has', 'point_count'],
		paint: {
			'circle-color': CLUSTER_COLOUR,
			'circle-opacity': CLUSTER_OPACITY,
			'circle-stroke-color': '#fff',
			'circle-stroke-width': 1.5,
			'circle-radius': ['step', ['get', 'point_count'], 9, 10, 12, 50, 16, 200, 21]
		}
	},
	facilityClusterCount: {
		id: 'fac-cluster-count',
		type: 'symbol',
		source: 'facilities',
		filter: ['has', 'point_count'],
		layout: {
			'text-field': ['get', 'point_count_abbreviated'],
			'text-size': 11,
			'text-font': ['sans-serif'],
			'text-allow-overlap': true,
			'text-ignore-placement': true // counts never hide the area names
		},
		paint: { 'text-color': '#ffffff' }
	},
	facilityPoints: {
		id: 'fac-points',
		type: 'symbol',
		source: 'facilities',
		filter: ['!', ['has', 'point_count']],
		layout: { 'icon-image': ['get', 'icon'], 'icon-allow-overlap': true, 'icon-ignore-placement': true }
	},
	facilitySelectedHalo: {
		id: 'fac-sel-halo',
		type: 'circle',
		source: 'fac-sel',
		paint: { 'circle-radius': 15, 'circle-color': 'rgba(250,204,21,0.35)', 'circle-stroke-color': '#ca8a04', 'circle-stroke-width': 2 }
	},
	facilitySelected: {
		id: 'fac-sel',
		type: 'symbol',
		source: 'fac-sel',
		layout: { 'icon-image': ['get', 'icon'], 'icon-allow-overlap': true, 'icon-ignore-placement': true }
	}
} satisfies Record<string, LayerSpecification & { id: LayerId }>;

/** A style with no external resources: background only; data layers (and an optional basemap) are added by MapView. */
export function offlineStyle(): StyleSpecification {
	return {
		version: 8,
		sources: {},
		layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef1f4' } }]
	};
}

export function facilityIconId(level: FacilityLevel): string {
	return `fac-${level}`;
}

// ------------------------------------------------------------------ cell colours for the WebGL cell layer

export interface CellColourOptions {
	view: 'time' | 'gap';
	maxMinutes: number;
	gapStops: [number, number, number, number];
}

function parseHex(hex: string): [number, number, number] {
	const v = parseInt(hex.slice(1), 16);
	return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** RGBA packed for a little-endian Uint32Array view over bytes, premultiplied by alpha (MapLibre blends premultiplied). */
export function packPremultiplied(rgb: [number, number, number], alpha: number): number {
	const a = Math.round(alpha * 255);
	const r = Math.round(rgb[0] * alpha);
	const g = Math.round(rgb[1] * alpha);
	const b = Math.round(rgb[2] * alpha);
	return (r | (g << 8) | (b << 16) | (a << 24)) >>> 0;
}

const BAND_PACKED = BAND_COLOURS.map((c) => packPremultiplied(parseHex(c), TIME_FILL_OPACITY));
const GAP_RGB = GAP_RAMP.map(parseHex);
const GAP_COVERED_PACKED = packPremultiplied(parseHex(GAP_COVERED), 0.4);
const GAP_EMPTY_PACKED = packPremultiplied([201, 206, 214], 0.25);
const PENDING_PACKED = packPremultiplied([200, 205, 212], 0.35);

function rampColour(p: number, stops: [number, number, number, number]): [number, number, number] {
	if (p <= stops[0]) return GAP_RGB[0];
	for (let i = 1; i < 4; i++) {
		if (p <= stops[i]) {
			const t = (p - stops[i - 1]) / (stops[i] - stops[i - 1]);
			const a = GAP_RGB[i - 1];
			const b = GAP_RGB[i];
			return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
		}
	}
	return GAP_RGB[3];
}

/**
 * One packed colour per cell. Time view: the travel-time band (engine bandOf). Gap view: cells beyond the threshold
 * shaded by population (light -> dark), covered cells pale. Without times yet: a neutral grey.
 */
export function cellColours(minutes: Float32Array | null, populations: ArrayLike<number>, opts: CellColourOptions, out?: Uint32Array): Uint32Array {
	const n = populations.length;
	const res = out && out.length === n ? out : new Uint32Array(n);
	if (!minutes || minutes.length !== n) return res.fill(PENDING_PACKED);
	if (opts.view === 'time') {
		for (let i = 0; i < n; i++) res[i] = BAND_PACKED[bandOf(minutes[i])];
		return res;
	}
	for (let i = 0; i < n; i++) {
		const p = populations[i];
		if (minutes[i] <= opts.maxMinutes) res[i] = GAP_COVERED_PACKED;
		else if (!(p > 0)) res[i] = GAP_EMPTY_PACKED;
		else res[i] = packPremultiplied(rampColour(p, opts.gapStops), 0.9);
	}
	return res;
}
