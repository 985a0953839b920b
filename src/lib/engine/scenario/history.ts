/**
 * Undo / redo as pure data: two stacks of steps (an edit and the edit that undoes it). The functions return a new
 * History and never mutate the old one; `apply` does the work (a FacilitySet, the worker's live scenario, ...) and
 * returns the inverse. When `apply` throws, the history is returned unchanged by not being replaced (nothing lost).
 */
import type { Edit } from './edits';

export interface HistoryStep {
	edit: Edit;
	inverse: Edit;
}

export interface History {
	/** applied steps, oldest first: their edits are the scenario */
	done: readonly HistoryStep[];
	/** undone steps, most recently undone last */
	undone: readonly HistoryStep[];
}

export type ApplyEdit = (edit: Edit) => Edit;

export const EMPTY_HISTORY: History = { done: [], undone: [] };

/** A new edit: applied, pushed, and the redo stack cleared. */
export function commit(h: History, edit: Edit, apply: ApplyEdit): History {
	const inverse = apply(edit);
	return { done: [...h.done, { edit, inverse }], undone: [] };
}

export function canUndo(h: History): boolean {
	return h.done.length > 0;
}

export function canRedo(h: History): boolean {
	return h.undone.length > 0;
}

export function undo(h: History, apply: ApplyEdit): History {
	const step = h.done[h.done.length - 1];
	if (!step) return h;
	apply(step.inverse); // returns the edit again; redo keeps the step's own edit (its label, its exact fields)
	return { done: h.done.slice(0, -1), undone: [...h.undone, step] };
}

export function redo(h: History, apply: ApplyEdit): History {
	const step = h.undone[h.undone.length - 1];
	if (!step) return h;
	const inverse = apply(step.edit);
	return { done: [...h.done, { edit: step.edit, inverse }], undone: h.undone.slice(0, -1) };
}

/** The scenario's edits in order (what a file or link stores). */
export function editsOf(h: History): Edit[] {
	return h.done.map((s) => s.edit);
}

/** A history that replays `edits` (e.g. a file just opened): each applied in order. */
export function replay(edits: readonly Edit[], apply: ApplyEdit): History {
	let h = EMPTY_HISTORY;
	for (const e of edits) h = commit(h, e, apply);
	return h;
}
