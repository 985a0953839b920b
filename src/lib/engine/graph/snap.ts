/**
 * Snapping points (cell centres, facilities) onto the network: the nearest point on any street segment,
 * measured in a local equirectangular frame (metres) around the query point.
 *
 * One flatbush index over straight node->node segments. A street with arcs both ways is indexed once
 * (always so on symmetric graphs); a one-way street once in its direction. Nodes with no arcs at all
 * are indexed as points (u === v, t = 0), so they can still be reached by an access leg.
 *
 * Direction (see types.ts Snap): costFromUS = t * w(u->v) is the time from u to the point, costFromVS =
 * (1 - t) * w(v->u) the time from v to the point (Infinity when there is no arc v->u). For a facility
 * searched on the reverse graph these are exactly the entry costs (time from the node to the
 * facility). A resident walking FROM the point needs the opposite direction: snapMany also returns
 * costToUS = t * w(v->u) and costToVS = (1 - t) * w(u->v); on symmetric graphs they equal the "from" costs.
 */
import Flatbush from 'flatbush';
import { KejimapError } from '../errors';
import { metresPerDegree } from '../geo/measure';
import type { CsrGraph, Snap } from '../types';

export interface SnapColumns {
	u: Int32Array; // -1 = nothing within maxAccessM
	v: Int32Array;
	costFromUS: Float64Array;
	costFromVS: Float64Array;
	accessS: Float64Array;
	accessM: Float64Array;
	/** time from the point to u / to v along the street (Infinity when that way is one-way against you) */
	costToUS: Float64Array;
	costToVS: Float64Array;
}

export interface Snapper {
	snap(lon: number, lat: number, maxAccessM: number): Snap | null;
	snapMany(lons: ArrayLike<number>, lats: ArrayLike<number>, maxAccessM: number): SnapColumns;
	/** number of indexed segments (including isolated-node points) */
	readonly segmentCount: number;
}

/** The first search box half-width (m); it grows 4x until the nearest segment is proven. */
const FIRST_RADIUS_M = 64;

