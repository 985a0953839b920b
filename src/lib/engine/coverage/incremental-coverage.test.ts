import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSession } from '../../../../scripts/lib/load-built';
import { buildRoot } from '../../../../scripts/lib/paths';
import type { BuiltRegion } from '../built-region';
import { buildCsr, renumberHilbert } from '../graph/csr';
import { createSnapper } from '../graph/snap';
import { bboxOf, haversineM, metresPerDegree } from '../geo/measure';
import { DRIVE, PROFILES, WALK, type ModeProfile } from '../modes';
import { createRng, partlyOneWayDrive, randomGraph } from '../routing/testing/random-graphs';
import { CoverageSession, type CoverageSettings } from '../session';
import { generateSyntheticArcs, generateSyntheticCity } from '../synthetic';
import type { CellResult, CellTable, CsrGraph, Facility, MethodChoice, Mode } from '../types';
import { METHOD_CODES } from '../types';
import { computeCoverage, prepareNetwork, type CoverageRun, type NetworkContext } from './coverage';
import { IncrementalCoverage, type CoverageScenario } from './incremental-coverage';

// ---- helpers ----

function cellTable(lon: number[], lat: number[], areaIndex?: number[]): CellTable {
	return {
		resolution: 9,
		count: lon.length,
		h3: lon.map((_, i) => `c${i}`),
		lon: Float64Array.from(lon),
		lat: Float64Array.from(lat),
		population: new Float64Array(lon.length).fill(100),
		areaIndex: Int32Array.from(areaIndex ?? lon.map(() => 0)),
		populationMethod: 'uniform'
	};
}

/** First cell where two results differ bitwise (Float32 bits of minutes, facility, method), or -1. */
function firstDifference(a: CellResult, b: CellResult): number {
	const am = new Uint32Array(a.minutes.buffer, a.minutes.byteOffset, a.minutes.length);
	const bm = new Uint32Array(b.minutes.buffer, b.minutes.byteOffset, b.minutes.length);
	if (am.length !== bm.length) return 0;
	for (let c = 0; c < am.length; c++) if (am[c] !== bm[c] || a.facility[c] !== b.facility[c] || a.method[c] !== b.method[c]) return c;
	return -1;
}

function copyResult(r: CellResult): CellResult {
	return { minutes: r.minutes.slice(), facility: r.facility.slice(), method: r.method.slice() };
}

/** A fresh full run on the scenario's current facilities (network context re-snapped for them). */
function freshRun(sc: CoverageScenario, cells: CellTable, profile: ModeProfile, method: MethodChoice, cutoffMinutes: number, net: NetworkContext | null): CoverageRun {
	const facilities = sc.facilityPositions();
	let network: NetworkContext | null = null;
	if (net) {
		const lons = facilities.map((f) => f.lon),
			lats = facilities.map((f) => f.lat);
		const snapper = net.snapper ?? createSnapper(net.graph, profile.accessSpeedMps);
		network = { ...net, facilitySnap: snapper.snapMany(lons, lats, net.maxFacilityAccessM) };
	}
	return computeCoverage({ cells, facilities, active: sc.activeIndices(), profile, method, cutoffMinutes, network });
}

function bbox(g: CsrGraph) {
	const [w, s, e, n] = bboxOf(g.lon, g.lat);
	return { w, s, e, n };
}

/** Random points: near a random node (jitter up to jitterM), or anywhere in the box widened by marginM. */
function pointMaker(g: CsrGraph, rng: () => number, marginM: number) {
	const b = bbox(g);
	const { mPerDegLon, mPerDegLat } = metresPerDegree((b.s + b.n) / 2);
	return {
		nearNode(jitterM: number): [number, number] {
			const v = Math.floor(rng() * g.nodeCount);
			return [g.lon[v] + ((rng() * 2 - 1) * jitterM) / mPerDegLon, g.lat[v] + ((rng() * 2 - 1) * jitterM) / mPerDegLat];
		},
		anywhere(): [number, number] {
			return [b.w - marginM / mPerDegLon + rng() * (b.e - b.w + (2 * marginM) / mPerDegLon), b.s - marginM / mPerDegLat + rng() * (b.n - b.s + (2 * marginM) / mPerDegLat)];
		},
		near(lon: number, lat: number, jitterM: number): [number, number] {
			return [lon + ((rng() * 2 - 1) * jitterM) / mPerDegLon, lat + ((rng() * 2 - 1) * jitterM) / mPerDegLat];
		}
	};
}

