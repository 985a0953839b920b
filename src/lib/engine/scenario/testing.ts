/**
 * Test fixtures for scenarios: a small SYNTHETIC region (walk streets and partly one-way drive streets, two areas,
 * facilities of four levels, one pair on the same spot for ties) and the independent full recompute.
 */
import type { BuiltRegion } from '../built-region';
import { buildCsr, renumberHilbert } from '../graph/csr';
import { bboxOf, metresPerDegree } from '../geo/measure';
import { createRng, partlyOneWayDrive } from '../routing/testing/random-graphs';
import { CoverageSession, type CoverageSettings } from '../session';
import { generateSyntheticArcs } from '../synthetic';
import type { CellTable, CsrGraph, Facility, FacilityLevel, Mode } from '../types';
import { orderedFacilities, roundCoord, type FacilitySet } from './edits';

export interface Fixture {
	region: BuiltRegion;
	facilities: Facility[];
	cells: CellTable;
	graphs: Partial<Record<Mode, CsrGraph>>;
	point(): [number, number];
}

export function fixture(seed: number): Fixture {
	const input = generateSyntheticArcs({ nodes: 1500, seed });
	const walk = renumberHilbert(buildCsr(input)).graph;
	const rng = createRng(seed * 13 + 1);
	const drive = partlyOneWayDrive(input, rng, 0.7, 0.85);
	const [w, s, e, n] = bboxOf(walk.lon, walk.lat);
	const { mPerDegLon, mPerDegLat } = metresPerDegree((s + n) / 2);
	const point = (): [number, number] => {
		if (rng() < 0.7) {
			const v = Math.floor(rng() * walk.nodeCount);
			return [roundCoord(walk.lon[v] + ((rng() * 2 - 1) * 150) / mPerDegLon), roundCoord(walk.lat[v] + ((rng() * 2 - 1) * 150) / mPerDegLat)];
		}
		const m = 400; // some points off the streets (auto: radius method)
		return [roundCoord(w - m / mPerDegLon + rng() * (e - w + (2 * m) / mPerDegLon)), roundCoord(s - m / mPerDegLat + rng() * (n - s + (2 * m) / mPerDegLat))];
	};
	const count = 400;
	const cells: CellTable = {
		resolution: 9,
		count,
		h3: [],
		lon: new Float64Array(count),
		lat: new Float64Array(count),
		population: new Float64Array(count),
		areaIndex: new Int32Array(count),
		populationMethod: 'uniform'
	};
	for (let c = 0; c < count; c++) {
		const [x, y] = point();
		cells.h3.push(`c${c}`);
		cells.lon[c] = x;
		cells.lat[c] = y;
		cells.population[c] = 50 + Math.floor(rng() * 200);
		cells.areaIndex[c] = x < (w + e) / 2 ? 0 : 1;
	}
	const levels: FacilityLevel[] = ['chc', 'chs', 'village_clinic', 'hospital'];
	const facilities: Facility[] = [];
	for (let i = 0; i < 14; i++) {
		const [x, y] = i === 13 ? [facilities[2].lon, facilities[2].lat] : point(); // one pair on the same spot: ties
		facilities.push({ id: `f${String(i).padStart(3, '0')}`, name: `SYNTHETIC ${i}`, level: levels[i % 4], lon: x, lat: y, source: 'synthetic' });
	}
	const region = {
		id: 'synthetic-test',
		inputHash: 'test',
		areas: [
			{ id: 'west', name: 'West', bbox: [w, s, e, n] },
			{ id: 'east', name: 'East', bbox: [w, s, e, n] }
		]
	} as unknown as BuiltRegion;
	return { region, facilities, cells, graphs: { walk, drive }, point };
}

/** Level standing for "not counted" in the reference recompute (no test settings count it). */
export const CLOSED: FacilityLevel = 'other';

/** The independent check: a brand-new session on the scenario's facilities (closed ones not counted), full compute. */
export function fullRecompute(fx: Fixture, set: FacilitySet, settings: CoverageSettings) {
	const list = orderedFacilities(set);
	const facilities: Facility[] = list.map((f) => ({ id: f.id, name: f.name, level: f.open ? f.level : CLOSED, lon: f.lon, lat: f.lat, source: 'scenario' }));
	return { ids: list.map((f) => f.id), run: new CoverageSession(fx.region, facilities, fx.cells, fx.graphs).compute(settings) };
}

