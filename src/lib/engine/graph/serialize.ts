/** CsrGraph <-> one ArrayBuffer (bundle), transferable to a worker without copying. */
import { decodeBundle, encodeBundle } from '../io/bundle';
import type { CsrGraph, Mode } from '../types';

interface GraphMeta {
	kind: 'graph';
	mode: Mode;
	nodeCount: number;
	arcCount: number;
	symmetric: boolean;
}

export function serializeGraph(g: CsrGraph): ArrayBuffer {
	const meta: GraphMeta = { kind: 'graph', mode: g.mode, nodeCount: g.nodeCount, arcCount: g.arcCount, symmetric: g.symmetric };
	return encodeBundle(meta, {
		offsets: g.offsets,
		targets: g.targets,
		weightS: g.weightS,
		lengthM: g.lengthM,
		lon: g.lon,
		lat: g.lat,
		component: g.component
	});
}

export function deserializeGraph(buf: ArrayBuffer): CsrGraph {
	const { meta, columns } = decodeBundle<GraphMeta>(buf);
	if (meta.kind !== 'graph') throw new Error('not a graph bundle');
	return {
		mode: meta.mode,
		nodeCount: meta.nodeCount,
		arcCount: meta.arcCount,
		symmetric: meta.symmetric,
		offsets: columns.offsets as Uint32Array,
		targets: columns.targets as Uint32Array,
		weightS: columns.weightS as Float32Array,
		lengthM: columns.lengthM as Float32Array,
		lon: columns.lon as Float64Array,
		lat: columns.lat as Float64Array,
		component: columns.component as Int32Array
	};
}
