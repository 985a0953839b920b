import { describe, expect, it } from 'vitest';
import { cellRing } from '../../engine/geo/h3';
import { haversineM } from '../../engine/geo/measure';
import { latFromMercatorY, lonFromMercatorX } from '../cell-mesh';
import { PROFILES } from '../../engine/modes';
import type { FacilityLevel } from '../../engine/types';
import { fetchFromFiles, makeSyntheticRegion, SYNTHETIC_ID } from '../../../../tests/e2e/fixtures/synthetic-region';
import { modesOf, type CoverageSettings } from '../../engine/session';
import { createHandlers, readBuiltRegion } from './index';
import type { CoverageResponse } from './coverage';
import type { RegionPayload } from './region';
import type { HandlerContext } from '../router';

const BASE = 'http://test.local/data/';
const ctx: HandlerContext = { progress: () => {}, checkpoint: async () => {}, cancelled: false };
const LEVELS: FacilityLevel[] = ['chc', 'chc_branch', 'chs', 'township', 'village_clinic'];

async function setup() {
	const fx = makeSyntheticRegion();
	let fetched = 0;
	const inner = fetchFromFiles(fx.files, BASE);
	const h = createHandlers({
		fetch: async (url) => {
			fetched++;
			return inner(url);
		}
	});
	const { payload } = await h.loadRegion({ dataUrl: BASE, regionId: SYNTHETIC_ID }, ctx);
	return { fx, h, payload, fetches: () => fetched };
}

const req = (o: Partial<CoverageSettings> = {}): CoverageSettings => ({ mode: 'walk', maxMinutes: 15, levels: LEVELS, targetShare: 0.9, method: 'auto', ...o });

/** Independent brute force for the radius method: straight line x detour at the mode speed, nearest counted facility. */
function bruteRadiusCovered(fx: ReturnType<typeof makeSyntheticRegion>, levels: FacilityLevel[], maxMinutes: number, mode: 'walk' | 'cycle' | 'drive' = 'walk') {
	const p = PROFILES[mode];
	const perArea = [0, 0, 0];
	let total = 0;
	for (let c = 0; c < fx.cells.count; c++) {
		let best = Infinity;
		for (const f of fx.facilities) {
			if (!levels.includes(f.level)) continue;
			const min = (haversineM(fx.cells.lon[c], fx.cells.lat[c], f.lon, f.lat) * p.detourFactor) / p.defaultSpeedMps / 60;
			best = Math.min(best, min);
		}
		if (best <= maxMinutes) {
			total += fx.cells.population[c];
			perArea[fx.cells.areaIndex[c]] += fx.cells.population[c];
		}
	}
	return { total, perArea };
}

