/** The app state as a Svelte context (as svelte-maplibre-gl does for its map): the page sets it, components get it. */
import { getContext, setContext } from 'svelte';
import type { AppState } from './app.svelte';

const KEY = Symbol('kejimap.app');

export function setAppContext(app: AppState): AppState {
	return setContext(KEY, app);
}

export function getAppContext(): AppState {
	const app = getContext<AppState | undefined>(KEY);
	if (!app) throw new Error('getAppContext: called outside the page that set the app context');
	return app;
}
