import { describe, expect, it } from 'vitest';
import { haversineM } from '../geo/measure';
import { WALK, CYCLE } from '../modes';
import { nearestByRadius, radiusSeconds } from './radius';

function lcg(seed: number) {
	let s = seed >>> 0;
	return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('service-radius method', () => {
	it('walk defaults put the 15-minute radius at 900 m (GB 50180: 800-1000 m)', () => {
		expect(radiusSeconds(900, WALK)).toBeCloseTo(900, 9);
		expect(radiusSeconds(900, WALK) / 60).toBeCloseTo(15, 9);
	});

	it('equals brute force nearest-by-haversine on random points, honouring the cutoff and ties', () => {
		for (const profile of [WALK, CYCLE]) {
			const rnd = lcg(profile === WALK ? 7 : 8);
			const nf = 40,
				nc = 500;
			const flon = Array.from({ length: nf }, () => 121.4 + rnd() * 0.1);
			const flat = Array.from({ length: nf }, () => 31.2 + rnd() * 0.1);
			flon[5] = flon[3]; // a tie: two facilities at one place -> lower index wins
			flat[5] = flat[3];
			const clon = Float64Array.from({ length: nc }, () => 121.38 + rnd() * 0.14);
			const clat = Float64Array.from({ length: nc }, () => 31.18 + rnd() * 0.14);
			const active = Array.from({ length: nf }, (_, i) => i).filter((i) => i % 7 !== 0);
			const cutoffS = 900;
			const secs = new Float64Array(nc);
			const fac = new Int32Array(nc);
			nearestByRadius({ lon: clon, lat: clat, count: nc }, { lon: flon, lat: flat }, active, profile, cutoffS, secs, fac);
			let reached = 0;
			for (let c = 0; c < nc; c++) {
				let best = Infinity,
					bf = -1;
				for (const f of active) {
					const d = haversineM(clon[c], clat[c], flon[f], flat[f]);
					if (d < best) {
						best = d;
						bf = f;
					}
				}
				const s = (best * profile.detourFactor) / profile.defaultSpeedMps;
				if (s <= cutoffS) {
					reached++;
					expect(fac[c]).toBe(bf);
					expect(secs[c]).toBeCloseTo(s, 6);
				} else {
					expect(fac[c]).toBe(-1);
					expect(secs[c]).toBe(Infinity);
				}
				expect(fac[c]).not.toBe(5); // the tie always goes to facility 3
			}
			expect(reached).toBeGreaterThan(50);
			expect(reached).toBeLessThan(nc);
		}
	});

	it('only evaluates the targets it is asked for', () => {
		const secs = new Float64Array(2);
		const fac = new Int32Array(2);
		nearestByRadius({ lon: [121, 121], lat: [31, 31], count: 2 }, { lon: [121], lat: [31] }, [0], WALK, 900, secs, fac, Uint8Array.of(0, 1));
		expect(fac[0]).toBe(-1);
		expect(fac[1]).toBe(0);
		expect(secs[1]).toBe(0);
	});
});
