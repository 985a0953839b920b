/**
 * Scenario edits over a region's facilities, by stable Facility.id (never an array index, which a rebuild or
 * another scenario may change). Applying an edit mutates a FacilitySet and returns the edit that undoes it,
 * so undo is "apply the inverse" and one code path serves editing, undo, redo and replaying a file.
 *
 * What each op means:
 * - add:     a new facility (a planned site) with its own id, name and level at [lon, lat] (WGS84);
 * - move:    an open facility to a new site;
 * - remove:  close a facility (it stays in the set, closed, so restoring it brings back the same facility);
 * - merge:   close a facility and name the open clinic that takes over its people (a village-clinic merge);
 * - level:   change a facility's level (it enters or leaves the counted set, by the settings' levels);
 * - restore: reopen a closed or merged facility (the inverse of remove / merge);
 * - unadd:   take an added facility out again (the inverse of add);
 * - batch:   several edits as one undoable step (a Plan result: all its sites, or all its closures).
 */
import { KejimapError } from '../errors';
import { FACILITY_LEVELS, type Facility, type FacilityLevel } from '../types';

export type Edit =
	| { op: 'add'; facilityId: string; name: string; level: FacilityLevel; lon: number; lat: number }
	| { op: 'move'; facilityId: string; lon: number; lat: number }
	| { op: 'remove'; facilityId: string }
	| { op: 'merge'; facilityId: string; intoId: string }
	| { op: 'level'; facilityId: string; level: FacilityLevel }
	| { op: 'restore'; facilityId: string }
	| { op: 'unadd'; facilityId: string }
	| { op: 'batch'; label: string; edits: Edit[] };
export type EditOp = Edit['op'];
export const EDIT_OPS: readonly EditOp[] = ['add', 'move', 'remove', 'merge', 'level', 'restore', 'unadd', 'batch'];

/** A facility as a scenario sees it: the region's facility (or an added one) with its current state. */
export interface ScenarioFacility {
	id: string;
	name: string;
	level: FacilityLevel;
	lon: number;
	lat: number;
	open: boolean;
	/** true for facilities the scenario added (not in the region's data) */
	added: boolean;
	/** the clinic that takes over a merged facility's people (null when not merged) */
	mergedInto: string | null;
}

/**
 * The facilities of a scenario: the region's, in their order, then the added ones in the order they were added.
 * That order is the facility index order of a full recompute (ties go to the lower index).
 */
export interface FacilitySet {
	byId: Map<string, ScenarioFacility>;
	/** ids of the added facilities, in order */
	addedIds: string[];
	/** ids of the region's facilities, in the region's order (the first indices) */
	baseIds: string[];
}

export function createFacilitySet(base: readonly Pick<Facility, 'id' | 'name' | 'level' | 'lon' | 'lat'>[]): FacilitySet {
	const byId = new Map<string, ScenarioFacility>();
	for (const f of base) {
		if (byId.has(f.id)) throw new KejimapError('BAD_ARGUMENT', `facility id "${f.id}" appears twice in the region's facilities`, { field: 'id' });
		byId.set(f.id, { id: f.id, name: f.name, level: f.level, lon: f.lon, lat: f.lat, open: true, added: false, mergedInto: null });
	}
	return { byId, addedIds: [], baseIds: base.map((f) => f.id) };
}

/** Facilities in index order (region ones, then added ones). */
export function orderedFacilities(set: FacilitySet): ScenarioFacility[] {
	return [...set.baseIds, ...set.addedIds].map((id) => set.byId.get(id)!);
}

/**
 * The open facilities as Facility records (exports, the CLI's --facilities): region facilities keep their data
 * with the scenario's position and level; added ones have source "scenario".
 */
export function openFacilities(set: FacilitySet, base: readonly Facility[]): Facility[] {
	const byId = new Map(base.map((f) => [f.id, f]));
	return orderedFacilities(set)
		.filter((f) => f.open)
		.map((f) => ({ ...(byId.get(f.id) ?? { source: 'scenario' }), id: f.id, name: f.name, level: f.level, lon: f.lon, lat: f.lat }));
}

/** Degrees kept in new coordinates: 1e-7° is about 1 cm, and a JSON number of 7 decimals reads back to the same double. */
export function roundCoord(x: number): number {
	return Math.round(x * 1e7) / 1e7;
}

/** A fresh id for an added facility, unused by the region and by the scenario ("new-1", "new-2", ...). */
export function nextAddedId(set: FacilitySet, taken: Iterable<string> = []): string {
	const used = new Set(taken);
	for (let n = set.addedIds.length + 1; ; n++) {
		const id = `new-${n}`;
		if (!set.byId.has(id) && !used.has(id)) return id;
	}
}

function fail(edit: Edit, message: string, field = 'facilityId'): never {
	throw new KejimapError('SCENARIO_EDIT', `${edit.op}: ${message}`, { field });
}

function checkLonLat(edit: Edit, lon: number, lat: number): void {
	if (!Number.isFinite(lon) || !Number.isFinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90)
		fail(edit, `[${lon}, ${lat}] is not a WGS84 [lon, lat] position`, 'lon');
}

