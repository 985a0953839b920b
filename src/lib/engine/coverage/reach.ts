/**
 * Reach sets for planning: for each candidate site, the cells it would reach within a threshold if it were
 * added as a facility, with the minutes coverage would then compute for that cell from that site. Stored as a
 * ReachMatrix (CSR of typed arrays). Built once per setting (mode, minutes, method, existing facilities).
 *
 * Per cell, the same rule as coverage (computeCoverage):
 * - network cells (method network, or auto on a network piece that holds an existing facility): the site snaps
 *   like an added facility (IncrementalCoverage: snapper.snap within maxFacilityAccessM), one bounded search
 *   from its entries (reachWithin), then the cell's time as cellNetworkTime takes it: min over the cell's two
 *   arc ends of label + cost to the cell, plus the access leg;
 * - radius cells (method radius; auto: cells off the network or on a piece without an existing facility):
 *   straight line x detour at the mode speed (radiusSeconds), within the cutoff distance;
 * - minutes are Math.fround(seconds / 60), and a time counts only within the coverage run's own cutoff.
 * With these, adding the site to coverage gives each cell min(its old minutes, the site's minutes): labels are
 * a minimum over facilities and every step above is monotone.
 *
 * One exception, in auto mode: a site on a network piece with no existing facility would switch every cell of
 * that piece from the radius method to the network method (which can lower other cells' coverage), so it is
 * not a sum of independent reaches. Such sites are flagged (`switchesPiece`) and the planner leaves them out.
 */
import { haversineM } from '../geo/measure';
import { metricFrame, PointIndex } from '../geo/point-index';
import type { SnapColumns, Snapper } from '../graph/snap';
import type { ModeProfile } from '../modes';
import { facilitySeedFromSnap, reachWithin, RoutingWorkspace } from '../routing/shortest-paths';
import type { CellTable, CsrGraph, MethodChoice } from '../types';
import { effectiveMethod, facilitySeeds, type NetworkContext } from './coverage';
import { radiusDistanceM, radiusSeconds } from './radius';

/** A CSR from keys (nodes or components) to cells: cells of key k are cells[start[k] .. start[k+1]). */
export interface CellIndex {
	start: Uint32Array;
	cells: Int32Array;
}

/** node -> cells snapped to it (as the u or the v end of their arc); unsnapped cells are left out. */
export function cellsByNode(cellSnap: Pick<SnapColumns, 'u' | 'v'>, nodeCount: number): CellIndex {
	const n = cellSnap.u.length;
	const start = new Uint32Array(nodeCount + 1);
	for (let c = 0; c < n; c++) {
		const u = cellSnap.u[c];
		if (u < 0) continue;
		start[u + 1]++;
		if (cellSnap.v[c] !== u) start[cellSnap.v[c] + 1]++;
	}
	for (let v = 0; v < nodeCount; v++) start[v + 1] += start[v];
	const cells = new Int32Array(start[nodeCount]);
	const fill = start.slice(0, nodeCount);
	for (let c = 0; c < n; c++) {
		const u = cellSnap.u[c];
		if (u < 0) continue;
		cells[fill[u]++] = c;
		if (cellSnap.v[c] !== u) cells[fill[cellSnap.v[c]]++] = c;
	}
	return { start, cells };
}

/** Number of network pieces (weak components) of a graph. */
export function componentCount(g: Pick<CsrGraph, 'nodeCount' | 'component'>): number {
	let k = 0;
	for (let v = 0; v < g.nodeCount; v++) if (g.component[v] + 1 > k) k = g.component[v] + 1;
	return k;
}

/** component -> on-network cells (by the component of the cell's u end). */
export function cellsByComponent(cellSnap: Pick<SnapColumns, 'u'>, component: Int32Array, compCount: number): CellIndex {
	const n = cellSnap.u.length;
	const start = new Uint32Array(compCount + 1);
	for (let c = 0; c < n; c++) if (cellSnap.u[c] >= 0) start[component[cellSnap.u[c]] + 1]++;
	for (let i = 0; i < compCount; i++) start[i + 1] += start[i];
	const cells = new Int32Array(start[compCount]);
	const fill = start.slice(0, compCount);
	for (let c = 0; c < n; c++) if (cellSnap.u[c] >= 0) cells[fill[component[cellSnap.u[c]]]++] = c;
	return { start, cells };
}