interface Tally {
	ops: number;
	changedCells: number;
	partialOps: number;
	methodFlips: number;
}

/** Random add / move / remove; after each, the whole result equals a fresh computeCoverage. */
function runRandomEdits(
	label: string,
	g: CsrGraph,
	rng: () => number,
	profile: ModeProfile,
	method: MethodChoice,
	cutoffMinutes: number,
	steps: number,
	tally: Tally,
	sizes: { cells: number; facilities: number; marginM: number; jitterM: number }
): void {
	const pts = pointMaker(g, rng, sizes.marginM);
	const cl: number[] = [],
		ca: number[] = [];
	for (let i = 0; i < sizes.cells; i++) {
		const [x, y] = rng() < 0.6 ? pts.nearNode(sizes.jitterM) : pts.anywhere();
		cl.push(x);
		ca.push(y);
	}
	const cells = cellTable(cl, ca);
	const facilities: { lon: number; lat: number }[] = [];
	for (let i = 0; i < sizes.facilities; i++) {
		const [x, y] = rng() < 0.7 ? pts.nearNode(sizes.jitterM) : pts.anywhere();
		facilities.push({ lon: x, lat: y });
	}
	const active = facilities.flatMap((_, i) => (rng() < 0.75 ? [i] : []));
	const net = method === 'radius' && rng() < 0.5 ? null : prepareNetwork(g, cells, facilities, profile, { keepSnapper: rng() < 0.5 });
	const inc = new IncrementalCoverage({ cells, facilities, active, profile, method, cutoffMinutes, network: net });
	const check = (what: string, before: CellResult | null) => {
		const full = freshRun(inc, cells, profile, method, cutoffMinutes, net);
		const c = firstDifference(inc.result, full.result);
		expect(c, `${label} ${what}: cell ${c} incremental ${c >= 0 ? [inc.result.minutes[c], inc.result.facility[c], inc.result.method[c]] : ''} full ${c >= 0 ? [full.result.minutes[c], full.result.facility[c], full.result.method[c]] : ''}`).toBe(-1);
		expect(inc.diagnostics, `${label} ${what}: diagnostics`).toEqual({
			unsnappedFacilities: full.unsnappedFacilities,
			offNetworkCells: full.offNetworkCells,
			fallbackCells: full.fallbackCells
		});
		if (!before) return;
		// changedCells() names every cell whose result changed, once each
		const changed = inc.changedCells();
		const set = new Set(changed);
		expect(set.size, `${label} ${what}: changedCells repeats`).toBe(changed.length);
		for (let k = 0; k < cells.count; k++) {
			const diff = !Object.is(before.minutes[k], full.result.minutes[k]) || before.facility[k] !== full.result.facility[k] || before.method[k] !== full.result.method[k];
			if (diff) expect(set.has(k), `${label} ${what}: cell ${k} changed but not reported`).toBe(true);
			if (before.method[k] !== full.result.method[k]) tally.methodFlips++;
		}
		tally.changedCells += changed.length;
		if (changed.length < cells.count / 2) tally.partialOps++;
	};
	check('start', null);
	for (let step = 0; step < steps; step++) {
		const before = copyResult(inc.result);
		const act = Array.from(inc.activeIndices());
		const positions = inc.facilityPositions();
		const r = rng();
		const pickSite = (): [number, number] => {
			const q = rng();
			if (q < 0.15 && positions.length > 0) {
				const o = positions[Math.floor(rng() * positions.length)]; // exactly on another facility: ties
				return [o.lon, o.lat];
			}
			if (q < 0.6) return pts.nearNode(sizes.jitterM);
			return pts.anywhere();
		};
		let what: string;
		if (act.length === 0 || r < 0.3) {
			const [x, y] = pickSite();
			const f = inc.addFacility(x, y);
			expect(f).toBe(positions.length);
			what = `step ${step} add ${f}`;
		} else if (r < 0.5) {
			const f = act[Math.floor(rng() * act.length)];
			inc.removeFacility(f);
			what = `step ${step} remove ${f}`;
		} else {
			const f = act[Math.floor(rng() * act.length)];
			const q = rng();
			const [x, y] = q < 0.1 ? [positions[f].lon, positions[f].lat] : q < 0.55 ? pts.near(positions[f].lon, positions[f].lat, 400) : pickSite();
			inc.moveFacility(f, x, y);
			what = `step ${step} move ${f}`;
		}
		tally.ops++;
		check(what, before);
	}
}

