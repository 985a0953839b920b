/**
 * The map as a Svelte context (the pattern of svelte-maplibre-gl's MapContext, at our size): MapView creates the
 * MapLibre map and sets it here; each layer component gets it, adds its sources and layers once the style is loaded,
 * and removes them when it is destroyed. A style reload bumps `styleGen`, and every layer component adds itself again.
 */
import { getContext, setContext } from 'svelte';
import type * as maplibregl from 'maplibre-gl';
import { LAYER_ORDER, type LayerId } from './styles';

export type GeoJSONData = Parameters<maplibregl.GeoJSONSource['setData']>[0];
export const EMPTY_COLLECTION = { type: 'FeatureCollection' as const, features: [] };

export interface ClickTarget {
	/** layers whose rendered features this target handles */
	layers: LayerId[];
	handle(feature: maplibregl.MapGeoJSONFeature, map: maplibregl.Map): void;
}

export class MapContext {
	map = $state.raw<maplibregl.Map | null>(null);
	/** MapLibre's module (loaded on demand), for Popup and friends */
	ml: typeof maplibregl | null = null;
	/** bumps when a style has loaded: layer components (re)add their sources and layers */
	styleGen = $state(0);
	/** false while a style is loading (isStyleLoaded() is also false while any source loads, so it is not used) */
	styleReady = $state(false);
	readonly container: () => HTMLElement;
	private clickTargets: ClickTarget[] = [];

	constructor(container: () => HTMLElement) {
		this.container = container;
	}

	/** The map once its style is ready (reading it subscribes an effect to map, style and style reloads). */
	get ready(): maplibregl.Map | null {
		void this.styleGen;
		return this.styleReady ? this.map : null;
	}

	/** Adds a layer at its place in LAYER_ORDER (below the first present layer above it). */
	addLayer(spec: maplibregl.LayerSpecification | maplibregl.CustomLayerInterface): void {
		const m = this.map;
		if (!m || m.getLayer(spec.id)) return;
		const at = LAYER_ORDER.indexOf(spec.id as LayerId);
		if (at < 0) throw new Error(`map: layer "${spec.id}" has no place in LAYER_ORDER (styles.ts)`);
		const before = LAYER_ORDER.slice(at + 1).find((id) => m.getLayer(id));
		m.addLayer(spec, before);
	}

	addSource(id: string, spec: maplibregl.SourceSpecification): void {
		const m = this.map;
		if (m && !m.getSource(id)) m.addSource(id, spec);
	}

	geojson(id: string): maplibregl.GeoJSONSource | undefined {
		return this.map?.getSource(id) as maplibregl.GeoJSONSource | undefined;
	}

	/** Removes layers, then their sources (whatever of them the current style still has). */
	remove(layers: readonly string[], sources: readonly string[] = []): void {
		const m = this.map;
		if (!m || !m.style) return;
		for (const id of layers) if (m.getLayer(id)) m.removeLayer(id);
		for (const id of sources) if (m.getSource(id)) m.removeSource(id);
	}

	/** Clicks on these layers go to this target (the topmost feature wins); returns the unregister function. */
	onClick(target: ClickTarget): () => void {
		this.clickTargets.push(target);
		return () => {
			this.clickTargets = this.clickTargets.filter((t) => t !== target);
		};
	}

	/** Dispatches a click to the target of the topmost feature; false when no target's feature is there. */
	dispatchClick(e: maplibregl.MapMouseEvent): boolean {
		const m = this.map;
		if (!m) return false;
		const layers = this.clickTargets.flatMap((t) => t.layers).filter((l) => m.getLayer(l));
		if (!layers.length) return false;
		const hit = m.queryRenderedFeatures(e.point, { layers })[0];
		const target = hit && this.clickTargets.find((t) => (t.layers as string[]).includes(hit.layer.id));
		if (!target) return false;
		target.handle(hit, m);
		return true;
	}
}

const KEY = Symbol('kejimap.map');

export function setMapContext(ctx: MapContext): MapContext {
	return setContext(KEY, ctx);
}

export function getMapContext(): MapContext {
	const ctx = getContext<MapContext | undefined>(KEY);
	if (!ctx) throw new Error('getMapContext: a map layer outside MapView');
	return ctx;
}
