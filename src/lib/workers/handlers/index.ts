/**
 * The worker's request handlers, one file per concern (region, coverage, detail; planning and the rest beside them),
 * each with its request/response types. No Worker global and no DOM, so vitest runs them in Node with a fake fetch.
 * They compose engine calls; they never reimplement the engine. The one piece of state is the loaded region's
 * session, held in a slot that every handler reads.
 */
import type { CoverageSession } from '../../engine/session';
import type { Handlers } from '../router';
import { coverage } from './coverage';
import { cellDetail, facilityDetail } from './detail';
import { loadRegion, type SessionSlot } from './region';
// planning (kj-ui): the plan handler and its solver dependency
import { planHandler, type PlanningDeps } from './planning';

export type { HandlerDeps } from './region';
export type { PlanningDeps } from './planning';
export { readBuiltRegion, summarizeAreas } from './region';

export function createHandlers(deps: PlanningDeps): Handlers & { readonly session: CoverageSession | null } {
	const slot: SessionSlot = { current: null };
	const handlers: Handlers = {
		loadRegion: (req, ctx) => loadRegion(deps, slot, req, ctx),
		coverage: (req, ctx) => coverage(deps, slot, req, ctx),
		facilityDetail: (req, ctx) => facilityDetail(deps, slot, req, ctx),
		cellDetail: (req) => cellDetail(slot, req),
		// planning (kj-ui)
		plan: (req, ctx) => planHandler(deps, slot, req, ctx)
	};
	// tests compare against the engine session the handlers wrap (a live getter: Object.assign would copy it once)
	return Object.defineProperty(handlers, 'session', { get: () => slot.current?.coverage ?? null, enumerable: false }) as Handlers & {
		readonly session: CoverageSession | null;
	};
}