// ---- tests ----

describe('IncrementalCoverage on a hand-drawn street (A-B-C, and a piece D-E 3 km east)', () => {
	const LAT = 31.2;
	const lon = [121.4, 121.402, 121.404, 121.44, 121.442];
	const d = (a: number, b: number) => haversineM(lon[a], LAT, lon[b], LAT);
	const pairs = [
		[0, 1],
		[1, 2],
		[3, 4]
	].flatMap(([a, b]) => [
		[a, b],
		[b, a]
	]);
	const g = buildCsr({
		mode: 'walk',
		lon: Float64Array.from(lon),
		lat: new Float64Array(5).fill(LAT),
		symmetric: true,
		arcs: {
			from: Uint32Array.from(pairs.map((p) => p[0])),
			to: Uint32Array.from(pairs.map((p) => p[1])),
			weightS: Float32Array.from(pairs.map(([a, b]) => d(a, b) / WALK.defaultSpeedMps)),
			lengthM: Float32Array.from(pairs.map(([a, b]) => d(a, b))),
			count: pairs.length
		}
	});
	const cells = cellTable([lon[2], lon[3]], [LAT, LAT]); // at C, at D

	it('auto: a clinic on the empty piece switches its cells to the network method, and back when it closes', () => {
		const facilities = [{ lon: lon[0], lat: LAT }];
		const net = prepareNetwork(g, cells, facilities, WALK);
		const inc = new IncrementalCoverage({ cells, facilities, active: [0], profile: WALK, method: 'auto', cutoffMinutes: 90, network: net });
		const radiusMin = (m: number) => (m * WALK.detourFactor) / WALK.defaultSpeedMps / 60;
		expect(inc.result.method[1]).toBe(METHOD_CODES.radius);
		expect(inc.result.minutes[1]).toBeCloseTo(radiusMin(d(0, 3)), 4);
		expect(inc.diagnostics.fallbackCells).toBe(1);

		const f = inc.addFacility(lon[4], LAT); // at E
		expect(f).toBe(1);
		expect(inc.result.method[1]).toBe(METHOD_CODES.network);
		expect(inc.result.facility[1]).toBe(1);
		expect(inc.result.minutes[1]).toBeCloseTo(d(3, 4) / WALK.defaultSpeedMps / 60, 4); // E -> D along the street
		expect(Array.from(inc.changedCells())).toEqual([1]); // the cell at C keeps its clinic at A
		expect(inc.diagnostics.fallbackCells).toBe(0);

		inc.moveFacility(0, lon[2], LAT); // A's clinic moves to C
		expect(inc.result.minutes[0]).toBeCloseTo(0, 6);

		inc.removeFacility(1);
		expect(inc.result.method[1]).toBe(METHOD_CODES.radius);
		expect(inc.result.facility[1]).toBe(0);
		expect(inc.result.minutes[1]).toBeCloseTo(radiusMin(d(2, 3)), 4); // now from C, by straight line
		expect(inc.isActive(1)).toBe(false);
		expect(Array.from(inc.activeIndices())).toEqual([0]);
	});

	it('radius: equal distances go to the lower index; a closed clinic hands its cells to the next nearest', () => {
		const facilities = [
			{ lon: lon[1], lat: LAT },
			{ lon: lon[3], lat: LAT }
		];
		const inc = new IncrementalCoverage({ cells, facilities, active: [0, 1], profile: WALK, method: 'radius', cutoffMinutes: 90 }); // 5.4 km radius
		expect(Array.from(inc.result.facility)).toEqual([0, 1]);
		inc.moveFacility(1, lon[1], LAT); // same site as 0: 0 wins every tie
		expect(Array.from(inc.result.facility)).toEqual([0, 0]);
		const g2 = inc.addFacility(lon[2], LAT); // at C: nearest for both cells
		expect(Array.from(inc.result.facility)).toEqual([g2, g2]);
		inc.removeFacility(g2);
		expect(Array.from(inc.result.facility)).toEqual([0, 0]);
		inc.removeFacility(0);
		expect(Array.from(inc.result.facility)).toEqual([1, 1]);
		expect(inc.result.minutes[1]).toBeCloseTo((d(1, 3) * WALK.detourFactor) / WALK.defaultSpeedMps / 60, 4);
	});

	it('network: a cell midway between two equally near clinics goes to the lower index', () => {
		// nodes 0-1-2-3 on a parallel at binary-exact longitudes, 10 s per arc; the cell sits north of the
		// exact middle of arc 1-2 (t = 0.5), so both ways cost 10 + 5 s plus the same access leg
		const step = 2 ** -8;
		const lons = [0, 1, 2, 3].map((i) => 121 + i * step);
		const arcs = [0, 1, 2].flatMap((i) => [
			[i, i + 1],
			[i + 1, i]
		]);
		const line = buildCsr({
			mode: 'walk',
			lon: Float64Array.from(lons),
			lat: new Float64Array(4).fill(31),
			symmetric: true,
			arcs: {
				from: Uint32Array.from(arcs.map((a) => a[0])),
				to: Uint32Array.from(arcs.map((a) => a[1])),
				weightS: new Float32Array(arcs.length).fill(10),
				lengthM: new Float32Array(arcs.length).fill(12.5),
				count: arcs.length
			}
		});
		const mid = cellTable([121 + 1.5 * step], [31.0005]);
		for (const [atNode0, atNode3] of [
			[0, 1],
			[1, 0]
		]) {
			const facilities = [0, 1].map(() => ({ lon: lons[1], lat: 31 }));
			const net = prepareNetwork(line, mid, facilities, WALK);
			const inc = new IncrementalCoverage({ cells: mid, facilities, active: [0, 1], profile: WALK, method: 'network', cutoffMinutes: 10, network: net });
			inc.moveFacility(atNode0, lons[0], 31);
			inc.moveFacility(atNode3, lons[3], 31);
			const accessS = net.cellSnap.accessS[0];
			expect(net.cellSnap.costToUS[0]).toBe(5);
			expect(inc.result.minutes[0]).toBe(Math.fround((15 + accessS) / 60));
			expect(inc.result.facility[0]).toBe(0);
		}
	});

	it('rejects impossible edits with a clear message', () => {
		const facilities = [{ lon: lon[0], lat: LAT }];
		const inc = new IncrementalCoverage({ cells, facilities, active: [], profile: WALK, method: 'radius', cutoffMinutes: 60 });
		expect(() => inc.removeFacility(0)).toThrow(/facility 0 is not active/);
		expect(() => inc.moveFacility(3, lon[0], LAT)).toThrow(/facility 3 is not active/);
		expect(() => inc.addFacility(NaN, LAT)).toThrow(/not a WGS84/);
		expect(() => inc.addFacility(LAT, 121)).toThrow(/not a WGS84/); // [lat, lon] swapped
		expect(() => new IncrementalCoverage({ cells, facilities, active: [0, 0], profile: WALK, method: 'radius', cutoffMinutes: 60 })).toThrow(/appears twice/);
		expect(() => new IncrementalCoverage({ cells, facilities, active: [1], profile: WALK, method: 'radius', cutoffMinutes: 60 })).toThrow(/active\[0\] = 1/);
	});
});

