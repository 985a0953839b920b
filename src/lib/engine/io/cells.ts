/** Cell table <-> bundle. H3 indexes are stored as two u32 halves (h3-js split-long form). */
import { h3ToSplit, splitToH3 } from '../geo/h3';
import type { CellTable } from '../types';
import { decodeBundle, encodeBundle } from './bundle';

interface CellMeta {
	kind: 'cells';
	resolution: number;
	populationMethod: CellTable['populationMethod'];
}

export function serializeCells(t: CellTable): ArrayBuffer {
	const hi = new Uint32Array(t.count);
	const lo = new Uint32Array(t.count);
	for (let i = 0; i < t.count; i++) {
		const [l, h] = h3ToSplit(t.h3[i]);
		lo[i] = l;
		hi[i] = h;
	}
	const meta: CellMeta = { kind: 'cells', resolution: t.resolution, populationMethod: t.populationMethod };
	return encodeBundle(meta, { h3lo: lo, h3hi: hi, lon: t.lon, lat: t.lat, population: t.population, areaIndex: t.areaIndex });
}

export function deserializeCells(buf: ArrayBuffer): CellTable {
	const { meta, columns } = decodeBundle<CellMeta>(buf);
	if (meta.kind !== 'cells') throw new Error('not a cell table');
	const lo = columns.h3lo as Uint32Array;
	const hi = columns.h3hi as Uint32Array;
	const h3: string[] = new Array(lo.length);
	for (let i = 0; i < lo.length; i++) h3[i] = splitToH3(lo[i], hi[i]);
	return {
		resolution: meta.resolution,
		count: lo.length,
		h3,
		lon: columns.lon as Float64Array,
		lat: columns.lat as Float64Array,
		population: columns.population as Float64Array,
		areaIndex: columns.areaIndex as Int32Array,
		populationMethod: meta.populationMethod
	};
}