export interface SiteReachRequest {
	cells: Pick<CellTable, 'count' | 'lon' | 'lat'>;
	profile: ModeProfile;
	method: MethodChoice;
	/** null for the radius method or a region without this mode's network */
	network: NetworkContext | null;
	/** existing facilities: decide which network pieces are served (auto) */
	facilities: { lon: number; lat: number }[];
	active: ArrayLike<number>;
	/** keep entries with minutes <= thresholdMinutes */
	thresholdMinutes: number;
	/** the coverage run's cutoff (CoverageSession: max(MIN_CUTOFF_MINUTES, maxMinutes)); times beyond are unreached */
	coverageCutoffMinutes: number;
	/** candidate sites [lon, lat] */
	sites: { lon: number; lat: number }[];
	/** cells this mode decides (per-area modes); default all */
	cellMask?: Uint8Array;
}

export interface SiteReach {
	/** per site: reached cells (ascending) and minutes */
	offsets: Uint32Array;
	cell: Uint32Array;
	minutes: Float32Array;
	/** auto mode: 1 = the site lies on a network piece without an existing facility (see the file comment) */
	switchesPiece: Uint8Array;
	/** 1 = the site is too far from every road to join the network (it still reaches radius cells) */
	unsnapped: Uint8Array;
}

class Growable {
	cell = new Uint32Array(1024);
	minutes = new Float32Array(1024);
	size = 0;
	push(c: number, m: number): void {
		if (this.size === this.cell.length) {
			const nc = new Uint32Array(this.size * 2);
			nc.set(this.cell);
			this.cell = nc;
			const nm = new Float32Array(this.size * 2);
			nm.set(this.minutes);
			this.minutes = nm;
		}
		this.cell[this.size] = c;
		this.minutes[this.size++] = m;
	}
}

/** Reach of every site under one mode (see the file comment for the rule). */
export function siteReach(req: SiteReachRequest): SiteReach {
	return drain(siteReachSteps(req));
}

/** Runs a step generator to its end and returns its result. */
export function drain<T>(steps: Generator<unknown, T>): T {
	for (;;) {
		const r = steps.next();
		if (r.done) return r.value;
	}
}

