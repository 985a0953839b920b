/**
 * The engine's metric point index: WGS84 points in one local equirectangular frame (metres), searched
 * by frame distance and decided by haversine distance, ties to the lower id. This module is the engine's
 * only user of kdbush.
 *
 * The frame rule (one for the whole engine): a degree of longitude is measured at the latitude farthest
 * from the equator that a query point, or any point within the largest query radius of one, can reach
 * (`metricFrame`). A path between two points within that radius stays inside that latitude band (any point
 * of a geodesic of length D lies within D/2 of an end), and on the band the sphere's metric is at least the
 * frame's, so the frame distance never exceeds the haversine distance. A frame search of radius r therefore
 * never misses a point within r on the sphere; the exact test is always haversine. FRAME_SLACK_M absorbs
 * rounding where the two are equal (north-south pairs).
 */
import KDBush from 'kdbush';
import { haversineWithCosM as haversineImport, metresPerDegree, RAD as RAD_IMPORT } from './measure';

// Module-local bindings: under tsx (bench, CLI) an imported binding is read through a getter on every use,
// which costs measurably in the nearest-search loop.
const haversineWithCosM = haversineImport;
const RAD = RAD_IMPORT;

/** Rounding allowance between frame and haversine distances (metres; both are exact to well under 1 µm). */
const FRAME_SLACK_M = 1e-3;
/** KD-tree leaf size: small leaves (about 16 points) keep the nearest search to a few haversine tests. */
const LEAF_SIZE = 16;

export interface MetricFrame {
	/** metres per degree of longitude / latitude in the frame */
	kx: number;
	ky: number;
	/** the largest query radius (metres) for which frame distances are a lower bound */
	maxRadiusM: number;
}

/**
 * The frame for queries centred on points with latitudes `queryLat` (or, when there are none, on the
 * indexed points `fallbackLat`) and radii up to maxRadiusM.
 */
export function metricFrame(queryLat: ArrayLike<number>, maxRadiusM: number, fallbackLat: ArrayLike<number> = []): MetricFrame {
	if (!(maxRadiusM >= 0) || !Number.isFinite(maxRadiusM)) throw new Error(`metricFrame: radius must be finite and >= 0 (got ${maxRadiusM})`);
	const lats = queryLat.length > 0 ? queryLat : fallbackLat;
	let maxAbsLat = 0;
	for (let i = 0; i < lats.length; i++) {
		const a = Math.abs(lats[i]);
		if (a > maxAbsLat) maxAbsLat = a;
	}
	const { mPerDegLat } = metresPerDegree(0);
	const refLat = Math.min(89, maxAbsLat + maxRadiusM / mPerDegLat);
	return { kx: metresPerDegree(refLat).mPerDegLon, ky: mPerDegLat, maxRadiusM };
}

function checkRadius(frame: MetricFrame, radiusM: number, where: string): void {
	if (!(radiusM <= frame.maxRadiusM)) throw new Error(`${where}: radius ${radiusM} m exceeds the frame's ${frame.maxRadiusM} m`);
}

/**
 * A static KD-tree over points (kdbush layout, leaves of LEAF_SIZE). `ids[i]` names point i in results
 * and decides ties (default: i).
 */
export class PointIndex {
	readonly frame: MetricFrame;
	readonly size: number;
	private readonly tree: KDBush | null;
	/** id of each point by insertion index (null: the index itself) */
	private readonly idOf: Int32Array | null;
	/** per tree slot: the point's id, lon, lat and cos(lat), so the hot loops read one contiguous slot */
	private readonly slotId: Int32Array;
	private readonly slotLon: Float64Array;
	private readonly slotLat: Float64Array;
	private readonly slotCos: Float64Array;
	/** explicit search stack: left, right, axis per frame and its lower bound (metres) */
	private stackI = new Int32Array(3 * 64);
	private stackLb = new Float64Array(64);
	/** haversine distance of the last `nearest` answer (Infinity when none) */
	nearestDistM = Infinity;