describe('IncrementalCoverage equals a full computeCoverage after every random edit', () => {
	const methods: MethodChoice[] = ['network', 'radius', 'auto'];
	const cutoffs = [1, 3, 8, 20];

	for (const symmetric of [true, false]) {
		it(`random ${symmetric ? 'symmetric (walk)' : 'directed (drive)'} graphs with several pieces`, () => {
			const tally: Tally = { ops: 0, changedCells: 0, partialOps: 0, methodFlips: 0 };
			for (let s = 1; s <= 30; s++) {
				const rng = createRng(s * 7919 + (symmetric ? 1 : 2));
				const g = randomGraph(rng, { nodes: 80 + Math.floor(rng() * 300), symmetric, parts: 1 + (s % 4), weights: s % 2 ? 'int' : 'mixed' });
				const profile = symmetric ? WALK : DRIVE;
				for (const method of methods)
					runRandomEdits(`${symmetric ? 'sym' : 'dir'} seed ${s} ${method}`, g, rng, profile, method, cutoffs[s % 4], 25, tally, {
						cells: 150,
						facilities: 2 + Math.floor(rng() * 10),
						marginM: 800,
						jitterM: 250
					});
			}
			expect(tally.ops).toBe(30 * 3 * 25);
			expect(tally.partialOps).toBeGreaterThan(tally.ops / 2); // most edits repaint a minority of cells
			expect(tally.methodFlips).toBeGreaterThan(20); // auto's piece fallback really switched
		});
	}

	it('small synthetic cities (walk), more facilities and cells', () => {
		const tally: Tally = { ops: 0, changedCells: 0, partialOps: 0, methodFlips: 0 };
		for (let s = 1; s <= 3; s++) {
			const g = generateSyntheticCity({ nodes: 2500, seed: s });
			const rng = createRng(s * 31);
			for (const method of methods)
				runRandomEdits(`city ${s} ${method}`, g, rng, WALK, method, [5, 10, 20][s - 1], 30, tally, {
					cells: 400,
					facilities: 25,
					marginM: 600,
					jitterM: 400
				});
		}
		expect(tally.ops).toBe(3 * 3 * 30);
		expect(tally.changedCells / tally.ops).toBeLessThan(400 / 2);
	});
});