/** siteReach in steps: yields the number of sites done every `chunk` sites, so a caller can report and cancel. */
export function* siteReachSteps(req: SiteReachRequest, chunk = 256): Generator<number, SiteReach> {
	const { cells, profile, sites } = req;
	const n = cells.count;
	const k = sites.length;
	const T = req.thresholdMinutes;
	const coverageCutoffS = req.coverageCutoffMinutes * 60;
	const net = effectiveMethod(req.method, req.network !== null) === 'radius' ? null : req.network;
	const choice = effectiveMethod(req.method, net !== null);
	const mask = req.cellMask;
	const switchesPiece = new Uint8Array(k);
	const unsnapped = new Uint8Array(k);

	// Which cells take which method (fixed: no site is allowed to switch a piece).
	const radiusCell = new Uint8Array(n);
	const networkCell = new Uint8Array(n);
	let served: Uint8Array | null = null;
	if (!net) radiusCell.fill(1);
	else {
		const comp = net.graph.component;
		served = new Uint8Array(componentCount(net.graph));
		for (const s of facilitySeeds(net, req.active)) for (const e of s.entries) served[comp[e.node]] = 1;
		const cs = net.cellSnap;
		for (let c = 0; c < n; c++) {
			const u = cs.u[c];
			if (u < 0) radiusCell[c] = choice === 'auto' ? 1 : 0;
			else if (choice === 'auto' && !served[comp[u]]) radiusCell[c] = 1;
			else networkCell[c] = 1;
		}
	}
	if (mask)
		for (let c = 0; c < n; c++)
			if (!mask[c]) {
				radiusCell[c] = 0;
				networkCell[c] = 0;
			}
	// pieces whose switch would change a cell of this mode: unserved pieces holding one of its cells
	let switchable: Uint8Array | null = null;
	if (net && served && choice === 'auto') {
		switchable = new Uint8Array(served.length);
		const cs = net.cellSnap;
		for (let c = 0; c < n; c++) if (cs.u[c] >= 0 && (!mask || mask[c]) && !served[net.graph.component[cs.u[c]]]) switchable[net.graph.component[cs.u[c]]] = 1;
	}

	// ---- network part ----
	let snapper: Snapper | null = null;
	let byNode: CellIndex | null = null;
	let ws: RoutingWorkspace | null = null;
	let nodeDist: Float64Array | null = null;
	// reachWithin's bound: every time whose Float32 minutes are <= T (a hair above T x 60), within the run's cutoff
	const maxS = Math.min(coverageCutoffS, T * 60 * (1 + 1e-6) + 1e-3);
	if (net) {
		snapper = net.snapper ?? null;
		if (!snapper) throw new Error('siteReach: the network context must keep its snapper (prepareNetwork keepSnapper)');
		byNode = cellsByNode(net.cellSnap, net.graph.nodeCount);
		ws = new RoutingWorkspace(net.searchGraph.nodeCount);
		nodeDist = new Float64Array(net.graph.nodeCount).fill(Infinity);
	}

	// ---- radius part ----
	let anyRadius = false;
	for (let c = 0; c < n && !anyRadius; c++) anyRadius = radiusCell[c] === 1;
	let index: PointIndex | null = null;
	const maxDistM = radiusDistanceM(coverageCutoffS, profile);
	// every distance whose Float32 minutes are <= T lies within this (a hair above T's radius), within the run's cutoff
	const queryM = Math.min(maxDistM, radiusDistanceM(T * 60, profile) * (1 + 1e-6) + 0.01);
	if (anyRadius && k > 0) {
		const ids: number[] = [];
		for (let c = 0; c < n; c++) if (radiusCell[c]) ids.push(c);
		const lonR = Float64Array.from(ids, (c) => cells.lon[c]),
			latR = Float64Array.from(ids, (c) => cells.lat[c]);
		const frame = metricFrame(Float64Array.from(sites, (s) => s.lat), queryM);
		index = new PointIndex(lonR, latR, frame, ids);
	}

	const offsets = new Uint32Array(k + 1);
	const out = new Growable();
	const stamp = new Int32Array(n).fill(-1);
	const siteCells: number[] = [];
	const siteMinutes = new Float64Array(n); // scratch per site
	for (let j = 0; j < k; j++) {
		const { lon, lat } = sites[j];
		siteCells.length = 0;
		if (net && snapper && byNode && ws && nodeDist) {
			const seed = facilitySeedFromSnap(j, snapper.snap(lon, lat, net.maxFacilityAccessM));
			if (seed.entries.length === 0) unsnapped[j] = 1;
			else if (switchable && switchable[net.graph.component[seed.entries[0].node]]) switchesPiece[j] = 1;
			else {
				const r = reachWithin(net.searchGraph, seed.entries, maxS, ws);
				for (let i = 0; i < r.nodes.length; i++) nodeDist[r.nodes[i]] = r.distS[i];
				const cs = net.cellSnap;
				for (let i = 0; i < r.nodes.length; i++) {
					const node = r.nodes[i];
					for (let p = byNode.start[node]; p < byNode.start[node + 1]; p++) {
						const c = byNode.cells[p];
						if (stamp[c] === j || !networkCell[c]) continue;
						stamp[c] = j;
						// cellNetworkTime with this site's labels only
						const u = cs.u[c],
							v = cs.v[c];
						let best = nodeDist[u] + cs.costToUS[c];
						if (v !== u) {
							const viaV = nodeDist[v] + cs.costToVS[c];
							if (viaV < best) best = viaV;
						}
						const t = best + cs.accessS[c];
						if (!(t <= coverageCutoffS)) continue;
						const minutes = Math.fround(t / 60);
						if (minutes <= T) {
							siteCells.push(c);
							siteMinutes[c] = minutes;
						}
					}
				}
				for (let i = 0; i < r.nodes.length; i++) nodeDist[r.nodes[i]] = Infinity;
			}
		}
		if (index) {
			for (const c of index.within(lon, lat, queryM)) {
				const d = haversineM(cells.lon[c], cells.lat[c], lon, lat);
				if (!(d <= maxDistM)) continue;
				const minutes = Math.fround(radiusSeconds(d, profile) / 60);
				if (minutes <= T) {
					siteCells.push(c);
					siteMinutes[c] = minutes;
				}
			}
		}
		siteCells.sort((a, b) => a - b);
		for (const c of siteCells) out.push(c, siteMinutes[c]);
		offsets[j + 1] = out.size;
		if ((j + 1) % chunk === 0) yield j + 1;
	}
	return { offsets, cell: out.cell.slice(0, out.size), minutes: out.minutes.slice(0, out.size), switchesPiece, unsnapped };
}
