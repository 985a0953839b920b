/**
 * Node + edge GeoJSON graph reader (the Chengdu / Lingqiu / Xixiang format): nodes are Points with an `id`,
 * edges are LineStrings with `u`, `v` (node ids), optional `length_m` and an optional class property.
 * Shape points inside an edge become graph nodes too, so arcs follow the road (snapping needs that);
 * the two directions of a two-way road share those nodes.
 */
import { KejimapError, wrapReaderError } from '../../engine/errors';
import { haversineM } from '../../engine/geo/measure';
import type { RoadNetwork, RoadWay } from './types';

export interface GeojsonGraphOptions {
	classField?: string;
	/** edges are one-way u -> v (a two-way road has both edges) */
	directed?: boolean;
	nodesFile?: string;
	edgesFile?: string;
}

export interface GeojsonGraphReport {
	nodeFeatures: number;
	edgeFeatures: number;
	edgesUsed: number;
	skipped: Record<string, number>; // edges not used, by reason
	unreferencedNodes: number; // nodes no edge touches (not in the graph)
	shapeNodes: number; // nodes added for shape points inside edges
	reversedGeometry: number; // edges whose line ran v -> u (turned round)
	endpointMismatch: number; // edges whose line ends (summed) lie more than 2 m from the u / v nodes
	givenLengthKm: number | null; // sum of the `length_m` property, when present
	geometryLengthKm: number; // sum of the haversine length of the lines used
	classes: Record<string, number>; // edges per class value ("(none)" when absent)
}

type Json = Record<string, unknown>;

function parseJson(input: string | Uint8Array | object, file: string): Json {
	if (typeof input === 'object' && !(input instanceof Uint8Array)) return input as Json;
	const text = typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
	try {
		return JSON.parse(text) as Json;
	} catch (e) {
		throw new KejimapError('FILE_MALFORMED', `${file}: not valid JSON (${(e as Error).message})`, { file });
	}
}

function featuresOf(doc: Json, file: string): Json[] {
	if (doc.type !== 'FeatureCollection' || !Array.isArray(doc.features))
		throw new KejimapError('FILE_MALFORMED', `${file}: expected a GeoJSON FeatureCollection`, { file });
	return doc.features as Json[];
}

function propsOf(f: Json): Json {
	return (f.properties ?? {}) as Json;
}

/** OSMnx writes lists as "['primary', 'secondary']": take the first class. */
function classValue(v: unknown): string | null {
	if (typeof v !== 'string' || v.length === 0) return null;
	const m = /^\[\s*'([^']*)'/.exec(v);
	return m ? m[1] : v;
}

function validLonLat(c: unknown): c is [number, number] {
	return Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number' && Math.abs(c[0]) <= 180 && Math.abs(c[1]) <= 90;
}

export function parseGeojsonGraph(
	nodesInput: string | Uint8Array | object,
	edgesInput: string | Uint8Array | object,
	options: GeojsonGraphOptions = {}
): { network: RoadNetwork; report: GeojsonGraphReport } {
	try {
		return readGeojsonGraph(nodesInput, edgesInput, options);
	} catch (e) {
		// odd shapes inside features (a string where a list belongs...) must not surface as a TypeError
		throw wrapReaderError(e, 'FILE_MALFORMED', `${options.nodesFile ?? 'nodes GeoJSON'} / ${options.edgesFile ?? 'edges GeoJSON'}`, 'not a readable road graph');
	}
}

