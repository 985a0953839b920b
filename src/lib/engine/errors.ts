/** Errors carry a code and a sentence a planner understands (and, when known, the row/field). */
export type ErrorCode =
	| 'REGION_UNKNOWN'
	| 'REGION_INVALID'
	| 'FILE_MISSING'
	| 'FILE_MALFORMED'
	| 'FIELD_MISSING'
	| 'COORD_INVALID'
	| 'BAD_ARGUMENT'
	// scenarios (engine/scenario): an edit that cannot apply, a file from an unknown format version,
	// a file that is not a scenario (or is damaged), a file made for other region data
	| 'SCENARIO_EDIT'
	| 'SCENARIO_VERSION'
	| 'SCENARIO_MALFORMED'
	| 'SCENARIO_REGION';

export class KejimapError extends Error {
	readonly code: ErrorCode;
	readonly detail?: { file?: string; row?: number; field?: string };
	constructor(code: ErrorCode, message: string, detail?: { file?: string; row?: number; field?: string }) {
		super(message);
		this.name = 'KejimapError';
		this.code = code;
		this.detail = detail;
	}
}
