/**
 * Service-radius method (Chinese planning standards): straight-line distance x detour factor,
 * at the mode's speed. Used where there is no network, or where a cell's network piece reaches no facility.
 */
import { KejimapError } from '../errors';
import { metricFrame, PointIndex } from '../geo/point-index';
import type { ModeProfile } from '../modes';

export interface PointSet {
	lon: ArrayLike<number>;
	lat: ArrayLike<number>;
	count: number;
}

/** Seconds by the radius method for a straight-line distance. */
export function radiusSeconds(distanceM: number, profile: ModeProfile): number {
	return (distanceM * profile.detourFactor) / profile.defaultSpeedMps;
}

/** The longest straight line (metres) the radius method accepts within cutoffS. */
export function radiusDistanceM(cutoffS: number, profile: ModeProfile): number {
	return (cutoffS * profile.defaultSpeedMps) / profile.detourFactor;
}

/**
 * For each target point, the nearest of `facilityIdx` (indices into facilities) by haversine distance,
 * within cutoffS by the radius method. Ties go to the lower facility index.
 * Writes seconds (Infinity beyond the cutoff) and the facility index (-1) into the outputs; with `only`,
 * just the targets t where only[t] === 1 (the others stay Infinity / -1).
 */
export function nearestByRadius(
	targets: PointSet,
	facilities: { lon: ArrayLike<number>; lat: ArrayLike<number> },
	facilityIdx: ArrayLike<number>,
	profile: ModeProfile,
	cutoffS: number,
	outSeconds: Float64Array,
	outFacility: Int32Array,
	only?: Uint8Array
): void {
	outSeconds.fill(Infinity);
	outFacility.fill(-1);
	const k = facilityIdx.length;
	if (k === 0 || targets.count === 0) return;
	const maxDistM = radiusDistanceM(cutoffS, profile);
	if (!Number.isFinite(maxDistM)) throw new KejimapError('BAD_ARGUMENT', 'nearestByRadius: cutoff must be finite');
	const flon = new Float64Array(k),
		flat = new Float64Array(k);
	for (let i = 0; i < k; i++) {
		flon[i] = facilities.lon[facilityIdx[i]];
		flat[i] = facilities.lat[facilityIdx[i]];
	}
	const index = new PointIndex(flon, flat, metricFrame(targets.lat, maxDistM, flat), facilityIdx);
	const { lon, lat } = targets;
	for (let t = 0; t < targets.count; t++) {
		if (only && only[t] !== 1) continue;
		const f = index.nearest(lon[t], lat[t], maxDistM);
		if (f >= 0) {
			outSeconds[t] = radiusSeconds(index.nearestDistM, profile);
			outFacility[t] = f;
		}
	}
}
