/**
 * OSM XML reader (streaming SAX): nodes (id, lon, lat), ways (refs + routing tags) and `<bounds>`.
 * Pure: takes text or bytes, so the browser importer can hand it a File's contents.
 */
import sax from 'sax';
import { KejimapError, wrapReaderError } from '../../engine/errors';
import { OSM_ROUTING_TAGS, type LonLatBounds, type OsmData, type OsmWay } from './types';

export interface OsmReadOptions {
	file?: string; // name used in error messages
	keepTags?: readonly string[]; // way tag keys to keep (default OSM_ROUTING_TAGS)
}

const CHUNK_CHARS = 1 << 20;

/** Growable Float64 column (OSM files can hold millions of nodes; plain arrays of numbers would double memory). */
export class F64Column {
	data = new Float64Array(1024);
	length = 0;
	push(v: number): void {
		if (this.length === this.data.length) {
			const next = new Float64Array(this.data.length * 2);
			next.set(this.data);
			this.data = next;
		}
		this.data[this.length++] = v;
	}
	toArray(): Float64Array {
		return this.data.slice(0, this.length);
	}
}

function num(attrs: Record<string, string>, k: string): number {
	const s = attrs[k];
	return s === undefined ? NaN : Number(s);
}

export function parseOsmXml(input: string | Uint8Array, options: OsmReadOptions = {}): OsmData {
	const file = options.file ?? 'OSM XML';
	const keep = new Set(options.keepTags ?? OSM_ROUTING_TAGS);
	const ids = new F64Column();
	const lons = new F64Column();
	const lats = new F64Column();
	const ways: OsmWay[] = [];
	let bounds: LonLatBounds | null = null;
	let way: OsmWay | null = null;
	let sawOsmRoot = false;

	const parser = sax.parser(true, { trim: false, normalize: false });
	const fail = (msg: string): never => {
		throw new KejimapError('FILE_MALFORMED', `${file}, line ${parser.line + 1}: ${msg}`, { file, row: parser.line + 1 });
	};
	parser.onerror = (e) => fail(`not valid XML (${e.message.split('\n')[0]})`);
	parser.onopentag = (tag) => {
		const a = tag.attributes as Record<string, string>;
		switch (tag.name) {
			case 'osm':
				sawOsmRoot = true;
				break;
			case 'bounds': {
				const b = { minLon: num(a, 'minlon'), minLat: num(a, 'minlat'), maxLon: num(a, 'maxlon'), maxLat: num(a, 'maxlat') };
				if (![b.minLon, b.minLat, b.maxLon, b.maxLat].every(Number.isFinite) || b.minLon > b.maxLon || b.minLat > b.maxLat)
					fail('<bounds> needs numeric minlon <= maxlon and minlat <= maxlat');
				bounds = b;
				break;
			}
			case 'node': {
				if (a.visible === 'false' || a.action === 'delete') break; // deleted in a history dump / a JOSM file
				const id = num(a, 'id');
				const lon = num(a, 'lon');
				const lat = num(a, 'lat');
				if (!Number.isSafeInteger(id)) fail(`<node> without a valid id (${a.id})`);
				if (!(Math.abs(lon) <= 180 && Math.abs(lat) <= 90)) fail(`node ${a.id}: lon/lat ${a.lon}, ${a.lat} are not WGS84 degrees`);
				ids.push(id);
				lons.push(lon);
				lats.push(lat);
				break;
			}
			case 'way': {
				const id = num(a, 'id');
				if (!Number.isSafeInteger(id)) fail(`<way> without a valid id (${a.id})`);
				way = a.visible === 'false' || a.action === 'delete' ? null : { id, refs: [], tags: {} };
				break;
			}
			case 'nd':
				if (way) {
					const ref = num(a, 'ref');
					if (!Number.isSafeInteger(ref)) fail(`way ${way.id}: <nd> without a valid ref (${a.ref})`);
					way.refs.push(ref);
				}
				break;
			case 'tag':
				if (way && a.k !== undefined && keep.has(a.k)) way.tags[a.k] = a.v ?? '';
				break;
		}
	};
	parser.onclosetag = (name) => {
		if (name === 'way' && way) {
			ways.push(way);
			way = null;
		}
	};

	try {
		if (typeof input === 'string') {
			for (let i = 0; i < input.length; i += CHUNK_CHARS) parser.write(input.slice(i, i + CHUNK_CHARS));
		} else {
			const dec = new TextDecoder('utf-8');
			for (let i = 0; i < input.length; i += CHUNK_CHARS)
				parser.write(dec.decode(input.subarray(i, i + CHUNK_CHARS), { stream: i + CHUNK_CHARS < input.length }));
		}
		parser.close();
	} catch (e) {
		// sax reports "Line: 12 Column: 3 Char: x" in its message
		throw wrapReaderError(e, 'FILE_MALFORMED', file, 'not a readable OSM XML file');
	}
	if (!sawOsmRoot) fail('no <osm> root element: is this an OSM XML file?');
	return { bounds, nodeIds: ids.toArray(), lon: lons.toArray(), lat: lats.toArray(), ways };
}