function readGeojsonGraph(
	nodesInput: string | Uint8Array | object,
	edgesInput: string | Uint8Array | object,
	options: GeojsonGraphOptions
): { network: RoadNetwork; report: GeojsonGraphReport } {
	const nodesFile = options.nodesFile ?? 'nodes GeoJSON';
	const edgesFile = options.edgesFile ?? 'edges GeoJSON';
	const nodeFeatures = featuresOf(parseJson(nodesInput, nodesFile), nodesFile);
	const edgeFeatures = featuresOf(parseJson(edgesInput, edgesFile), edgesFile);

	const lon: number[] = [];
	const lat: number[] = [];
	const idToIndex = new Map<string, number>();
	nodeFeatures.forEach((f, i) => {
		const id = propsOf(f).id;
		if (typeof id !== 'number' && typeof id !== 'string')
			throw new KejimapError('FIELD_MISSING', `${nodesFile}, feature ${i}: property "id" is missing`, { file: nodesFile, row: i, field: 'id' });
		const c = (f.geometry as Json | null)?.coordinates;
		if (!validLonLat(c))
			throw new KejimapError('COORD_INVALID', `${nodesFile}, feature ${i} (id ${id}): needs a Point geometry in WGS84 [lon, lat] degrees`, {
				file: nodesFile,
				row: i,
				field: 'geometry'
			});
		const key = String(id);
		if (idToIndex.has(key))
			throw new KejimapError('FILE_MALFORMED', `${nodesFile}, feature ${i}: node id ${id} appears twice`, { file: nodesFile, row: i, field: 'id' });
		idToIndex.set(key, lon.length);
		lon.push(c[0]);
		lat.push(c[1]);
	});
	const fileNodeCount = lon.length;
	const referenced = new Uint8Array(fileNodeCount);

	const skipped: Record<string, number> = {};
	const skip = (reason: string) => (skipped[reason] = (skipped[reason] ?? 0) + 1);
	const classes: Record<string, number> = {};
	const ways: RoadWay[] = [];
	const shared = new Map<string, number[]>(); // undirected pair + shape -> shape node indices in (low -> high) order
	let reversedGeometry = 0,
		endpointMismatch = 0,
		givenM = 0,
		hasGiven = false,
		geometryM = 0;

	edgeFeatures.forEach((f, i) => {
		const p = propsOf(f);
		for (const k of ['u', 'v'])
			if (typeof p[k] !== 'number' && typeof p[k] !== 'string')
				throw new KejimapError('FIELD_MISSING', `${edgesFile}, feature ${i}: property "${k}" (node id) is missing`, { file: edgesFile, row: i, field: k });
		const u = idToIndex.get(String(p.u));
		const v = idToIndex.get(String(p.v));
		if (u === undefined || v === undefined) return skip('unknown-node-id');
		const g = f.geometry as Json | null;
		let coords: [number, number][];
		if (g && g.type === 'LineString' && Array.isArray(g.coordinates) && g.coordinates.length >= 2) {
			if (!(g.coordinates as unknown[]).every(validLonLat)) return skip('invalid-coordinates');
			coords = g.coordinates as [number, number][];
		} else if (g && g.type !== 'LineString') return skip(`geometry-${String(g.type)}`);
		else coords = [[lon[u], lat[u]], [lon[v], lat[v]]]; // no line: straight link
		const n = coords.length;
		const dFwd = haversineM(coords[0][0], coords[0][1], lon[u], lat[u]) + haversineM(coords[n - 1][0], coords[n - 1][1], lon[v], lat[v]);
		const dRev = haversineM(coords[0][0], coords[0][1], lon[v], lat[v]) + haversineM(coords[n - 1][0], coords[n - 1][1], lon[u], lat[u]);
		if (dRev < dFwd) {
			coords = coords.slice().reverse();
			reversedGeometry++;
		}
		if (Math.min(dFwd, dRev) > 2) endpointMismatch++;
		// shape points, stored low -> high node index so both directions of a road find the same nodes
		const lowFirst = u <= v;
		const inner = coords.slice(1, n - 1);
		const innerLow = lowFirst ? inner : inner.slice().reverse();
		const key = `${Math.min(u, v)}|${Math.max(u, v)}|${innerLow.map((c) => `${c[0]},${c[1]}`).join(';')}`;
		let shape = shared.get(key);
		if (!shape) {
			shape = innerLow.map((c) => {
				lon.push(c[0]);
				lat.push(c[1]);
				return lon.length - 1;
			});
			shared.set(key, shape);
		}
		const refs = [u, ...(lowFirst ? shape : shape.slice().reverse()), v];
		for (let k = 0; k + 1 < refs.length; k++) geometryM += haversineM(lon[refs[k]], lat[refs[k]], lon[refs[k + 1]], lat[refs[k + 1]]);
		if (typeof p.length_m === 'number') {
			givenM += p.length_m;
			hasGiven = true;
		}
		const cls = options.classField ? classValue(p[options.classField]) : null;
		classes[cls ?? '(none)'] = (classes[cls ?? '(none)'] ?? 0) + 1;
		referenced[u] = referenced[v] = 1;
		ways.push({ refs, roadClass: cls, oneway: options.directed ? 1 : 0, sourceId: i });
	});
	if (edgeFeatures.length > 0 && ways.length === 0)
		throw new KejimapError('FILE_MALFORMED', `${edgesFile}: no edge could be used (${JSON.stringify(skipped)}): do the nodes and edges files belong together?`, {
			file: edgesFile
		});

	// keep only nodes some edge uses (file nodes first, then shape nodes)
	const keepIndex = new Int32Array(lon.length).fill(-1);
	let next = 0;
	for (let i = 0; i < lon.length; i++) if (i >= fileNodeCount || referenced[i]) keepIndex[i] = next++;
	const outLon = new Float64Array(next);
	const outLat = new Float64Array(next);
	for (let i = 0; i < lon.length; i++)
		if (keepIndex[i] >= 0) {
			outLon[keepIndex[i]] = lon[i];
			outLat[keepIndex[i]] = lat[i];
		}
	for (const w of ways) w.refs = Array.from(w.refs, (r) => keepIndex[r]);
	let unreferenced = 0;
	for (let i = 0; i < fileNodeCount; i++) if (!referenced[i]) unreferenced++;

	return {
		network: { lon: outLon, lat: outLat, ways },
		report: {
			nodeFeatures: nodeFeatures.length,
			edgeFeatures: edgeFeatures.length,
			edgesUsed: ways.length,
			skipped,
			unreferencedNodes: unreferenced,
			shapeNodes: lon.length - fileNodeCount,
			reversedGeometry,
			endpointMismatch,
			givenLengthKm: hasGiven ? givenM / 1000 : null,
			geometryLengthKm: geometryM / 1000,
			classes
		}
	};
}