describe('CoverageSession.startScenario (per-area modes) equals compute() on the edited facilities', () => {
	it('walk in one area, drive on a partly one-way network in the other; summaries agree', () => {
		const input = generateSyntheticArcs({ nodes: 2000, seed: 5 });
		const walk = renumberHilbert(buildCsr(input)).graph;
		// a drive network on the same streets: about a third of them one-way
		const rng = createRng(99);
		const drive = partlyOneWayDrive(input, rng, 0.67, 0.83);
		const pts = pointMaker(walk, rng, 300);
		const cl: number[] = [],
			ca: number[] = [],
			area: number[] = [];
		const b = bbox(walk);
		for (let i = 0; i < 500; i++) {
			const [x, y] = rng() < 0.8 ? pts.nearNode(200) : pts.anywhere();
			cl.push(x);
			ca.push(y);
			area.push(x < (b.w + b.e) / 2 ? 0 : 1);
		}
		const cells = cellTable(cl, ca, area);
		const facilities: Facility[] = [];
		for (let i = 0; i < 12; i++) {
			const [x, y] = pts.nearNode(100);
			facilities.push({ id: `f${i}`, name: `SYNTHETIC ${i}`, level: i % 4 === 3 ? 'hospital' : 'chc', lon: x, lat: y, source: 'synthetic' });
		}
		const region = {
			id: 'synthetic-test',
			areas: [
				{ id: 'west', name: 'West', bbox: [b.w, b.s, b.e, b.n] },
				{ id: 'east', name: 'East', bbox: [b.w, b.s, b.e, b.n] }
			]
		} as unknown as BuiltRegion;
		const graphs = { walk, drive };
		const settings: CoverageSettings = { mode: 'walk', maxMinutes: 15, levels: ['chc'], targetShare: 0.9, method: 'auto', areaModeRules: [{ areaIds: ['east'], mode: 'drive' }] };
		const session = new CoverageSession(region, facilities, cells, graphs);
		const sc = session.startScenario(settings);
		const fresh = () => {
			const edited: Facility[] = sc.facilityPositions().map((p, i) => ({ id: `f${i}`, name: `SYNTHETIC ${i}`, level: sc.isActive(i) ? 'chc' : 'hospital', lon: p.lon, lat: p.lat, source: 'synthetic' }));
			return new CoverageSession(region, edited, cells, graphs).compute(settings);
		};
		expect(firstDifference(sc.result, fresh().result)).toBe(-1);
		let reported = 0;
		for (let step = 0; step < 30; step++) {
			const before = copyResult(sc.result);
			const act = Array.from(sc.activeIndices());
			const r = rng();
			if (act.length === 0 || r < 0.3) sc.addFacility(...pts.nearNode(150));
			else if (r < 0.5) sc.removeFacility(act[Math.floor(rng() * act.length)]);
			else sc.moveFacility(act[Math.floor(rng() * act.length)], ...pts.nearNode(150));
			const full = fresh();
			expect(firstDifference(sc.result, full.result), `step ${step}`).toBe(-1);
			expect(session.summarizeScenario(sc, settings)).toEqual(full.summary);
			const changed = new Set(sc.changedCells());
			for (let c = 0; c < cells.count; c++)
				if (firstDifference({ minutes: before.minutes.subarray(c, c + 1), facility: before.facility.subarray(c, c + 1), method: before.method.subarray(c, c + 1) }, { minutes: sc.result.minutes.subarray(c, c + 1), facility: sc.result.facility.subarray(c, c + 1), method: sc.result.method.subarray(c, c + 1) }) >= 0) {
					reported++;
					expect(changed.has(c), `step ${step} cell ${c}`).toBe(true);
				}
		}
		expect(reported).toBeGreaterThan(30);
		// compute() itself is unchanged by a scenario
		expect(firstDifference(session.compute(settings).result, new CoverageSession(region, facilities, cells, graphs).compute(settings).result)).toBe(-1);
	});
});

