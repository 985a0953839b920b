import { describe, expect, it } from 'vitest';
import { gcj02ToWgs84 } from '../../engine/geo/crs';
import type { NetworkSource, RegionManifest } from '../../engine/region';
import { nodeFileSource } from '../node/files';
import { memoryFileSource } from '../pipeline/file-source';
import { buildModeGraphs } from './build-graph';
import { nodeAt } from './testing';

const manifest = (network: NetworkSource | null, extra: Partial<RegionManifest> = {}) =>
	({ id: 't', name: { zh: '测', en: 't' }, network, ...extra }) as unknown as RegionManifest;

const nodes = JSON.stringify({
	type: 'FeatureCollection',
	features: [
		[121.47, 31.23],
		[121.471, 31.23]
	].map((c, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: c }, properties: { id: i } }))
});
const edges = JSON.stringify({
	type: 'FeatureCollection',
	features: [{ type: 'Feature', geometry: { type: 'LineString', coordinates: [[121.47, 31.23], [121.471, 31.23]] }, properties: { u: 0, v: 1, highway: 'footway' } }]
});
const files = memoryFileSource({ 'n.geojson': nodes, 'e.geojson': edges });

describe('buildModeGraphs', () => {
	it('returns no graph for a region without a network', async () => {
		const r = await buildModeGraphs(manifest(null), files, () => {});
		expect(r.graphs).toEqual({});
		expect(r.report.format).toBeNull();
	});

	it('converts a GCJ-02 network to WGS84 and warns about an empty mode graph', async () => {
		const logs: string[] = [];
		const net: NetworkSource = { format: 'geojson-graph', nodesPath: 'n.geojson', edgesPath: 'e.geojson', crs: 'gcj02', classField: 'highway' };
		const { graphs, report } = await buildModeGraphs(manifest(net), files, (m) => logs.push(m));
		const [lon, lat] = gcj02ToWgs84(121.47, 31.23);
		expect(nodeAt(graphs.walk!, lon, lat)).toBeGreaterThanOrEqual(0);
		expect(Math.abs(lon - 121.47)).toBeGreaterThan(0.003); // the shift in Shanghai is several hundred metres
		expect(report.crs).toBe('gcj02');
		expect(graphs.drive!.nodeCount).toBe(0); // a footway only
		expect(report.modes.drive!.excludedWays).toEqual({ 'class=footway': 1 });
		expect(logs.some((m) => m.includes('roads/drive: WARNING'))).toBe(true);
	});

	it('names a missing file', async () => {
		const net: NetworkSource = { format: 'osm-xml', path: 'no/such/file.osm' };
		await expect(buildModeGraphs(manifest(net), nodeFileSource((p) => `/nonexistent-kejimap/${p}`), () => {})).rejects.toThrow(/file not found: \/nonexistent-kejimap\/no\/such\/file\.osm/);
	});
});
