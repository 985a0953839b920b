/**
 * Facility symbols: one path per shape, in a unit box (radius 1 around the origin), drawn by the map's canvas icons
 * (drawFacilityIcon, so no sprite file is fetched) and by the legend's SVG from the same paths.
 */
export type FacilityShape = 'circle' | 'square' | 'diamond' | 'triangle' | 'cross' | 'ring';

export interface IconPart {
	/** SVG path data in the unit box */
	d: string;
	/** the level's colour, or the white of an inner mark */
	fill: 'colour' | 'white';
	/** outlined in white (the outer part, so symbols stand out on any cell colour) */
	stroke: boolean;
}

const circle = (r: number) => `M${-r} 0A${r} ${r} 0 1 0 ${r} 0A${r} ${r} 0 1 0 ${-r} 0Z`;
const rect = (x: number, y: number, w: number, h: number) => `M${x} ${y}h${w}v${h}h${-w}Z`;

export const SHAPE_PARTS: Record<FacilityShape, IconPart[]> = {
	circle: [{ d: circle(1), fill: 'colour', stroke: true }],
	ring: [
		{ d: circle(1), fill: 'colour', stroke: true },
		{ d: circle(0.4), fill: 'white', stroke: false }
	],
	square: [{ d: rect(-0.85, -0.85, 1.7, 1.7), fill: 'colour', stroke: true }],
	diamond: [{ d: 'M0 -1L1 0L0 1L-1 0Z', fill: 'colour', stroke: true }],
	triangle: [{ d: 'M0 -1L0.95 0.75L-0.95 0.75Z', fill: 'colour', stroke: true }],
	cross: [
		{ d: rect(-1, -1, 2, 2), fill: 'colour', stroke: true },
		{ d: rect(-0.38, -0.7, 0.76, 1.4) + rect(-0.7, -0.38, 1.4, 0.76), fill: 'white', stroke: false }
	]
};

export const ICON_WHITE = '#ffffff';
/** the white outline, in CSS pixels */
export const ICON_OUTLINE_PX = 2;

export interface FacilityStyle {
	shape: FacilityShape;
	colour: string;
	/** diameter in CSS pixels */
	sizePx: number;
}

/** The symbol as a canvas image for map.addImage. */
export function drawFacilityIcon(style: FacilityStyle, pixelRatio: number): ImageData {
	const size = Math.ceil((style.sizePx + 2 * ICON_OUTLINE_PX) * pixelRatio);
	const canvas = document.createElement('canvas');
	canvas.width = canvas.height = size;
	// willReadFrequently: a CPU canvas, so getImageData does not read back from the GPU
	const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
	const r = (style.sizePx / 2) * pixelRatio;
	ctx.setTransform(r, 0, 0, r, size / 2, size / 2);
	ctx.lineWidth = (ICON_OUTLINE_PX * pixelRatio) / r;
	ctx.strokeStyle = ICON_WHITE;
	for (const part of SHAPE_PARTS[style.shape]) {
		const path = new Path2D(part.d);
		ctx.fillStyle = part.fill === 'white' ? ICON_WHITE : style.colour;
		ctx.fill(path);
		if (part.stroke) ctx.stroke(path);
	}
	return ctx.getImageData(0, 0, size, size);
}
