/** Errors carry a code and a sentence a planner understands (and, when known, the row/field). */
export type ErrorCode =
	| 'REGION_UNKNOWN'
	| 'REGION_INVALID'
	| 'FILE_MISSING'
	| 'FILE_MALFORMED'
	| 'FIELD_MISSING'
	| 'COORD_INVALID'
	| 'BAD_ARGUMENT'
	// import (bring your own data)
	| 'FILE_TOO_LARGE'
	| 'ENCODING_UNKNOWN'
	| 'IMPORT_CANCELLED';

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
