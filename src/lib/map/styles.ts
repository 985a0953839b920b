/**
 * Layer paint specs as data. Colours: travel-time bands (engine TIME_BANDS_MIN), gap ramp, facility symbols.
 * Cells carry feature-state { m: minutes (UNREACHED when beyond the cutoff), b: band index (engine bandOf) }.
 */
import type { ExpressionSpecification, StyleSpecification } from 'maplibre-gl';
import { TIME_BANDS_MIN } from '../engine/coverage/coverage';
import type { FacilityLevel } from '../engine/types';

/** feature-state value for "beyond the cutoff" (Infinity does not survive every code path) */
export const UNREACHED = 99999;

/** One colour per band: 0-5, 5-10, 10-15, 15-20, 20-30, >30 (or unreachable). */
export const BAND_COLOURS = ['#0b6e4f', '#3fa36b', '#a7d49b', '#fde6a2', '#f0803c', '#b2182b'] as const;
if (BAND_COLOURS.length !== TIME_BANDS_MIN.length + 1) throw new Error('styles: one colour per travel-time band');

export const GAP_COVERED = '#c9ced6';
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

const m: ExpressionSpecification = ['coalesce', ['feature-state', 'm'], -1];
const band: ExpressionSpecification = ['coalesce', ['feature-state', 'b'], -1];

export function timeFillColour(): ExpressionSpecification {
	const cases: (ExpressionSpecification | string)[] = [];
	BAND_COLOURS.forEach((c, i) => cases.push(['==', band, i] as ExpressionSpecification, c));
	return ['case', ...cases, 'rgba(0,0,0,0)'] as unknown as ExpressionSpecification;
}

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

export function gapFillColour(maxMinutes: number, stops: [number, number, number, number]): ExpressionSpecification {
	return [
		'case',
		['<', m, 0],
		'rgba(0,0,0,0)',
		['<=', m, maxMinutes],
		GAP_COVERED,
		['interpolate', ['linear'], ['get', 'p'], stops[0], GAP_RAMP[0], stops[1], GAP_RAMP[1], stops[2], GAP_RAMP[2], stops[3], GAP_RAMP[3]]
	];
}

export function gapFillOpacity(maxMinutes: number): ExpressionSpecification {
	return ['case', ['<', m, 0], 0, ['<=', m, maxMinutes], 0.35, ['<=', ['get', 'p'], 0], 0.15, 0.9];
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
	const ctx = canvas.getContext('2d')!;
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