// ---- real built regions (skipped when data/build/<id> is absent) ----

for (const id of ['xixiang', 'lingqiu']) {
	const built = existsSync(path.join(buildRoot, id, 'region.json'));
	describe.skipIf(!built)(`IncrementalCoverage on the built ${id} region (real network, real facilities)`, () => {
		it('random moves, additions and closures equal full recomputes (walk auto, drive network, cycle radius)', () => {
			const session = loadSession(id);
			const runs: [Mode, MethodChoice][] = [
				['walk', 'auto'],
				['drive', 'network'],
				['cycle', 'radius']
			];
			let ops = 0,
				changed = 0;
			for (const [mode, method] of runs) {
				const net = method === 'radius' ? null : session.network(mode);
				if (method !== 'radius' && !net) continue;
				const profile = PROFILES[mode];
				if (net && !net.snapper) net.snapper = createSnapper(net.graph, profile.accessSpeedMps);
				const active = session.activeIndices(session.region.manifest.policy.levels);
				const inc = new IncrementalCoverage({ cells: session.cells, facilities: session.facilities, active, profile, method, cutoffMinutes: 60, network: net });
				const g = session.graphs[mode]!;
				const rng = createRng(id.length * 1000 + ops);
				const pts = pointMaker(g, rng, 0);
				for (let step = 0; step < 25; step++) {
					const act = Array.from(inc.activeIndices());
					const pos = inc.facilityPositions();
					const r = rng();
					if (act.length === 0 || r < 0.2) inc.addFacility(...pts.nearNode(300));
					else if (r < 0.35) inc.removeFacility(act[Math.floor(rng() * act.length)]);
					else {
						const f = act[Math.floor(rng() * act.length)];
						inc.moveFacility(f, ...(rng() < 0.7 ? pts.near(pos[f].lon, pos[f].lat, 3000) : pts.nearNode(300)));
					}
					ops++;
					changed += inc.changedCells().length;
					const full = freshRun(inc, session.cells, profile, method, 60, net);
					expect(firstDifference(inc.result, full.result), `${id} ${mode} ${method} step ${step}`).toBe(-1);
				}
			}
			expect(ops).toBeGreaterThanOrEqual(50);
			expect(changed).toBeGreaterThan(ops); // the edits really changed cells
		}, 60_000);
	});
}

