/**
 * Cell hexagons as a triangle mesh in Web Mercator (0..1, MapLibre's world coordinates), built once per region in the
 * worker and transferred to the page, where a WebGL layer draws it. Vertices are stored relative to an origin so that
 * float32 keeps sub-metre precision at street zoom. Ring lengths vary (H3 cells crossing an icosahedron edge have
 * more than six vertices), so each cell has a vertex range and a triangle fan.
 */
import { cellRing } from '../engine/geo/h3';
import type { CellTable } from '../engine/types';

export interface CellMesh {
	/** mercator origin subtracted from every vertex */
	originX: number;
	originY: number;
	/** x, y pairs relative to the origin */
	vertices: Float32Array;
	/** vertex range of cell i: [vertexStart[i], vertexStart[i + 1]) */
	vertexStart: Uint32Array;
	/** triangle indices (fans) */
	indices: Uint32Array;
}

export function mercatorX(lon: number): number {
	return (180 + lon) / 360;
}
export function mercatorY(lat: number): number {
	return (180 - (180 / Math.PI) * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360))) / 360;
}
export function lonFromMercatorX(x: number): number {
	return x * 360 - 180;
}
export function latFromMercatorY(y: number): number {
	const y2 = 180 - y * 360;
	return (360 / Math.PI) * Math.atan(Math.exp((y2 * Math.PI) / 180)) - 90;
}

export function buildCellMesh(cells: Pick<CellTable, 'count' | 'h3' | 'lon' | 'lat'>): CellMesh {
	const rings: [number, number][][] = new Array(cells.count);
	let nv = 0;
	let ni = 0;
	let minX = Infinity;
	let minY = Infinity;
	for (let i = 0; i < cells.count; i++) {
		const ring = cellRing(cells.h3[i]);
		// cellRing is closed (first point repeated): drop the repeat
		const open = ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1] ? ring.slice(0, -1) : ring;
		rings[i] = open;
		nv += open.length;
		ni += Math.max(0, open.length - 2) * 3;
		minX = Math.min(minX, mercatorX(cells.lon[i]));
		minY = Math.min(minY, mercatorY(cells.lat[i]));
	}
	if (!Number.isFinite(minX)) minX = minY = 0;
	const vertices = new Float32Array(nv * 2);
	const vertexStart = new Uint32Array(cells.count + 1);
	const indices = new Uint32Array(ni);
	let v = 0;
	let k = 0;
	for (let i = 0; i < cells.count; i++) {
		vertexStart[i] = v;
		const ring = rings[i];
		for (const [lon, lat] of ring) {
			vertices[2 * v] = mercatorX(lon) - minX;
			vertices[2 * v + 1] = mercatorY(lat) - minY;
			v++;
		}
		const first = vertexStart[i];
		for (let t = 1; t + 1 < ring.length; t++) {
			indices[k++] = first;
			indices[k++] = first + t;
			indices[k++] = first + t + 1;
		}
	}
	vertexStart[cells.count] = v;
	return { originX: minX, originY: minY, vertices, vertexStart, indices };
}
