/** Distances on the sphere, metres. */
const R = 6_371_008.8; // mean Earth radius (IUGG), as Turf uses
export const RAD = Math.PI / 180;

export function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
	return haversineWithCosM(lon1, lat1, Math.cos(lat1 * RAD), lon2, lat2, Math.cos(lat2 * RAD));
}

/** haversineM with cos(lat * RAD) of each end supplied (indexes keep them per point); the same bits. */
export function haversineWithCosM(lon1: number, lat1: number, cosLat1: number, lon2: number, lat2: number, cosLat2: number): number {
	const dLat = (lat2 - lat1) * RAD;
	const dLon = (lon2 - lon1) * RAD;
	const a = Math.sin(dLat / 2) ** 2 + cosLat1 * cosLat2 * Math.sin(dLon / 2) ** 2;
	return 2 * R * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Metres per degree of longitude and latitude at a latitude (local equirectangular frame). */
export function metresPerDegree(lat: number): { mPerDegLon: number; mPerDegLat: number } {
	const mPerDegLat = R * RAD;
	return { mPerDegLon: mPerDegLat * Math.cos(lat * RAD), mPerDegLat };
}

/** Bounding box [west, south, east, north] of coordinate arrays (Infinity box when empty). */
export function bboxOf(lon: ArrayLike<number>, lat: ArrayLike<number>): [number, number, number, number] {
	let w = Infinity,
		so = Infinity,
		e = -Infinity,
		n = -Infinity;
	for (let i = 0; i < lon.length; i++) {
		if (lon[i] < w) w = lon[i];
		if (lon[i] > e) e = lon[i];
		if (lat[i] < so) so = lat[i];
		if (lat[i] > n) n = lat[i];
	}
	return [w, so, e, n];
}