	constructor(lon: ArrayLike<number>, lat: ArrayLike<number>, frame: MetricFrame, ids?: ArrayLike<number>) {
		const n = lon.length;
		this.frame = frame;
		this.size = n;
		this.slotId = new Int32Array(n);
		this.slotLon = new Float64Array(n);
		this.slotLat = new Float64Array(n);
		this.slotCos = new Float64Array(n);
		this.idOf = ids ? Int32Array.from(ids) : null;
		if (n === 0) {
			this.tree = null;
			return;
		}
		const tree = new KDBush(n, LEAF_SIZE, Float64Array);
		for (let i = 0; i < n; i++) tree.add(lon[i] * frame.kx, lat[i] * frame.ky);
		tree.finish();
		this.tree = tree;
		const order = tree.ids;
		for (let s = 0; s < n; s++) {
			const i = order[s];
			this.slotId[s] = this.idOf ? this.idOf[i] : i;
			this.slotLon[s] = lon[i];
			this.slotLat[s] = lat[i];
			this.slotCos[s] = Math.cos(lat[i] * RAD);
		}
	}

	/**
	 * Ids of the points within radiusM of [lon, lat] by the frame: every point within radiusM by haversine,
	 * and possibly a few just beyond (callers test exactly).
	 */
	within(lon: number, lat: number, radiusM: number): number[] {
		checkRadius(this.frame, radiusM, 'PointIndex.within');
		if (!this.tree) return [];
		const hits = this.tree.within(lon * this.frame.kx, lat * this.frame.ky, radiusM + FRAME_SLACK_M);
		const idOf = this.idOf;
		if (idOf) for (let i = 0; i < hits.length; i++) hits[i] = idOf[hits[i]];
		return hits;
	}

	/**
	 * The id of the nearest point to [lon, lat] by haversine within maxDistM (inclusive), the lower id on
	 * equal distances; -1 when none. The distance is left in `nearestDistM`.
	 */
	nearest(lon: number, lat: number, maxDistM: number): number {
		checkRadius(this.frame, maxDistM, 'PointIndex.nearest');
		this.nearestDistM = Infinity;
		const tree = this.tree;
		if (!tree) return -1;
		const coords = tree.coords as Float64Array;
		const { slotId, slotLon, slotLat, slotCos } = this;
		const qx = lon * this.frame.kx,
			qy = lat * this.frame.ky,
			qCos = Math.cos(lat * RAD);
		let best = maxDistM,
			bestId = -1;
		// search while the frame bound (a lower bound of the haversine distance) can still tie or beat `best`
		let reach = best + FRAME_SLACK_M,
			reach2 = reach * reach;
		const st = this.stackI,
			lbs = this.stackLb;
		let sp = 0;
		st[0] = 0;
		st[1] = this.size - 1;
		st[2] = 0;
		lbs[0] = 0;
		sp = 1;
		while (sp > 0) {
			sp--;
			const left = st[3 * sp],
				right = st[3 * sp + 1],
				axis = st[3 * sp + 2];
			if (lbs[sp] > reach) continue;
			if (right - left <= LEAF_SIZE) {
				for (let s = left; s <= right; s++) {
					const dx = coords[2 * s] - qx,
						dy = coords[2 * s + 1] - qy;
					if (dx * dx + dy * dy > reach2) continue;
					const d = haversineWithCosM(lon, lat, qCos, slotLon[s], slotLat[s], slotCos[s]);
					const id = slotId[s];
					if (d < best || (d === best && (bestId < 0 || id < bestId))) {
						best = d;
						bestId = id;
						reach = best + FRAME_SLACK_M;
						reach2 = reach * reach;
					}
				}
				continue;
			}
			const m = (left + right) >> 1;
			const dx = coords[2 * m] - qx,
				dy = coords[2 * m + 1] - qy;
			if (dx * dx + dy * dy <= reach2) {
				const d = haversineWithCosM(lon, lat, qCos, slotLon[m], slotLat[m], slotCos[m]);
				const id = slotId[m];
				if (d < best || (d === best && (bestId < 0 || id < bestId))) {
					best = d;
					bestId = id;
					reach = best + FRAME_SLACK_M;
					reach2 = reach * reach;
				}
			}
			// the split plane: the near side first (pushed last), the far side with the plane distance as bound
			const delta = axis === 0 ? dx : dy; // split coordinate minus query coordinate
			const lb = lbs[sp];
			const farLb = Math.max(lb, Math.abs(delta));
			if (sp + 2 > lbs.length) this.growStack();
			const stk = this.stackI,
				lb2 = this.stackLb;
			// delta > 0: the query lies below the split, so [left, m-1] is the near side
			const nearL = delta > 0 ? left : m + 1,
				nearR = delta > 0 ? m - 1 : right,
				farL = delta > 0 ? m + 1 : left,
				farR = delta > 0 ? right : m - 1;
			if (farL <= farR && farLb <= reach) {
				stk[3 * sp] = farL;
				stk[3 * sp + 1] = farR;
				stk[3 * sp + 2] = 1 - axis;
				lb2[sp++] = farLb;
			}
			if (nearL <= nearR) {
				stk[3 * sp] = nearL;
				stk[3 * sp + 1] = nearR;
				stk[3 * sp + 2] = 1 - axis;
				lb2[sp++] = lb;
			}
		}
		if (bestId >= 0) this.nearestDistM = best;
		return bestId;
	}

