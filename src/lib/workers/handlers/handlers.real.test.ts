/** The worker handlers on the real built Shanghai region equal the CLI's code path (loadSession + CoverageSession). */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRoot } from '../../../../scripts/lib/paths';
import { loadSession } from '../../../../scripts/lib/load-built';
import { createHandlers } from './index';
import type { CoverageResponse } from './coverage';
import type { RegionPayload } from './region';
import type { HandlerContext } from '../router';

const REGION = 'shanghai';
const have = existsSync(path.join(buildRoot, REGION, 'region.json'));
const ctx: HandlerContext = { progress: () => {}, checkpoint: async () => {}, cancelled: false };
const BASE = 'http://app.local/data/';

const fileFetch = async (url: string) => {
	const file = path.join(buildRoot, decodeURIComponent(url.slice(BASE.length)));
	if (!existsSync(file)) return new Response('not found', { status: 404 });
	return new Response(readFileSync(file));
};

describe.skipIf(!have)('worker handlers on the built Shanghai region', () => {
	it('load + coverage equal the CLI code path for the policy defaults and a second threshold', async () => {
		const h = createHandlers({ fetch: fileFetch });
		const payload = (await h.loadRegion({ dataUrl: BASE, regionId: REGION }, ctx)).payload as RegionPayload;
		const session = loadSession(REGION);
		const pol = session.region.manifest.policy;
		expect(payload.cellCount).toBe(session.cells.count);
		expect(payload.cellMesh.vertexStart[payload.cellCount]).toBe(payload.cellMesh.vertices.length / 2);
		for (const maxMinutes of [pol.maxMinutes, 10]) {
			const settings = { mode: pol.mode, maxMinutes, levels: pol.levels, targetShare: pol.targetShare, method: 'auto' as const, areaModeRules: pol.areaModeRules };
			const app = (await h.coverage(settings, ctx)).payload as CoverageResponse;
			const cli = session.compute(settings).summary;
			expect(app.summary).toEqual(cli);
		}
	});
});
