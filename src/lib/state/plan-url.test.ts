import { describe, expect, it } from 'vitest';
import { decodePlanState, encodePlanState, PLAN_URL_DEFAULTS, type PlanUrlState } from './url-state';

describe('plan settings in the URL', () => {
	it('round-trips with the panel open, keeps unrelated params, writes nothing with the panel closed', () => {
		const s: PlanUrlState = { panel: 'plan', objective: 'consolidate', sites: 7, candidates: 'upgrade', maxLossPeople: 50, minServicePopulation: 800 };
		const p = encodePlanState(s, new URLSearchParams('region=shanghai&basemap=x'));
		expect(p.toString()).toBe('region=shanghai&basemap=x&panel=plan&plan=consolidate&planK=7&planCand=upgrade&planLoss=50&planMinPop=800');
		expect(decodePlanState(p)).toEqual(s);
		// closing the panel removes every plan param (and only those)
		expect(encodePlanState({ ...s, panel: 'coverage' }, p).toString()).toBe('region=shanghai&basemap=x');
	});

	it('each invalid or absent value keeps its default', () => {
		expect(decodePlanState(new URLSearchParams(''))).toEqual(PLAN_URL_DEFAULTS);
		const d = decodePlanState(new URLSearchParams('panel=plan&plan=maximise&planK=0&planCand=file&planLoss=-3&planMinPop=1e3'));
		expect(d).toEqual({ ...PLAN_URL_DEFAULTS, panel: 'plan' });
		expect(decodePlanState(new URLSearchParams('planK=2.5')).sites).toBe(PLAN_URL_DEFAULTS.sites);
		expect(decodePlanState(new URLSearchParams('planK=201')).sites).toBe(PLAN_URL_DEFAULTS.sites);
		expect(decodePlanState(new URLSearchParams('planK=200&plan=median')).sites).toBe(200);
	});
});
