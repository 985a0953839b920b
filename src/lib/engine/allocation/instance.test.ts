import { describe, expect, it } from 'vitest';
import { regionInstance, regionInstanceAsync } from './instance';
import { syntheticSession } from './testing/synthetic-session';
import { PlanCancelled } from './types';
import type { CoverageSettings } from '../session';

const settings: CoverageSettings = { mode: 'walk', maxMinutes: 10, levels: ['chc'], targetShare: 0.9, method: 'auto', areaModeRules: [{ areaIds: ['east'], mode: 'drive' }] };

describe('regionInstanceAsync (the worker form)', () => {
	it('builds the same reach matrix as regionInstance, reporting progress', async () => {
		const session = syntheticSession(7, { cells: 800 });
		const sync = regionInstance(session, settings, { kind: 'cells' });
		const seen: number[] = [];
		const asyncInst = await regionInstanceAsync(session, settings, { kind: 'cells' }, {}, { onProgress: (p) => seen.push(p.done), checkpoint: async () => new Promise((r) => setTimeout(r, 60)) });
		expect(asyncInst.reach.offsets).toEqual(sync.reach.offsets);
		expect(asyncInst.reach.demand).toEqual(sync.reach.demand);
		expect(asyncInst.reach.minutes).toEqual(sync.reach.minutes);
		expect(asyncInst.excluded).toEqual(sync.excluded);
		expect(seen.length).toBeGreaterThan(0);
	});
	it('stops with PlanCancelled when aborted', async () => {
		const session = syntheticSession(8, { cells: 800 });
		const ctrl = new AbortController();
		ctrl.abort();
		await expect(regionInstanceAsync(session, settings, { kind: 'cells' }, {}, { signal: ctrl.signal })).rejects.toBeInstanceOf(PlanCancelled);
	});
});
