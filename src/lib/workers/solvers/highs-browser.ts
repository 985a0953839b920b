/**
 * The HiGHS solver for the browser worker: highs.wasm is a Vite asset of the static build (`?url`), passed to
 * the loader, so the app works offline from its own files.
 */
import wasmUrl from 'highs/runtime?url';
import { createHighsSolver } from './highs';

export function browserHighsSolver() {
	return createHighsSolver({ wasmUrl });
}
