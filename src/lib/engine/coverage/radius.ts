/**
 * Service-radius method (Chinese planning standards): straight-line distance x detour factor,
 * at the mode's speed. Used where there is no network, or where a cell's network piece reaches no facility.
 */
import KDBush from 'kdbush';
import { haversineM, metresPerDegree } from '../geo/measure';
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

/**
 * For each target point, the nearest of `facilityIdx` (indices into facilities) by straight line,
 * within cutoffS by the radius method. Ties go to the lower facility index.
 * Writes seconds (Infinity beyond the cutoff) and the facility index (-1) into the outputs.
 */
export function nearestByRadius(
	targets: PointSet,
	facilities: { lon: ArrayLike<number>; lat: ArrayLike<number> },
	facilityIdx: ArrayLike<number>,
	profile: ModeProfile,
	cutoffS: number,
	outSeconds: Float64Array,
	outFacility: Int32Array,
	only?: (targetIndex: number) => boolean
): void {
	outSeconds.fill(Infinity);
	outFacility.fill(-1);
	const k = facilityIdx.length;
	if (k === 0 || targets.count === 0) return;
	// Local equirectangular metres around the facilities' mean latitude: the index only preselects, the exact
	// distance is haversine, and the search radius is padded so the preselection never misses.
	let latSum = 0;
	for (let i = 0; i < k; i++) latSum += facilities.lat[facilityIdx[i]];
	const { mPerDegLon, mPerDegLat } = metresPerDegree(latSum / k);
	const index = new KDBush(k);
	for (let i = 0; i < k; i++) {
		const f = facilityIdx[i];
		index.add(facilities.lon[f] * mPerDegLon, facilities.lat[f] * mPerDegLat);
	}
	index.finish();
	const maxDistM = (cutoffS * profile.defaultSpeedMps) / profile.detourFactor;
	if (!Number.isFinite(maxDistM)) throw new Error('nearestByRadius: cutoff must be finite');
	// Growing search: most cells have a facility within a few hundred metres, so querying the full cutoff
	// radius (thousands of candidates for a 60-minute cycle) wastes time. Query a small box, grow it until a
	// facility is found, then once more out to the padded best distance so no nearer facility can be missed.
	const pad = (dM: number) => dM * 1.02 + 50; // equirectangular error across a region's latitude span
	const capM = pad(maxDistM);
	for (let t = 0; t < targets.count; t++) {
		if (only && !only(t)) continue;
		const lon = targets.lon[t],
			lat = targets.lat[t];
		const x = lon * mPerDegLon,
			y = lat * mPerDegLat;
		let best = Infinity,
			bestF = -1;
		const scan = (hits: number[]) => {
			for (const h of hits) {
				const f = facilityIdx[h];
				const d = haversineM(lon, lat, facilities.lon[f], facilities.lat[f]);
				if (d < best || (d === best && f < bestF)) {
					best = d;
					bestF = f;
				}
			}
		};
		let r = Math.min(800, capM);
		for (;;) {
			const hits = index.within(x, y, r);
			if (hits.length > 0) {
				scan(hits);
				const need = Math.min(pad(best), capM);
				if (need > r) scan(index.within(x, y, need));
				break;
			}
			if (r >= capM) break;
			r = Math.min(r * 3, capM);
		}
		if (bestF >= 0 && best <= maxDistM) {
			outSeconds[t] = radiusSeconds(best, profile);
			outFacility[t] = bestF;
		}
	}
}
