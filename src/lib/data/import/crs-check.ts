/**
 * Is a point list in the coordinate system it claims? Points from Amap/Tencent (GCJ-02) or Baidu (BD-09) read as
 * WGS84 sit a few hundred metres off the real roads and the official points, in a consistent direction. For each
 * candidate system we convert a sample of the points and take the median distance to the nearest reference point
 * (the region's facilities, or points along its roads): the right system gives the smallest median.
 */
import { toWgs84 } from '../../engine/geo/crs';
import { metricFrame, PointIndex } from '../../engine/geo/point-index';
import { CRS_VALUES, type Crs } from '../../engine/region';

export interface CrsReference {
	kind: 'facilities' | 'roads';
	lon: ArrayLike<number>;
	lat: ArrayLike<number>;
}

export interface CrsCheck {
	assumed: Crs;
	best: Crs;
	/** median distance (m) from the points, read in each system, to the nearest reference point */
	medianM: Record<Crs, number>;
	reference: CrsReference['kind'];
	/** points compared (a deterministic sample of at most MAX_SAMPLE) */
	sample: number;
	/** true: the points fit another system clearly better than the assumed one; convert with `best` */
	flagged: boolean;
}

const MAX_SAMPLE = 2000;
/** distances are capped here: a point with no reference nearby says nothing about the offset */
const CAP_M = 2000;
/** flag only a clear difference: GCJ-02 shifts by 100-700 m, BD-09 by ~1 km more; geocoding noise is tens of metres */
const MIN_GAIN_M = 40;
const MIN_RATIO = 0.6;

export function checkCrs(points: readonly (readonly [number, number])[], assumed: Crs, ref: CrsReference): CrsCheck | null {
	if (points.length === 0 || ref.lon.length === 0) return null;
	const stride = Math.max(1, Math.floor(points.length / MAX_SAMPLE));
	const sample: (readonly [number, number])[] = [];
	for (let i = 0; i < points.length && sample.length < MAX_SAMPLE; i += stride) sample.push(points[i]);
	// the file's numbers read as each system, taken to WGS84 (the reference is WGS84)
	const readAs = CRS_VALUES.map((crs) => sample.map(([lon, lat]) => toWgs84(lon, lat, crs)));
	const index = new PointIndex(ref.lon, ref.lat, metricFrame(readAs.flat().map((p) => p[1]), CAP_M, ref.lat));
	const medianM = {} as Record<Crs, number>;
	CRS_VALUES.forEach((crs, c) => {
		const d = readAs[c].map(([x, y]) => (index.nearest(x, y, CAP_M) < 0 ? CAP_M : index.nearestDistM));
		d.sort((a, b) => a - b);
		medianM[crs] = Math.round(d[d.length >> 1]);
	});
	let best: Crs = assumed;
	for (const crs of CRS_VALUES) if (medianM[crs] < medianM[best]) best = crs; // ties keep the assumed system
	const flagged = best !== assumed && medianM[assumed] - medianM[best] >= MIN_GAIN_M && medianM[best] <= MIN_RATIO * medianM[assumed];
	return { assumed, best: flagged ? best : assumed, medianM, reference: ref.kind, sample: sample.length, flagged };
}