describe('worker handlers on the synthetic region', () => {
	it('loads the region: cells, areas, and a cell mesh that projects back onto the H3 boundaries', async () => {
		const { fx, payload } = await setup();
		const p = payload as RegionPayload;
		expect(p.regionId).toBe(SYNTHETIC_ID);
		expect(p.cellCount).toBe(fx.cells.count);
		expect(p.areas.map((a) => a.id)).toEqual(['syn-a', 'syn-b', 'syn-c']);
		const sum = fx.cells.population.reduce((a, b) => a + b, 0);
		expect(p.totalPopulation).toBe(Math.round(sum));
		expect(p.areas.reduce((a, b) => a + b.population, 0)).toBeCloseTo(sum, -1);
		// mesh: one vertex range per cell, every vertex back-projects onto the cell's H3 boundary, fans cover the ring
		const mesh = p.cellMesh;
		expect(mesh.vertexStart).toHaveLength(fx.cells.count + 1);
		for (let i = 0; i < fx.cells.count; i++) {
			const ring = cellRing(fx.cells.h3[i]);
			const n = mesh.vertexStart[i + 1] - mesh.vertexStart[i];
			expect(n).toBe(ring.length - 1);
			for (let k = 0; k < n; k++) {
				const v = mesh.vertexStart[i] + k;
				const lon = lonFromMercatorX(mesh.vertices[2 * v] + mesh.originX);
				const lat = latFromMercatorY(mesh.vertices[2 * v + 1] + mesh.originY);
				expect(haversineM(lon, lat, ring[k][0], ring[k][1])).toBeLessThan(0.5);
			}
		}
		const totalVerts = mesh.vertexStart[fx.cells.count];
		expect(mesh.indices.length).toBe((totalVerts - 2 * fx.cells.count) * 3);
		expect(Math.max(...mesh.indices)).toBe(totalVerts - 1);
		// label points: each is the centre of one of the area's own cells
		p.areas.forEach((a, ai) => {
			const c = fx.cells.lon.findIndex((lon, i) => lon === a.labelPoint![0] && fx.cells.lat[i] === a.labelPoint![1]);
			expect(c).toBeGreaterThanOrEqual(0);
			expect(fx.cells.areaIndex[c]).toBe(ai);
		});
		expect(p.networkModes).toEqual(['walk', 'cycle', 'drive']);
		expect(p.downloadBytes).toBeGreaterThan(0);
		expect(p.cellPopulations).toHaveLength(fx.cells.count);
	});

	it('radius method matches an independent brute force, and a threshold change re-buckets without new times', async () => {
		const { fx, h } = await setup();
		const a = (await h.coverage(req({ method: 'radius' }), ctx)).payload as CoverageResponse;
		const bf = bruteRadiusCovered(fx, LEVELS, 15);
		expect(a.summary.total.covered).toBe(Math.round(bf.total));
		a.summary.rows.forEach((r, i) => expect(r.covered).toBe(Math.round(bf.perArea[i])));
		expect(a.minutes).not.toBeNull();
		expect(a.minutes!.length).toBe(fx.cells.count);
		// threshold change: same times, different buckets, nothing re-sent
		const b = (await h.coverage(req({ method: 'radius', maxMinutes: 8 }), ctx)).payload as CoverageResponse;
		expect(b.reused).toBe(true);
		expect(b.minutes).toBeNull();
		expect(b.summary.total.covered).toBe(Math.round(bruteRadiusCovered(fx, LEVELS, 8).total));
		expect(b.summary.total.covered).toBeLessThan(a.summary.total.covered);
		// a level change is new times
		const c = (await h.coverage(req({ method: 'radius', levels: ['chc'] }), ctx)).payload as CoverageResponse;
		expect(c.minutes).not.toBeNull();
		expect(c.facilityCount).toBe(2);
		expect(c.summary.total.covered).toBe(Math.round(bruteRadiusCovered(fx, ['chc'], 15).total));
	});

	it('network method: fetches the graph once; network time is never below the straight-line walking time', async () => {
		const { fx, h, fetches } = await setup();
		const before = fetches();
		const a = (await h.coverage(req(), ctx)).payload as CoverageResponse;
		expect(fetches()).toBe(before + 1);
		expect(a.downloadBytes).toBeGreaterThan(0);
		expect(a.summary.total.networkShare).toBeGreaterThan(0.5);
		const b = (await h.coverage(req({ maxMinutes: 20 }), ctx)).payload as CoverageResponse;
		expect(fetches()).toBe(before + 1);
		expect(b.downloadBytes).toBe(0);
		const m = a.minutes!;
		for (let c = 0; c < fx.cells.count; c++) {
			if (!Number.isFinite(m[c])) continue;
			let straight = Infinity;
			for (const f of fx.facilities)
				if (LEVELS.includes(f.level)) straight = Math.min(straight, haversineM(fx.cells.lon[c], fx.cells.lat[c], f.lon, f.lat) / PROFILES.walk.defaultSpeedMps / 60);
			expect(m[c]).toBeGreaterThanOrEqual(straight - 1e-3);
		}
	});

	it('per-area mode rules: cells of a ruled area take that mode\'s times', async () => {
		const { fx, h } = await setup();
		const walk = ((await h.coverage(req(), ctx)).payload as CoverageResponse).minutes!.slice();
		const cycle = ((await h.coverage(req({ mode: 'cycle' }), ctx)).payload as CoverageResponse).minutes!.slice();
		const mixed = (await h.coverage(req({ areaModeRules: [{ areaIds: ['syn-c'], mode: 'cycle' }] }), ctx)).payload as CoverageResponse;
		expect(modesOf({ mode: 'walk', areaModeRules: [{ areaIds: ['syn-c'], mode: 'cycle' }] })).toEqual(['walk', 'cycle']);
		const m = mixed.minutes!;
		let inC = 0;
		for (let c = 0; c < fx.cells.count; c++) {
			const expected = fx.cells.areaIndex[c] === 2 ? cycle[c] : walk[c];
			expect(m[c]).toBe(expected);
			if (fx.cells.areaIndex[c] === 2) inC++;
		}
		expect(inC).toBeGreaterThan(0);
		expect(mixed.summary.rows[2].covered).toBeGreaterThanOrEqual(0);
	});

	it('facility detail: catchment = people whose nearest counted facility it is within the threshold', async () => {
		const { fx, h } = await setup();
		const cov = (await h.coverage(req(), ctx)).payload as CoverageResponse;
		const m = cov.minutes!;
		const session = h.session!;
		const last = session.compute({ mode: 'walk', maxMinutes: 15, levels: LEVELS, targetShare: 0.9, method: 'auto' }).result;
		for (const idx of [0, 2]) {
			const d = (await h.facilityDetail({ facilityIndex: idx, mode: 'walk', maxMinutes: 15, method: 'auto' }, ctx)).payload;
			let expected = 0;
			for (let c = 0; c < fx.cells.count; c++) if (m[c] <= 15 && last.facility[c] === idx) expected += fx.cells.population[c];
			expect(d.counted).toBe(true);
			expect(d.catchmentPopulation).toBe(Math.round(expected));
			expect(d.reachPopulation).toBeGreaterThanOrEqual(d.catchmentPopulation);
			expect(d.isochrone.features[0].properties.kind).toBe('reach');
		}
		// the hospital is not a counted level by default: no catchment, but it has a reach
		const hosp = fx.facilities.findIndex((f) => f.level === 'hospital');
		const d = (await h.facilityDetail({ facilityIndex: hosp, mode: 'walk', maxMinutes: 15, method: 'auto' }, ctx)).payload;
		expect(d.counted).toBe(false);
		expect(d.catchmentPopulation).toBe(0);
		expect(d.reachPopulation).toBeGreaterThan(0);
	});

	it('cell detail reports the last run', async () => {
		const { h } = await setup();
		const cov = (await h.coverage(req(), ctx)).payload as CoverageResponse;
		const m = cov.minutes!;
		const c = m.findIndex((x) => Number.isFinite(x));
		const d = (await h.cellDetail({ cellIndex: c }, ctx)).payload!;
		expect(d.minutes).toBeCloseTo(m[c], 5);
		expect(d.facilityIndex).toBeGreaterThanOrEqual(0);
		await expect(h.cellDetail({ cellIndex: -1 }, ctx)).rejects.toThrow(/no cell/);
		// by location: the cell's own centre finds it; a point far away finds none
		const { fx } = await setup();
		const byPoint = (await h.cellDetail({ lon: fx.cells.lon[c], lat: fx.cells.lat[c] }, ctx)).payload!;
		expect(byPoint.cellIndex).toBe(c);
		expect(byPoint.ring.length).toBeGreaterThanOrEqual(7);
		expect((await h.cellDetail({ lon: 0, lat: 0 }, ctx)).payload).toBeNull();
	});

	it('names the file when region.json is malformed or missing', async () => {
		expect(() => readBuiltRegion({ id: 'x', name: { zh: 'x', en: 'x' } }, 'x/region.json')).toThrow(/x\/region.json: field "(formatVersion|manifest)"/);
		const h = createHandlers({ fetch: async () => new Response('nope', { status: 404 }) });
		await expect(h.loadRegion({ dataUrl: BASE, regionId: 'nowhere' }, ctx)).rejects.toThrow(/nowhere\/region.json: HTTP 404/);
		await expect(h.coverage(req(), ctx)).rejects.toThrow(/no region loaded/);
	});
});