	private growStack(): void {
		const i = new Int32Array(this.stackI.length * 2);
		i.set(this.stackI);
		const l = new Float64Array(this.stackLb.length * 2);
		l.set(this.stackLb);
		this.stackI = i;
		this.stackLb = l;
	}
}

/**
 * Points that come and go (facilities under scenario edits), in a uniform grid of the same frame:
 * `set` places or moves an id, `delete` removes it; `nearest` follows PointIndex.nearest's rule exactly.
 */
export class PointGrid {
	readonly frame: MetricFrame;
	private readonly bucketM: number;
	private readonly buckets = new Map<number, number[]>();
	private lon = new Float64Array(16);
	private lat = new Float64Array(16);
	private cos = new Float64Array(16);
	private key = new Float64Array(16).fill(NaN); // bucket of each id, NaN = absent
	nearestDistM = Infinity;

	constructor(frame: MetricFrame) {
		this.frame = frame;
		this.bucketM = Math.max(1, frame.maxRadiusM / 2);
	}

	has(id: number): boolean {
		return id < this.key.length && !Number.isNaN(this.key[id]);
	}

	set(id: number, lon: number, lat: number): void {
		if (this.has(id)) this.delete(id);
		if (id >= this.key.length) this.grow(id + 1);
		this.lon[id] = lon;
		this.lat[id] = lat;
		this.cos[id] = Math.cos(lat * RAD);
		const k = gridKey(Math.floor((lon * this.frame.kx) / this.bucketM), Math.floor((lat * this.frame.ky) / this.bucketM));
		this.key[id] = k;
		const bucket = this.buckets.get(k);
		if (bucket) bucket.push(id);
		else this.buckets.set(k, [id]);
	}

	delete(id: number): void {
		if (!this.has(id)) return;
		const k = this.key[id];
		const bucket = this.buckets.get(k)!;
		bucket.splice(bucket.indexOf(id), 1);
		if (bucket.length === 0) this.buckets.delete(k);
		this.key[id] = NaN;
	}

	/** As PointIndex.nearest: the nearest id by haversine within maxDistM, the lower id on ties; -1 when none. */
	nearest(lon: number, lat: number, maxDistM: number): number {
		checkRadius(this.frame, maxDistM, 'PointGrid.nearest');
		const r = maxDistM + FRAME_SLACK_M,
			b = this.bucketM;
		const x = lon * this.frame.kx,
			y = lat * this.frame.ky,
			qCos = Math.cos(lat * RAD);
		const ix0 = Math.floor((x - r) / b),
			ix1 = Math.floor((x + r) / b),
			iy0 = Math.floor((y - r) / b),
			iy1 = Math.floor((y + r) / b);
		let best = maxDistM,
			bestId = -1;
		for (let ix = ix0; ix <= ix1; ix++)
			for (let iy = iy0; iy <= iy1; iy++) {
				const bucket = this.buckets.get(gridKey(ix, iy));
				if (!bucket) continue;
				for (const id of bucket) {
					const d = haversineWithCosM(lon, lat, qCos, this.lon[id], this.lat[id], this.cos[id]);
					if (d < best || (d === best && (bestId < 0 || id < bestId))) {
						best = d;
						bestId = id;
					}
				}
			}
		this.nearestDistM = bestId >= 0 ? best : Infinity;
		return bestId;
	}

	private grow(n: number): void {
		const cap = Math.max(n, this.key.length * 2);
		const grow = (a: Float64Array, fill = 0) => {
			const next = new Float64Array(cap).fill(fill);
			next.set(a);
			return next;
		};
		this.lon = grow(this.lon);
		this.lat = grow(this.lat);
		this.cos = grow(this.cos);
		this.key = grow(this.key, NaN);
	}
}

/** Bucket key; unique while |iy| < 2^21 buckets (thousands of km at any bucket size used here). */
function gridKey(ix: number, iy: number): number {
	return ix * 4194304 + iy;
}
