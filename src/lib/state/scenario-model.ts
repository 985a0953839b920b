/**
 * Pure helpers of the scenario state (no runes, so Node tests can call them and the reactivity lint does not
 * mistake these short-lived values for state).
 */
import { createScenarioDocument, type ScenarioRegionRef } from '../engine/scenario/codec';
import { freshAddedId, type Edit, type ScenarioFacility } from '../engine/scenario/edits';
import type { CoverageSettings } from '../engine/session';
import type { StoredScenario } from '../data/persist/scenarios';
import { newScenarioId } from '../data/persist/scenarios';

export function nowIso(): string {
	return new Date().toISOString();
}

export function newStoredScenario(regionId: string, name: string, ref: ScenarioRegionRef, settings: CoverageSettings, edits: Edit[] = []): StoredScenario {
	return { id: newScenarioId(), regionId, doc: createScenarioDocument(name, ref, settings, edits, nowIso()), undone: [], updatedAt: nowIso() };
}

/** `pathAndQuery` with the scenario's link value set (other parameters kept). */
export function withParam(pathAndQuery: string, name: string, value: string): string {
	const u = new URL(pathAndQuery, 'http://x');
	u.searchParams.set(name, value);
	return u.pathname + u.search;
}

/** A copy of the query without one parameter. */
export function withoutParam(search: URLSearchParams, name: string): URLSearchParams {
	const rest = new URLSearchParams(search);
	rest.delete(name);
	return rest;
}

/** The facility list after an edit: updated ones replaced (or appended), taken-out ones dropped, order kept. */
export function updateFacilities(list: readonly ScenarioFacility[], updated: readonly ScenarioFacility[], removedIds: readonly string[]): ScenarioFacility[] {
	const byId = new Map(list.map((f) => [f.id, f]));
	for (const f of updated) byId.set(f.id, f);
	for (const id of removedIds) byId.delete(id);
	return [...byId.values()];
}

/** A new facility id unused by the scenario's and the region's facilities. */
export function freshFacilityId(...lists: readonly (readonly { id: string }[])[]): string {
	const taken = new Set(lists.flatMap((l) => l.map((f) => f.id)));
	return freshAddedId((id) => taken.has(id));
}

export function idSet(list: readonly { id: string }[]): Set<string> {
	return new Set(list.map((f) => f.id));
}