function checkLevel(edit: Edit, level: unknown): void {
	if (!FACILITY_LEVELS.includes(level as FacilityLevel)) fail(edit, `unknown level "${String(level)}" (known: ${FACILITY_LEVELS.join(', ')})`, 'level');
}

function facilityOf(set: FacilitySet, edit: Edit, id: string): ScenarioFacility {
	const f = set.byId.get(id);
	if (!f) fail(edit, `no facility "${id}" in this region's data or this scenario`);
	return f;
}

/**
 * Applies `edit` to `set` and returns the edit that undoes it. Throws a KejimapError (SCENARIO_EDIT, naming the
 * facility) and leaves `set` unchanged when the edit cannot apply; a batch is all or nothing.
 */
export function applyEdit(set: FacilitySet, edit: Edit): Edit {
	switch (edit.op) {
		case 'add': {
			if (typeof edit.facilityId !== 'string' || edit.facilityId === '') fail(edit, 'an added facility needs an id');
			if (set.byId.has(edit.facilityId)) fail(edit, `facility "${edit.facilityId}" already exists`);
			checkLonLat(edit, edit.lon, edit.lat);
			checkLevel(edit, edit.level);
			set.byId.set(edit.facilityId, {
				id: edit.facilityId,
				name: String(edit.name ?? ''),
				level: edit.level,
				lon: edit.lon,
				lat: edit.lat,
				open: true,
				added: true,
				mergedInto: null
			});
			set.addedIds.push(edit.facilityId);
			return { op: 'unadd', facilityId: edit.facilityId };
		}
		case 'unadd': {
			const f = facilityOf(set, edit, edit.facilityId);
			if (!f.added) fail(edit, `facility "${f.id}" is in the region's data; close it instead`);
			const i = set.addedIds.lastIndexOf(f.id);
			set.addedIds.splice(i, 1);
			set.byId.delete(f.id);
			return { op: 'add', facilityId: f.id, name: f.name, level: f.level, lon: f.lon, lat: f.lat };
		}
		case 'move': {
			const f = facilityOf(set, edit, edit.facilityId);
			checkLonLat(edit, edit.lon, edit.lat);
			if (!f.open) fail(edit, `facility "${f.id}" is closed; restore it before moving it`);
			const inverse: Edit = { op: 'move', facilityId: f.id, lon: f.lon, lat: f.lat };
			f.lon = edit.lon;
			f.lat = edit.lat;
			return inverse;
		}
		case 'remove':
		case 'merge': {
			const f = facilityOf(set, edit, edit.facilityId);
			if (!f.open) fail(edit, `facility "${f.id}" is already closed`);
			if (edit.op === 'merge') {
				const into = facilityOf(set, edit, edit.intoId);
				if (into.id === f.id) fail(edit, `facility "${f.id}" cannot merge into itself`, 'intoId');
				if (!into.open) fail(edit, `facility "${into.id}" (taking over "${f.id}") is closed`, 'intoId');
				f.mergedInto = into.id;
			}
			f.open = false;
			return { op: 'restore', facilityId: f.id };
		}
		case 'restore': {
			const f = facilityOf(set, edit, edit.facilityId);
			if (f.open) fail(edit, `facility "${f.id}" is open`);
			const inverse: Edit = f.mergedInto ? { op: 'merge', facilityId: f.id, intoId: f.mergedInto } : { op: 'remove', facilityId: f.id };
			f.open = true;
			f.mergedInto = null;
			return inverse;
		}
		case 'level': {
			const f = facilityOf(set, edit, edit.facilityId);
			checkLevel(edit, edit.level);
			const inverse: Edit = { op: 'level', facilityId: f.id, level: f.level };
			f.level = edit.level;
			return inverse;
		}
		case 'batch': {
			if (!Array.isArray(edit.edits)) fail(edit, 'a batch needs a list of edits', 'edits');
			const inverses: Edit[] = [];
			try {
				for (const e of edit.edits) inverses.push(applyEdit(set, e));
			} catch (err) {
				for (let i = inverses.length - 1; i >= 0; i--) applyEdit(set, inverses[i]);
				throw err;
			}
			return { op: 'batch', label: edit.label, edits: inverses.reverse() };
		}
		default: {
			const op = (edit as { op?: unknown }).op;
			throw new KejimapError('SCENARIO_EDIT', `unknown edit "${String(op)}" (known: ${EDIT_OPS.join(', ')})`, { field: 'op' });
		}
	}
}

/** The facility ids an edit touches, in order, repeats removed (a batch: all of its edits'). */
export function touchedIds(edit: Edit): string[] {
	const out = new Set<string>();
	const walk = (e: Edit) => {
		if (e.op === 'batch') e.edits.forEach(walk);
		else out.add(e.facilityId);
	};
	walk(edit);
	return [...out];
}

/** Edits after flattening batches (for counting and listing). */
export function flattenEdits(edits: readonly Edit[]): Exclude<Edit, { op: 'batch' }>[] {
	const out: Exclude<Edit, { op: 'batch' }>[] = [];
	const walk = (e: Edit) => {
		if (e.op === 'batch') e.edits.forEach(walk);
		else out.push(e);
	};
	edits.forEach(walk);
	return out;
}
