/**
 * Layer paint specs and colours as data: travel-time bands (engine TIME_BANDS_MIN / bandOf), the gap ramp, facility
 * symbols. Cells are drawn by the WebGL cell layer from one packed colour per cell (cellColours).
 */
import type { StyleSpecification } from 'maplibre-gl';
import { bandOf, TIME_BANDS_MIN } from '../engine/coverage/coverage';
import type { FacilityLevel } from '../engine/types';

/** One colour per band: 0-5, 5-10, 10-15, 15-20, 20-30, >30 (or unreachable). */
export const BAND_COLOURS = ['#0b6e4f', '#3fa36b', '#a7d49b', '#fde6a2', '#f0803c', '#b2182b'] as const;
if (BAND_COLOURS.length !== TIME_BANDS_MIN.length + 1) throw new Error('styles: one colour per travel-time band');

/** covered cells in the gap view: a pale green, so 'covered' differs from 'no cell' */
export const GAP_COVERED = '#9fd3ae';
/** light -> dark: people in an uncovered cell */
export const GAP_RAMP = ['#fde0dd', '#f768a1', '#ae017e', '#49006a'] as const;

export interface FacilityStyle {
	shape: 'circle' | 'square' | 'diamond' | 'triangle' | 'cross' | 'ring';
	colour: string;
	sizePx: number;
}
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

/** A style with no external resources: background only; data layers (and an optional basemap) are added by MapView. */
export function offlineStyle(): StyleSpecification {
	return {
		version: 8,
		sources: {},
		layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef1f4' } }]
	};
}

/** Facility symbol image (drawn on a canvas, so no sprite file is fetched). */
export function drawFacilityIcon(style: FacilityStyle, pixelRatio: number): ImageData {
	const size = Math.ceil((style.sizePx + 4) * pixelRatio);
	const canvas = document.createElement('canvas');
	canvas.width = canvas.height = size;
	// willReadFrequently: a CPU canvas, so getImageData does not read back from the GPU
	const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
	const c = size / 2;
	const r = (style.sizePx / 2) * pixelRatio;
	ctx.lineWidth = 2 * pixelRatio;
	ctx.strokeStyle = '#ffffff';
	ctx.fillStyle = style.colour;
	ctx.beginPath();
	switch (style.shape) {
		case 'circle':
			ctx.arc(c, c, r, 0, Math.PI * 2);
			break;
		case 'ring':
			ctx.arc(c, c, r, 0, Math.PI * 2);
			break;
		case 'square':
			ctx.rect(c - r * 0.85, c - r * 0.85, r * 1.7, r * 1.7);
			break;
		case 'diamond':
			ctx.moveTo(c, c - r);
			ctx.lineTo(c + r, c);
			ctx.lineTo(c, c + r);
			ctx.lineTo(c - r, c);
			ctx.closePath();
			break;
		case 'triangle':
			ctx.moveTo(c, c - r);
			ctx.lineTo(c + r * 0.95, c + r * 0.75);
			ctx.lineTo(c - r * 0.95, c + r * 0.75);
			ctx.closePath();
			break;
		case 'cross': {
			const a = r * 0.38;
			ctx.rect(c - r, c - r, 2 * r, 2 * r);
			ctx.fill();
			ctx.stroke();
			ctx.beginPath();
			ctx.fillStyle = '#ffffff';
			ctx.rect(c - a, c - r * 0.7, 2 * a, r * 1.4);
			ctx.rect(c - r * 0.7, c - a, r * 1.4, 2 * a);
			ctx.fill();
			return ctx.getImageData(0, 0, size, size);
		}
	}
	ctx.fill();
	ctx.stroke();
	if (style.shape === 'ring') {
		ctx.beginPath();
		ctx.fillStyle = '#ffffff';
		ctx.arc(c, c, r * 0.4, 0, Math.PI * 2);
		ctx.fill();
	}
	return ctx.getImageData(0, 0, size, size);
}

/** The same symbol as an SVG data-free description for the legend (drawn by Legend.svelte). */
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