export function createSnapper(g: CsrGraph, accessSpeedMps: number): Snapper {
	if (!(accessSpeedMps > 0)) throw new KejimapError('BAD_ARGUMENT', `accessSpeedMps must be > 0 (got ${accessSpeedMps})`);
	const { offsets, targets, weightS, lon, lat } = g;
	const n = g.nodeCount;

	// Segments: (u, v, min weight u->v, min weight v->u or Infinity).
	const hasArc = new Uint8Array(n);
	for (let u = 0; u < n; u++)
		for (let e = offsets[u]; e < offsets[u + 1]; e++) {
			const v = targets[e];
			if (v !== u) hasArc[u] = hasArc[v] = 1;
		}
	const minWeight = (a: number, b: number): number => {
		let w = Infinity;
		for (let e = offsets[a]; e < offsets[a + 1]; e++) if (targets[e] === b && weightS[e] < w) w = weightS[e];
		return w;
	};
	let cap = 1024,
		count = 0;
	let segU = new Int32Array(cap),
		segV = new Int32Array(cap);
	let wUV = new Float64Array(cap),
		wVU = new Float64Array(cap);
	const addSegment = (u: number, v: number, fw: number, bw: number) => {
		if (count === cap) {
			cap *= 2;
			const grow = <T extends Int32Array | Float64Array>(a: T): T => {
				const b = new (a.constructor as new (k: number) => T)(cap);
				b.set(a);
				return b;
			};
			segU = grow(segU);
			segV = grow(segV);
			wUV = grow(wUV);
			wVU = grow(wVU);
		}
		segU[count] = u;
		segV[count] = v;
		wUV[count] = fw;
		wVU[count++] = bw;
	};
	for (let u = 0; u < n; u++) {
		if (!hasArc[u]) {
			addSegment(u, u, 0, 0);
			continue;
		}
		for (let e = offsets[u]; e < offsets[u + 1]; e++) {
			const v = targets[e];
			if (v === u) continue;
			let dup = false; // a parallel arc earlier in u's list: already indexed
			for (let k = offsets[u]; k < e; k++)
				if (targets[k] === v) {
					dup = true;
					break;
				}
			if (dup) continue;
			if (g.symmetric) {
				if (v < u) continue; // the pair is indexed from the lower id
				const w = minWeight(u, v);
				addSegment(u, v, w, w);
			} else {
				const back = minWeight(v, u);
				if (v < u && back < Infinity) continue; // two-way street: indexed from v's side
				addSegment(u, v, minWeight(u, v), back);
			}
		}
	}

	const index = new Flatbush(Math.max(1, count));
	for (let i = 0; i < count; i++) {
		const a = segU[i],
			b = segV[i];
		index.add(Math.min(lon[a], lon[b]), Math.min(lat[a], lat[b]), Math.max(lon[a], lon[b]), Math.max(lat[a], lat[b]));
	}
	if (count === 0) index.add(Infinity, Infinity, Infinity, Infinity); // flatbush needs one item; never matches
	index.finish();

	// Query state shared with the filter callback (one closure, no allocation per query).
	let qLon = 0,
		qLat = 0,
		kx = 0,
		ky = 0,
		best2 = Infinity,
		bestI = -1,
		bestT = 0;
	const visit = (i: number): boolean => {
		if (i >= count) return false;
		const a = segU[i],
			b = segV[i];
		const ax = (lon[a] - qLon) * kx,
			ay = (lat[a] - qLat) * ky;
		const dx = (lon[b] - qLon) * kx - ax,
			dy = (lat[b] - qLat) * ky - ay;
		const len2 = dx * dx + dy * dy;
		let t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
		if (t < 0) t = 0;
		else if (t > 1) t = 1;
		const px = ax + t * dx,
			py = ay + t * dy;
		const d2 = px * px + py * py;
		if (d2 < best2 || (d2 === best2 && i < bestI)) {
			best2 = d2;
			bestI = i;
			bestT = t;
		}
		return false;
	};

	/** Finds the nearest segment within maxAccessM; leaves it in bestI / bestT / best2. */
	const findNearest = (x: number, y: number, maxAccessM: number): boolean => {
		bestI = -1;
		best2 = Infinity;
		if (!Number.isFinite(x) || !Number.isFinite(y) || !(maxAccessM >= 0)) return false;
		qLon = x;
		qLat = y;
		const m = metresPerDegree(y);
		kx = m.mPerDegLon;
		ky = m.mPerDegLat;
		let r = Math.min(FIRST_RADIUS_M, maxAccessM);
		for (;;) {
			const pad = r * (1 + 1e-9) + 1e-9; // rounding margin at the box edge
			index.search(x - pad / kx, y - pad / ky, x + pad / kx, y + pad / ky, visit);
			// any segment nearer than r crosses the box, so a hit within r is the nearest overall
			if (bestI >= 0 && best2 <= r * r) return best2 <= maxAccessM * maxAccessM;
			if (r >= maxAccessM) return bestI >= 0 && best2 <= maxAccessM * maxAccessM;
			r = Math.min(r * 4, maxAccessM);
		}
	};

	const fromV = (t: number, w: number) => (t === 1 ? 0 : w === Infinity ? Infinity : (1 - t) * w);
	const toU = (t: number, w: number) => (t === 0 ? 0 : w === Infinity ? Infinity : t * w);

	return {
		segmentCount: count,
		snap(x, y, maxAccessM) {
			if (!findNearest(x, y, maxAccessM)) return null;
			const i = bestI,
				t = bestT;
			const accessM = Math.sqrt(best2);
			return { u: segU[i], v: segV[i], costFromUS: t * wUV[i], costFromVS: fromV(t, wVU[i]), accessS: accessM / accessSpeedMps, accessM };
		},
		snapMany(lons, lats, maxAccessM) {
			if (lons.length !== lats.length) throw new KejimapError('BAD_ARGUMENT', `snapMany: ${lons.length} longitudes but ${lats.length} latitudes`);
			const k = lons.length;
			const out: SnapColumns = {
				u: new Int32Array(k).fill(-1),
				v: new Int32Array(k).fill(-1),
				costFromUS: new Float64Array(k).fill(Infinity),
				costFromVS: new Float64Array(k).fill(Infinity),
				accessS: new Float64Array(k).fill(Infinity),
				accessM: new Float64Array(k).fill(Infinity),
				costToUS: new Float64Array(k).fill(Infinity),
				costToVS: new Float64Array(k).fill(Infinity)
			};
			for (let p = 0; p < k; p++) {
				if (!findNearest(lons[p], lats[p], maxAccessM)) continue;
				const i = bestI,
					t = bestT;
				const accessM = Math.sqrt(best2);
				out.u[p] = segU[i];
				out.v[p] = segV[i];
				out.costFromUS[p] = t * wUV[i];
				out.costFromVS[p] = fromV(t, wVU[i]);
				out.accessM[p] = accessM;
				out.accessS[p] = accessM / accessSpeedMps;
				out.costToUS[p] = toU(t, wVU[i]);
				out.costToVS[p] = (1 - t) * wUV[i];
			}
			return out;
		}
	};
}
