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

describe('regionInstanceKey', () => {
	it('changes with what the reach sets depend on, not with the target share', async () => {
		const { regionInstanceKey } = await import('./instance');
		const k = regionInstanceKey(settings, { kind: 'cells' });
		expect(regionInstanceKey({ ...settings, targetShare: 0.5 }, { kind: 'cells' })).toBe(k);
		for (const other of [regionInstanceKey({ ...settings, maxMinutes: 12 }, { kind: 'cells' }), regionInstanceKey({ ...settings, method: 'radius' }, { kind: 'cells' }), regionInstanceKey(settings, { kind: 'upgrade' }), regionInstanceKey(settings, { kind: 'cells' }, { reachMinutes: 30 }), regionInstanceKey(settings, { kind: 'file', sites: [{ id: 'a', lon: 1, lat: 2 }] })])
			expect(other).not.toBe(k);
	});
});
