/**
 * A user's road network: an OSM XML or PBF extract of their own area, into the same per-mode graphs as the
 * pipeline's (roads/build-graph.ts). Optionally fetched for a box from an Overpass endpoint (an intranet mirror,
 * configured in static/config.json `overpass`; off by default, and only when the user asks).
 */
import { KejimapError } from '../../engine/errors';
import type { Crs, NetworkSource } from '../../engine/region';
import type { CsrGraph, Mode } from '../../engine/types';
import type { Bbox } from '../pipeline/crop';
import { memoryFileSource } from '../pipeline/file-source';
import { buildModeGraphs, type RoadsReport } from '../roads/build-graph';
import type { Log } from '../source';
import { checkImportSize, IMPORT_LIMITS } from './limits';

export interface NetworkImport {
	file: string;
	network: NetworkSource;
	graphs: Partial<Record<Mode, CsrGraph>>;
	report: RoadsReport;
}

/** PBF by the name (.pbf) or the magic (a BlobHeader length, then "OSMHeader"); else XML. */
export function osmFormatOf(file: string, bytes: Uint8Array): 'osm-pbf' | 'osm-xml' {
	if (/\.pbf$/i.test(file)) return 'osm-pbf';
	if (/\.(osm|xml)$/i.test(file)) return 'osm-xml';
	const head = new TextDecoder('latin1').decode(bytes.subarray(0, 32));
	return head.includes('OSMHeader') ? 'osm-pbf' : 'osm-xml';
}

export async function importNetwork(
	bytes: Uint8Array,
	opts: { file: string; crs?: Crs; modes?: Mode[]; log?: Log; regionId?: string }
): Promise<NetworkImport> {
	checkImportSize(opts.file, bytes.byteLength, IMPORT_LIMITS.networkBytes, 'a road network');
	if (bytes.byteLength === 0) throw new KejimapError('FILE_MALFORMED', `${opts.file}: the file is empty`, { file: opts.file });
	// clip an XML export to its <bounds>: raw exports carry whole relations reaching far outside the box
	// (PBF extracts are cut by their tools already; Overpass answers have no <bounds>)
	const format = osmFormatOf(opts.file, bytes);
	const hasBounds = format === 'osm-xml' && new TextDecoder().decode(bytes.subarray(0, 4096)).includes('<bounds');
	const network: NetworkSource = { format, path: opts.file, crs: opts.crs ?? 'wgs84', clipToBounds: hasBounds };
	const r = await buildModeGraphs({ id: opts.regionId ?? 'import', network, networkModes: opts.modes }, memoryFileSource({ [opts.file]: bytes }), opts.log ?? (() => {}));
	const nodes = Object.values(r.graphs).reduce((n, g) => n + (g?.nodeCount ?? 0), 0);
	if (nodes === 0) throw new KejimapError('FILE_MALFORMED', `${opts.file}: no usable road (highway=*) in the file`, { file: opts.file });
	return { file: opts.file, network, graphs: r.graphs, report: r.report };
}

export interface OverpassConfig {
	/** off by default: the app makes no external call unless the administrator turns this on */
	enabled: boolean;
	/** an Overpass API interpreter URL (a public one, or an intranet mirror) */
	endpoint: string;
}

/** The Overpass QL for every highway in a box, with its nodes, as OSM XML with <bounds>. */
export function overpassQuery(bbox: Bbox): string {
	const [w, s, e, n] = bbox.map((x) => x.toFixed(6));
	return `[out:xml][timeout:90][bbox:${s},${w},${n},${e}];way["highway"];(._;>;);out body;`;
}

/** Largest box asked for at once (about 20 x 20 km at Chinese latitudes): a bigger one would time out or exhaust the tab. */
export const OVERPASS_MAX_BOX_DEG2 = 0.04;

/** "Load the street network for this view": POST the query, read the answer as an OSM XML extract. */
export async function fetchOverpassNetwork(
	config: OverpassConfig,
	bbox: Bbox,
	opts: { fetch?: typeof fetch; signal?: AbortSignal; log?: Log; modes?: Mode[] } = {}
): Promise<NetworkImport> {
	if (!config.enabled) throw new KejimapError('BAD_ARGUMENT', 'loading streets from Overpass is turned off (static/config.json "overpass")');
	if ((bbox[2] - bbox[0]) * (bbox[3] - bbox[1]) > OVERPASS_MAX_BOX_DEG2)
		throw new KejimapError('BAD_ARGUMENT', 'the view is too large to load its streets: zoom in to about 20 x 20 km or less');
	const f = opts.fetch ?? fetch;
	let res: Response;
	try {
		res = await f(config.endpoint, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: `data=${encodeURIComponent(overpassQuery(bbox))}`,
			signal: opts.signal
		});
	} catch (e) {
		throw new KejimapError('FILE_MISSING', `${config.endpoint}: no answer (${(e as Error).message}); are you online, and is the endpoint right?`, { file: config.endpoint });
	}
	if (!res.ok) throw new KejimapError('FILE_MISSING', `${config.endpoint}: HTTP ${res.status} ${res.statusText}`, { file: config.endpoint });
	const bytes = new Uint8Array(await res.arrayBuffer());
	return importNetwork(bytes, { file: 'overpass.osm', log: opts.log, modes: opts.modes });
}
