/**
 * The routing kernels on real networks from shared/data (built by the roads stage): real Float32
 * weights keep the arithmetic exact, full labels equal the brute force bit for bit, incremental moves
 * equal a full recompute, the per-facility, global and auto label strategies agree, and on the one-way Chengdu drive graph the reverse-graph labels are the time
 * FROM each node TO its nearest facility (checked by forward searches from the nodes).
 * Facility sites are random points snapped onto the real streets (no facility data is used).
 */
import { bboxOf } from '../geo/measure';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeFileSource } from '../../data/node/files';
import { buildModeGraphs } from '../../data/roads/build-graph';
import { createSnapper } from '../graph/snap';
import { PROFILES } from '../modes';
import type { NetworkSource, RegionManifest } from '../region';
import type { CsrGraph, Mode } from '../types';
import { IncrementalNearest } from './incremental';
import { checkExactArithmetic, facilitySeedFromSnap, nearestFacilityLabels, quantizeCostS, routingGraphFor, type FacilitySeed, type Labels } from './shortest-paths';
import { bruteForceLabels, createRng, forwardTimes } from './testing/random-graphs';

const repoRoot = path.resolve(__dirname, '../../../..');
const dataRoot = process.env.KEJIMAP_DATA ?? path.resolve(repoRoot, '../shared/data');
const REGIONS = ['shanghai-yangpu-tongji', 'shanghai-huangpu-peoples-square', 'chengdu-central', 'xixiang'];

async function graphsOf(region: string): Promise<Partial<Record<Mode, CsrGraph>>> {
	const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'data/regions', `${region}.json`), 'utf8')) as RegionManifest;
	const network = manifest.network as NetworkSource;
	const m = { ...manifest, network } as RegionManifest;
	return (await buildModeGraphs(m, nodeFileSource((p) => path.resolve(dataRoot, p)), () => {})).graphs;
}

function firstDifference(a: Labels, b: Labels): number {
	for (let v = 0; v < a.distS.length; v++) if (!Object.is(a.distS[v], b.distS[v]) || a.owner[v] !== b.owner[v]) return v;
	return -1;
}

/** Random points in the graph's bounding box, snapped onto its streets (within 500 m). */
function randomSites(g: CsrGraph, count: number, rng: () => number, firstIndex = 0): FacilitySeed[] {
	const [minLon, minLat, maxLon, maxLat] = bboxOf(g.lon, g.lat);
	const snapper = createSnapper(g, PROFILES[g.mode].accessSpeedMps);
	const out: FacilitySeed[] = [];
	for (let tries = 0; out.length < count && tries < count * 50; tries++) {
		const s = snapper.snap(minLon + rng() * (maxLon - minLon), minLat + rng() * (maxLat - minLat), 500);
		if (s) out.push(facilitySeedFromSnap(firstIndex + out.length, s));
	}
	return out;
}

describe.skipIf(!existsSync(dataRoot))('routing on real networks', () => {
	for (const region of REGIONS) {
		it(region, async () => {
			const graphs = await graphsOf(region);
			expect(Object.keys(graphs).length).toBeGreaterThan(0);
			for (const [mode, g] of Object.entries(graphs) as [Mode, CsrGraph][]) {
				const where = `${region}/${mode}`;
				const search = routingGraphFor(g);
				expect(checkExactArithmetic(search, 3600).exact, where).toBe(true);
				const rng = createRng(region.length * 100 + mode.length);
				const seeds = randomSites(g, 25, rng);
				expect(seeds.length, where).toBe(25);
				const maxS = 900;
				const full = nearestFacilityLabels(search, seeds, maxS);
				expect(firstDifference(full, bruteForceLabels(search, seeds, maxS)), `${where} brute force`).toBe(-1);
				// the label strategies agree bit for bit, with light (25 sites) and heavy overlap (150 sites, 30 min)
				const many = [...seeds, ...randomSites(g, 125, rng, 25)];
				for (const [set, cut] of [[seeds, maxS], [many, 1800]] as const) {
					const per = nearestFacilityLabels(search, set, cut, { strategy: 'perFacility' });
					for (const strategy of ['global', 'auto'] as const)
						expect(firstDifference(nearestFacilityLabels(search, set, cut, { strategy }), per), `${where} ${strategy} (${set.length} sites)`).toBe(-1);
				}

				const inc = new IncrementalNearest(search, maxS, seeds, { inGraph: g.symmetric ? undefined : g });
				for (let k = 0; k < 25; k++) {
					const f = Math.floor(rng() * seeds.length);
					const [site] = randomSites(g, 1, rng, f);
					inc.moveFacility(f, site);
					if (k % 5 === 4) inc.removeFacility(f);
					if (k % 5 === 4) inc.addFacility(site);
					expect(firstDifference(inc.labels, nearestFacilityLabels(search, inc.activeSeeds(), maxS)), `${where} move ${k}`).toBe(-1);
				}

				if (!g.symmetric) {
					// direction: label(v) = min over facilities of (forward time v -> entry + entry cost)
					const active = inc.activeSeeds();
					let reached = 0;
					for (let i = 0; i < 40; i++) {
						const v = Math.floor(rng() * g.nodeCount);
						const t = forwardTimes(g, v);
						let best = Infinity,
							bestF = -1;
						for (const s of active)
							for (const e of s.entries) {
								const d = t[e.node] + quantizeCostS(e.costS);
								if (d <= maxS && (d < best || (d === best && s.facility < bestF))) {
									best = d;
									bestF = s.facility;
								}
							}
						expect([inc.labels.distS[v], inc.labels.owner[v]], `${where} node ${v}`).toEqual([best, bestF]);
						if (bestF >= 0) reached++;
					}
					expect(reached, `${where}: sampled nodes that reach a facility`).toBeGreaterThan(5);
				}
			}
		});
	}
});
