/** Errors carry a code and a sentence a planner understands (and, when known, the row/field/byte offset). */
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
	| 'SCENARIO_REGION'
	// robustness (issue 9)
	| 'ENCODING_UNSUPPORTED'
	| 'FILE_EMPTY'
	| 'VALUE_INVALID'
	| 'OUTPUT_REFUSED'
	// import (bring your own data): a file too large for the tab, a cancelled import
	| 'FILE_TOO_LARGE'
	| 'IMPORT_CANCELLED';

export interface ErrorDetail {
	file?: string;
	row?: number;
	field?: string;
	/** byte offset in a binary file (PBF, TIFF), when known */
	offset?: number;
}

export class KejimapError extends Error {
	readonly code: ErrorCode;
	readonly detail?: ErrorDetail;
	constructor(code: ErrorCode, message: string, detail?: ErrorDetail) {
		// one line, always: a value quoted from a damaged file may hold line breaks
		super(message.replace(/\s*[\r\n]+\s*/g, ' '));
		this.name = 'KejimapError';
		this.code = code;
		this.detail = detail;
	}
}

/**
 * A library's error (zlib, pbf, geotiff, JSON...) as a KejimapError naming the file, so no reader lets a raw
 * stack reach the user. KejimapErrors pass through unchanged.
 */
export function wrapReaderError(e: unknown, code: ErrorCode, file: string, what: string, detail: Omit<ErrorDetail, 'file'> = {}): KejimapError {
	if (e instanceof KejimapError) {
		if (e.detail?.file) return e;
		// a helper's error (e.g. inflate) that could not know the file: add it, and where
		const near = detail.offset !== undefined ? ` near byte ${detail.offset}` : '';
		return new KejimapError(e.code, `${file}${near}: ${e.message}`, { ...e.detail, ...detail, file });
	}
	const reason = errorMessage(e);
	const at = detail.row !== undefined ? ` (row ${detail.row})` : detail.offset !== undefined ? ` (near byte ${detail.offset})` : '';
	return new KejimapError(code, `${file}: ${what}${at}: ${reason.split('\n')[0].slice(0, 200)}`, { file, ...detail });
}

/** The message of anything thrown (an Error's message, else its string form). */
export function errorMessage(e: unknown): string {
	return e instanceof Error ? e.message : String(e);
}
