/**
 * Road network import on the real OSM extracts (skipped with a notice without the shared data), and "load the
 * street network for this view" against a local stand-in Overpass endpoint on 127.0.0.1 that serves the same
 * extract: no test touches the internet.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDataRoot, nodeFileSource } from '../node/files';
import { buildModeGraphs } from '../roads/build-graph';
import { fetchOverpassNetwork, importNetwork, osmFormatOf, overpassQuery } from './network';

const tongji = path.join(defaultDataRoot(), 'shanghai-osm-extracts/yangpu_tongji_siping_raw.osm');
const hasData = existsSync(tongji);
if (!hasData) console.log(`notice: ${tongji} not found: real network import checks skipped`);

describe('importNetwork', () => {
	it('refuses empty and non-OSM files with the file named', async () => {
		await expect(importNetwork(new Uint8Array(0), { file: 'e.osm' })).rejects.toMatchObject({ code: 'FILE_MALFORMED', message: 'e.osm: the file is empty' });
		await expect(importNetwork(new TextEncoder().encode('<html>no</html>'), { file: 'x.osm' })).rejects.toMatchObject({ name: 'KejimapError' });
		await expect(importNetwork(new TextEncoder().encode('<?xml version="1.0"?><osm version="0.6"></osm>'), { file: 'none.osm' })).rejects.toMatchObject({
			message: 'none.osm: no usable road (highway=*) in the file'
		});
		expect(osmFormatOf('a.pbf', new Uint8Array(0))).toBe('osm-pbf');
		expect(osmFormatOf('blob', new TextEncoder().encode('\0\0\0\x0d\x0a\x09OSMHeader'))).toBe('osm-pbf');
	});

	it.skipIf(!hasData)('the Tongji extract gives the same graphs as the pipeline reading it from disk', async () => {
		const bytes = new Uint8Array(readFileSync(tongji));
		const imp = await importNetwork(bytes, { file: 'tongji.osm' });
		const ref = await buildModeGraphs(
			{ id: 'ref', network: { format: 'osm-xml', path: tongji, clipToBounds: true } },
			nodeFileSource((p) => p),
			() => {}
		);
		expect(imp.network.clipToBounds).toBe(true);
		expect(Object.keys(imp.graphs)).toEqual(['walk', 'cycle', 'drive']);
		expect(imp.graphs).toEqual(ref.graphs);
		expect(imp.report.osm!.nodesInFile).toBe(4241);
	});
});

describe.skipIf(!hasData)('Overpass stand-in on 127.0.0.1', () => {
	let server: Server;
	let endpoint = '';
	const queries: string[] = [];
	beforeAll(async () => {
		server = createServer((req, res) => {
			let body = '';
			req.on('data', (c) => (body += c));
			req.on('end', () => {
				const q = new URLSearchParams(body).get('data') ?? '';
				queries.push(q);
				if (req.method !== 'POST' || !/way\["highway"\]/.test(q)) {
					res.writeHead(400).end('bad query');
					return;
				}
				// an Overpass answer has no <bounds>: serve the extract without it
				res.writeHead(200, { 'Content-Type': 'application/osm3s+xml' }).end(readFileSync(tongji, 'utf8').replace(/<bounds[^>]*\/>/, ''));
			});
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/interpreter`;
	});
	afterAll(() => new Promise<void>((r) => server.close(() => r())));

	const view: [number, number, number, number] = [121.4915, 31.2809, 121.5032, 31.2894];

	it('loads the streets of the view from the configured endpoint', async () => {
		const imp = await fetchOverpassNetwork({ enabled: true, endpoint }, view);
		expect(queries.at(-1)).toBe(overpassQuery(view));
		expect(queries.at(-1)).toContain('[bbox:31.280900,121.491500,31.289400,121.503200]');
		expect(imp.graphs.walk!.nodeCount).toBeGreaterThan(500);
		expect(imp.network.clipToBounds).toBe(false);
	});

	it('is off unless configured, refuses a huge view, and names an endpoint that does not answer', async () => {
		await expect(fetchOverpassNetwork({ enabled: false, endpoint }, view)).rejects.toThrow(/turned off/);
		await expect(fetchOverpassNetwork({ enabled: true, endpoint }, [120, 30, 122, 32])).rejects.toThrow(/too large/);
		await expect(fetchOverpassNetwork({ enabled: true, endpoint: 'http://127.0.0.1:9/api/interpreter' }, view)).rejects.toMatchObject({ code: 'FILE_MISSING', message: expect.stringMatching(/^http:\/\/127\.0\.0\.1:9\/api\/interpreter: no answer/) });
	});
});
