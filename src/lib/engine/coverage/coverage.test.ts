import { describe, expect, it } from 'vitest';
import { buildCsr } from '../graph/csr';
import { haversineM, metresPerDegree } from '../geo/measure';
import { DRIVE, WALK } from '../modes';
import type { CellTable } from '../types';
import { METHOD_CODES } from '../types';
import { computeCoverage, prepareNetwork } from './coverage';

// A street A-B-C along a parallel, and a separate piece D-E 3 km east that no facility reaches.
const LAT = 31.2;
const { mPerDegLat } = metresPerDegree(LAT);
const lon = Float64Array.from([121.4, 121.402, 121.404, 121.44, 121.442]);
const lat = Float64Array.from([LAT, LAT, LAT, LAT, LAT]);
const d = (a: number, b: number) => haversineM(lon[a], lat[a], lon[b], lat[b]);

function graph(speed: number, directed = false) {
	const pairs: [number, number][] = [
		[0, 1],
		[1, 2],
		[3, 4]
	];
	const arcs: [number, number][] = directed ? pairs : pairs.flatMap(([a, b]) => [[a, b] as [number, number], [b, a] as [number, number]]);
	return buildCsr({
		mode: directed ? 'drive' : 'walk',
		lon,
		lat,
		symmetric: !directed,
		arcs: {
			from: Uint32Array.from(arcs.map((a) => a[0])),
			to: Uint32Array.from(arcs.map((a) => a[1])),
			weightS: Float32Array.from(arcs.map(([a, b]) => d(a, b) / speed)),
			lengthM: Float32Array.from(arcs.map(([a, b]) => d(a, b))),
			count: arcs.length
		}
	});
}

function cells(points: [number, number][]): CellTable {
	return {
		resolution: 9,
		count: points.length,
		h3: points.map((_, i) => `c${i}`),
		lon: Float64Array.from(points.map((p) => p[0])),
		lat: Float64Array.from(points.map((p) => p[1])),
		population: new Float64Array(points.length).fill(100),
		areaIndex: new Int32Array(points.length),
		populationMethod: 'uniform'
	};
}

describe('network coverage on a hand-drawn street', () => {
	const g = graph(WALK.defaultSpeedMps);
	const northOfB: [number, number] = [lon[1], LAT + 100 / mPerDegLat]; // 100 m off the street
	const table = cells([
		[lon[2], LAT], // at C
		northOfB,
		[lon[3], LAT], // on the piece no facility reaches
		[lon[1], LAT + 1000 / mPerDegLat] // 1 km from any road: off the network
	]);
	const facilities = [{ lon: lon[0], lat: LAT }];
	const net = prepareNetwork(g, table, facilities, WALK);

	it('times are hand-computable sums of street legs and the walked access leg', () => {
		const run = computeCoverage({ cells: table, facilities, active: [0], profile: WALK, method: 'auto', cutoffMinutes: 60, network: net });
		const v = WALK.defaultSpeedMps;
		expect(run.result.minutes[0]).toBeCloseTo((d(0, 1) + d(1, 2)) / v / 60, 3);
		expect(run.result.minutes[1]).toBeCloseTo((d(0, 1) + 100) / v / 60, 2);
		expect(Array.from(run.result.method.subarray(0, 2))).toEqual([METHOD_CODES.network, METHOD_CODES.network]);
		expect(run.result.facility[0]).toBe(0);
	});

	it('auto: a piece that reaches no facility, and off-network cells, fall back to the radius method', () => {
		const run = computeCoverage({ cells: table, facilities, active: [0], profile: WALK, method: 'auto', cutoffMinutes: 90, network: net });
		expect(run.result.method[2]).toBe(METHOD_CODES.radius);
		expect(run.result.minutes[2]).toBeCloseTo((d(0, 3) * WALK.detourFactor) / WALK.defaultSpeedMps / 60, 3);
		expect(run.result.method[3]).toBe(METHOD_CODES.radius);
		expect(run.fallbackCells).toBe(1);
		expect(run.offNetworkCells).toBe(1);
	});

	it('network only: those cells are unreachable, and still say which method was asked', () => {
		const run = computeCoverage({ cells: table, facilities, active: [0], profile: WALK, method: 'network', cutoffMinutes: 60, network: net });
		expect(run.result.minutes[2]).toBe(Infinity);
		expect(run.result.minutes[3]).toBe(Infinity);
		expect(run.result.method[2]).toBe(METHOD_CODES.network);
	});

	it('radius only ignores the network', () => {
		const run = computeCoverage({ cells: table, facilities, active: [0], profile: WALK, method: 'radius', cutoffMinutes: 60, network: net });
		expect(run.result.minutes[0]).toBeCloseTo((d(0, 2) * 1.25) / 1.25 / 60, 3);
		expect(Array.from(run.result.method).every((m) => m === METHOD_CODES.radius)).toBe(true);
	});

	it('the cutoff makes far cells unreachable; no active facility means nobody is covered', () => {
		const cut = computeCoverage({ cells: table, facilities, active: [0], profile: WALK, method: 'network', cutoffMinutes: 5, network: net });
		expect(cut.result.minutes[0]).toBe(Infinity); // C is ~6.4 min away
		const none = computeCoverage({ cells: table, facilities, active: [], profile: WALK, method: 'auto', cutoffMinutes: 60, network: net });
		expect(Array.from(none.result.facility)).toEqual([-1, -1, -1, -1]);
	});
});

describe('direction on a one-way (drive) street', () => {
	it('residents travel to the clinic: downstream of a one-way street they cannot drive back', () => {
		const g = graph(DRIVE.defaultSpeedMps, true); // arcs only A->B->C
		const table = cells([
			[lon[0], LAT], // at A: drives A->B->C to the clinic at C
			[lon[2], LAT] // at C itself
		]);
		const atC = [{ lon: lon[2], lat: LAT }];
		const net = prepareNetwork(g, table, atC, DRIVE);
		const run = computeCoverage({ cells: table, facilities: atC, active: [0], profile: DRIVE, method: 'network', cutoffMinutes: 60, network: net });
		expect(run.result.minutes[0]).toBeCloseTo((d(0, 1) + d(1, 2)) / DRIVE.defaultSpeedMps / 60, 3);
		expect(run.result.minutes[1]).toBeCloseTo(0, 6);
		// clinic at A: from C there is no way back along the one-way street
		const atA = [{ lon: lon[0], lat: LAT }];
		const net2 = prepareNetwork(g, table, atA, DRIVE);
		const run2 = computeCoverage({ cells: table, facilities: atA, active: [0], profile: DRIVE, method: 'network', cutoffMinutes: 60, network: net2 });
		expect(run2.result.minutes[1]).toBe(Infinity);
		expect(run2.result.minutes[0]).toBeCloseTo(0, 6);
	});
});
