/**
 * Chinese map coordinate systems, [lon, lat] in degrees.
 * - WGS84: GPS, OpenStreetMap, WorldPop.
 * - GCJ-02 ("Mars coordinates"): required for maps published in China (Amap/Gaode, Tencent). It shifts points by
 *   roughly 100-700 m with a deliberately irregular function; the forward formula below is the standard public one.
 *   It only applies inside the rough China box (outOfChina); points outside are unchanged.
 * - BD-09: Baidu's further rotation/shift of GCJ-02.
 * There is no closed-form GCJ-02 inverse: we iterate the forward formula (fixed point) to ~1e-9 degrees.
 */
import type { Crs } from '../region';

const A = 6378245.0; // Krasovsky 1940 semi-major axis used by the GCJ-02 formula
const EE = 0.006693421622965943; // its eccentricity squared
const X_PI = (Math.PI * 3000.0) / 180.0; // BD-09 constant

/** The rough bounding box used by the public GCJ-02 formula; outside it GCJ-02 = WGS84. */
export function outOfChina(lon: number, lat: number): boolean {
	return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function transformLat(x: number, y: number): number {
	let ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
	ret += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
	ret += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
	ret += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
	return ret;
}

function transformLon(x: number, y: number): number {
	let ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
	ret += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
	ret += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
	ret += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
	return ret;
}

/** GCJ-02 offset (degrees) to add to a WGS84 point. */
function gcjDelta(lon: number, lat: number): [number, number] {
	let dLat = transformLat(lon - 105.0, lat - 35.0);
	let dLon = transformLon(lon - 105.0, lat - 35.0);
	const radLat = (lat / 180.0) * Math.PI;
	let magic = Math.sin(radLat);
	magic = 1 - EE * magic * magic;
	const sqrtMagic = Math.sqrt(magic);
	dLat = (dLat * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
	dLon = (dLon * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
	return [dLon, dLat];
}

export function wgs84ToGcj02(lon: number, lat: number): [number, number] {
	if (outOfChina(lon, lat)) return [lon, lat];
	const [dLon, dLat] = gcjDelta(lon, lat);
	return [lon + dLon, lat + dLat];
}

/**
 * Inverse by fixed-point iteration: find w with forward(w) = g. The offset varies slowly (its gradient is
 * ~1e-3 per degree), so each step gains about three digits; we stop below 1e-9 degrees (~0.1 mm).
 */
export function gcj02ToWgs84(lon: number, lat: number): [number, number] {
	if (outOfChina(lon, lat)) return [lon, lat];
	let wLon = lon;
	let wLat = lat;
	for (let i = 0; i < 30; i++) {
		const [gLon, gLat] = wgs84ToGcj02(wLon, wLat);
		const eLon = gLon - lon;
		const eLat = gLat - lat;
		wLon -= eLon;
		wLat -= eLat;
		if (Math.abs(eLon) < 1e-9 && Math.abs(eLat) < 1e-9) break;
	}
	return [wLon, wLat];
}

/** Baidu BD-09 from GCJ-02 (the standard public formula). */
export function gcj02ToBd09(lon: number, lat: number): [number, number] {
	const z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * X_PI);
	const theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * X_PI);
	return [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006];
}

/**
 * GCJ-02 from BD-09. The public closed form is accurate to ~1e-6 degrees; two Newton-like correction steps
 * against the forward formula bring it below 1e-9, so BD-09 round trips are exact to the millimetre.
 */
export function bd09ToGcj02(lon: number, lat: number): [number, number] {
	const x = lon - 0.0065;
	const y = lat - 0.006;
	const z = Math.sqrt(x * x + y * y) - 0.00002 * Math.sin(y * X_PI);
	const theta = Math.atan2(y, x) - 0.000003 * Math.cos(x * X_PI);
	let gLon = z * Math.cos(theta);
	let gLat = z * Math.sin(theta);
	for (let i = 0; i < 5; i++) {
		const [bLon, bLat] = gcj02ToBd09(gLon, gLat);
		const eLon = bLon - lon;
		const eLat = bLat - lat;
		gLon -= eLon;
		gLat -= eLat;
		if (Math.abs(eLon) < 1e-10 && Math.abs(eLat) < 1e-10) break;
	}
	return [gLon, gLat];
}

/** Convert a point in `crs` to WGS84. WGS84 input is returned unchanged (never shift WGS84 data). */
export function toWgs84(lon: number, lat: number, crs: Crs): [number, number] {
	switch (crs) {
		case 'wgs84':
			return [lon, lat];
		case 'gcj02':
			return gcj02ToWgs84(lon, lat);
		case 'bd09': {
			const [gLon, gLat] = bd09ToGcj02(lon, lat);
			return gcj02ToWgs84(gLon, gLat);
		}
	}
}

/** Convert a WGS84 point to `crs`. */
export function fromWgs84(lon: number, lat: number, crs: Crs): [number, number] {
	switch (crs) {
		case 'wgs84':
			return [lon, lat];
		case 'gcj02':
			return wgs84ToGcj02(lon, lat);
		case 'bd09': {
			const [gLon, gLat] = wgs84ToGcj02(lon, lat);
			return gcj02ToBd09(gLon, gLat);
		}
	}
}
