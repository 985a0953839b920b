/**
 * The only module that imports h3-js. h3-js takes [lat, lng]; everything else in Kejimap is [lon, lat].
 */
import {
	cellToBoundary,
	cellToLatLng,
	cellsToMultiPolygon,
	gridDisk,
	h3IndexToSplitLong,
	latLngToCell,
	polygonToCells,
	splitLongToH3Index,
	getHexagonEdgeLengthAvg,
	UNITS
} from 'h3-js';

export function lonLatToCell(lon: number, lat: number, res: number): string {
	return latLngToCell(lat, lon, res);
}

export function cellCenter(h: string): [number, number] {
	const [lat, lon] = cellToLatLng(h);
	return [lon, lat];
}

/** Closed ring in [lon, lat] order. */
export function cellRing(h: string): [number, number][] {
	return cellToBoundary(h, true) as [number, number][];
}

/** Cells whose centres fall in a GeoJSON polygon's rings ([lon, lat]). */
export function polygonRingsToCells(rings: number[][][], res: number): string[] {
	return polygonToCells(rings as [number, number][][], res, true);
}

/** Merge cells into GeoJSON MultiPolygon coordinates ([lon, lat]). */
export function cellsToMultiPolygonCoords(cells: string[]): number[][][][] {
	if (cells.length === 0) return [];
	return cellsToMultiPolygon(cells, true) as number[][][][];
}

export function neighbours(h: string, k = 1): string[] {
	return gridDisk(h, k);
}

export function h3ToSplit(h: string): [number, number] {
	return h3IndexToSplitLong(h) as [number, number];
}

export function splitToH3(lo: number, hi: number): string {
	return splitLongToH3Index(lo, hi);
}

export function edgeLengthM(res: number): number {
	return getHexagonEdgeLengthAvg(res, UNITS.m);
}