describe('IncrementalCoverage.restoreFacility: a restored facility takes its old slot back', () => {
	it('remove then restore gives back the same result bit for bit; restore of an active slot is refused', () => {
		const g = generateSyntheticCity({ nodes: 2500, seed: 4 });
		const rng = createRng(77);
		const pts = pointMaker(g, rng, 300);
		const cl: number[] = [],
			ca: number[] = [];
		for (let i = 0; i < 300; i++) {
			const [x, y] = pts.nearNode(300);
			cl.push(x);
			ca.push(y);
		}
		const cells = cellTable(cl, ca);
		const facilities = Array.from({ length: 12 }, () => {
			const [lon, lat] = pts.nearNode(100);
			return { lon, lat };
		});
		facilities[5] = { ...facilities[4] }; // a tie: 4 wins, so 5 must come back behind it
		for (const method of ['network', 'radius', 'auto'] as MethodChoice[]) {
			const net = method === 'radius' ? null : prepareNetwork(g, cells, facilities, WALK, { keepSnapper: true });
			const inc = new IncrementalCoverage({ cells, facilities, active: facilities.map((_, i) => i), profile: WALK, method, cutoffMinutes: 10, network: net });
			const start = copyResult(inc.result);
			for (const f of [4, 5, 0]) {
				inc.removeFacility(f);
				expect(inc.isActive(f)).toBe(false);
				inc.restoreFacility(f, facilities[f].lon, facilities[f].lat);
				expect(inc.isActive(f)).toBe(true);
				expect(firstDifference(inc.result, start), `${method} facility ${f}`).toBe(-1);
			}
			expect(inc.facilityCount).toBe(12);
			// restore at another site equals a full run with the facility there
			inc.removeFacility(3);
			const [x, y] = pts.nearNode(50);
			inc.restoreFacility(3, x, y);
			expect(firstDifference(inc.result, freshRun(inc, cells, WALK, method, 10, net).result)).toBe(-1);
			// a reserved slot changes nothing until restored
			const before = copyResult(inc.result);
			const r = inc.reserveFacility(x, y);
			expect(r).toBe(12);
			expect(inc.isActive(r)).toBe(false);
			expect(firstDifference(inc.result, before)).toBe(-1);
			inc.restoreFacility(r, x, y);
			expect(firstDifference(inc.result, freshRun(inc, cells, WALK, method, 10, net).result)).toBe(-1);
			expect(() => inc.restoreFacility(3, x, y)).toThrow(/not an inactive facility slot/);
			expect(() => inc.restoreFacility(99, x, y)).toThrow(/not an inactive facility slot/);
		}
	});
});
