/**
 * Coverage under facility edits at the level users see: per-cell minutes / facility / method after adding,
 * moving or removing one facility, without a full recompute, and equal to a fresh `computeCoverage` on the
 * current facility set bit for bit (Float32 minutes, facility index, method code).
 *
 * Which cells can change when facility f moves from A to B (an add has no A, a removal no B):
 * - network cells: only those snapped to a node whose label changed (IncrementalNearest.changedNodes(),
 *   mapped to cells through a node -> cells index);
 * - auto mode: every cell of a network piece (weak component) that gained its first or lost its last
 *   facility, since the piece switches between the network and the radius method;
 * - radius cells owned by f: their nearest facility must be found again (all facilities near the cell);
 * - radius cells within the cutoff radius of B: f at B is one more candidate, compared with the current
 *   nearest (same rule as nearestByRadius: shorter haversine distance, then the lower facility index).
 * Every other cell keeps its result. The per-cell arithmetic mirrors computeCoverage exactly.
 *
 * Facility indices are stable: an added facility takes the next index (the facility count), a removed one
 * leaves an inactive slot, and restoreFacility makes that same slot active again (undo keeps identities and ties). `result` holds live arrays, updated in place: copy them before transferring.
 * New sites snap with `network.snapper` when the context keeps one (else one is built here, once).
 */
import { KejimapError } from '../errors';
import { haversineM } from '../geo/measure';
import { metricFrame, PointGrid, PointIndex } from '../geo/point-index';
import { createSnapper, type Snapper } from '../graph/snap';
import type { ModeProfile } from '../modes';
import { IncrementalNearest } from '../routing/incremental';
import { facilitySeedFromSnap, type Labels } from '../routing/shortest-paths';
import type { CellResult, CellTable, MethodChoice } from '../types';
import { METHOD_CODES } from '../types';
import { cellNetworkTime, computeCoverage, effectiveMethod, facilitySeeds, type CoverageRequest, type NetworkContext } from './coverage';
import { radiusDistanceM, radiusSeconds } from './radius';
import { cellsByComponent, cellsByNode, componentCount } from './reach';

const NETWORK = METHOD_CODES.network;
const RADIUS = METHOD_CODES.radius;

/** What a scenario editor offers (IncrementalCoverage, and AreaModeCoverage for per-area modes). */
export interface CoverageScenario {
	/** live per-cell result, equal to computeCoverage on the current facilities */
	readonly result: CellResult;
	/** number of facility slots (active or not); the next added facility gets this index */
	readonly facilityCount: number;
	addFacility(lon: number, lat: number): number;
	/** Takes the next index for a facility at [lon, lat] that is not counted (yet): no cell changes. */
	reserveFacility(lon: number, lat: number): number;
	/** Makes an inactive slot active again at [lon, lat]: a restored facility keeps its index (ties, identity). */
	restoreFacility(index: number, lon: number, lat: number): void;
	moveFacility(index: number, lon: number, lat: number): void;
	removeFacility(index: number): void;
	/** cells whose result may have changed in the last operation (no repeats; a view valid until the next one) */
	changedCells(): Int32Array;
	isActive(index: number): boolean;
	activeIndices(): Int32Array;
	/** current position of every slot (inactive slots keep their last position) */
	facilityPositions(): { lon: number; lat: number }[];
}

export interface IncrementalCoverageDiagnostics {
	unsnappedFacilities: number;
	offNetworkCells: number;
	fallbackCells: number;
}

export type IncrementalCoverageRequest = Omit<CoverageRequest, 'labels'>;

export class IncrementalCoverage implements CoverageScenario {
	readonly cells: Pick<CellTable, 'count' | 'lon' | 'lat'>;
	readonly profile: ModeProfile;
	readonly method: MethodChoice;
	/** the method actually used: 'radius' when there is no network */
	readonly choice: MethodChoice;
	readonly cutoffMinutes: number;
	readonly result: CellResult;

	private readonly cutoffS: number;
	private readonly cellTime = new Float64Array(1); // scratch for cellNetworkTime
	private slots = 0;
	private fLon: Float64Array;
	private fLat: Float64Array;
	private fActive: Uint8Array;
	private activeCount = 0;

	// ---- network part (choice network / auto) ----
	private readonly net: NetworkContext | null;
	private readonly snapper: Snapper | null = null;
	private readonly nearest: IncrementalNearest | null = null;
	private readonly labels: Labels | null = null;
	private readonly comp: Int32Array | null = null;
	/** active facilities on the network per component */
	private readonly compFacilities: Int32Array | null = null;
	/** component of each facility's snap, -1 = not on the network */
	private fComp: Int32Array;
	private readonly nodeCellStart: Uint32Array | null = null;
	private readonly nodeCells: Int32Array | null = null;
	private readonly compCellStart: Uint32Array | null = null;
	private readonly compCells: Int32Array | null = null;

	// ---- radius part (choice radius / auto) ----
	private readonly radiusPart: boolean;
	private readonly maxDistM: number = 0;
	/** cells, to find those within reach of a facility's old and new site */
	private readonly cellIndex: PointIndex | null = null;
	/** active facilities, for a cell's nearest (the same frame and rule as nearestByRadius) */
	private readonly facilityGrid: PointGrid | null = null;

	// ---- per operation ----
	private stamp: Uint32Array;
	private op = 0;
	private changed = new Int32Array(256);
	private changedSize = 0;
	private diag: IncrementalCoverageDiagnostics;

	constructor(req: IncrementalCoverageRequest) {
		const { cells, facilities, profile } = req;
		this.cells = cells;
		this.profile = profile;
		this.method = req.method;
		this.cutoffMinutes = req.cutoffMinutes;
		this.cutoffS = req.cutoffMinutes * 60;
		if (!(this.cutoffS >= 0)) throw new KejimapError('BAD_ARGUMENT', `IncrementalCoverage: cutoffMinutes must be >= 0 (got ${req.cutoffMinutes})`);
		const net = req.network ?? null;
		this.choice = effectiveMethod(req.method, net !== null);
		this.net = this.choice === 'radius' ? null : net;
		this.radiusPart = this.choice !== 'network';

		const k = facilities.length;
		const cap = Math.max(16, k * 2);
		this.fLon = new Float64Array(cap);
		this.fLat = new Float64Array(cap);
		this.fActive = new Uint8Array(cap);
		this.fComp = new Int32Array(cap).fill(-1);
		for (let f = 0; f < k; f++) {
			this.fLon[f] = facilities[f].lon;
			this.fLat[f] = facilities[f].lat;
		}
		this.slots = k;
		for (let i = 0; i < req.active.length; i++) {
			const f = req.active[i];
			if (!Number.isInteger(f) || f < 0 || f >= k)
				throw new KejimapError('BAD_ARGUMENT', `IncrementalCoverage: active[${i}] = ${f} is not a facility index (0..${k - 1})`, { field: 'active' });
			if (this.fActive[f]) throw new KejimapError('BAD_ARGUMENT', `IncrementalCoverage: facility ${f} appears twice in active`, { field: 'active' });
			this.fActive[f] = 1;
			this.activeCount++;
		}
		const n = cells.count;
		this.stamp = new Uint32Array(n);

		let labels: Labels | null = null;
		if (this.net) {
			const nw = this.net;
			if (nw.facilitySnap.u.length !== k)
				throw new KejimapError('BAD_ARGUMENT', `IncrementalCoverage: the network was prepared for ${nw.facilitySnap.u.length} facilities, not ${k}`);
			if (nw.cellSnap.u.length !== n) throw new KejimapError('BAD_ARGUMENT', `IncrementalCoverage: the network was prepared for ${nw.cellSnap.u.length} cells, not ${n}`);
			this.snapper = nw.snapper ?? createSnapper(nw.graph, profile.accessSpeedMps);
			const seeds = facilitySeeds(nw, req.active);
			const g = nw.graph;
			this.nearest = new IncrementalNearest(nw.searchGraph, this.cutoffS, seeds, { inGraph: g.symmetric ? undefined : g });
			labels = this.labels = this.nearest.labels;
			const comp = (this.comp = g.component);
			const compCount = componentCount(g);
			this.compFacilities = new Int32Array(compCount);
			for (const s of seeds) {
				const c = comp[s.entries[0].node]; // entries of one snap are the two ends of one arc: one component
				this.fComp[s.facility] = c;
				this.compFacilities[c]++;
			}
			// node -> cells snapped to it (as u or v)
			const byNode = cellsByNode(nw.cellSnap, g.nodeCount);
			this.nodeCellStart = byNode.start;
			this.nodeCells = byNode.cells;
			if (this.choice === 'auto') {
				// component -> on-network cells, for the radius fallback of pieces without a facility
				const byComp = cellsByComponent(nw.cellSnap, comp, compCount);
				this.compCellStart = byComp.start;
				this.compCells = byComp.cells;
			}
		}

		if (this.radiusPart) {
			this.maxDistM = radiusDistanceM(this.cutoffS, profile);
			if (!Number.isFinite(this.maxDistM)) throw new KejimapError('BAD_ARGUMENT', 'IncrementalCoverage: the radius method needs a finite cutoff');
			// every query is centred on a cell (nearest) or asks for the cells within reach of a site (within)
			const frame = metricFrame(cells.lat, this.maxDistM, this.fLat.subarray(0, k));
			if (n > 0) this.cellIndex = new PointIndex(cells.lon, cells.lat, frame);
			this.facilityGrid = new PointGrid(frame);
			for (let f = 0; f < k; f++) if (this.fActive[f]) this.gridAdd(f);
		}

		// The starting result is computeCoverage itself (with the labels just computed, so no second search).
		const run = computeCoverage({ ...req, labels });
		this.result = run.result;
		this.diag = { unsnappedFacilities: run.unsnappedFacilities, offNetworkCells: run.offNetworkCells, fallbackCells: run.fallbackCells };
	}

	get facilityCount(): number {
		return this.slots;
	}

	/** Network diagnostics, as computeCoverage reports them for the current facilities. */
	get diagnostics(): IncrementalCoverageDiagnostics {
		return { ...this.diag };
	}

	isActive(index: number): boolean {
		return index >= 0 && index < this.slots && this.fActive[index] === 1;
	}

	activeIndices(): Int32Array {
		const out = new Int32Array(this.activeCount);
		let j = 0;
		for (let f = 0; f < this.slots; f++) if (this.fActive[f]) out[j++] = f;
		return out;
	}

	facilityPositions(): { lon: number; lat: number }[] {
		const out: { lon: number; lat: number }[] = [];
		for (let f = 0; f < this.slots; f++) out.push({ lon: this.fLon[f], lat: this.fLat[f] });
		return out;
	}

	changedCells(): Int32Array {
		return this.changed.subarray(0, this.changedSize);
	}

	/** Adds an active facility at [lon, lat] (WGS84); returns its index (the previous facility count). */
	addFacility(lon: number, lat: number): number {
		checkLonLat(lon, lat, 'addFacility');
		const f = this.slots;
		this.ensureSlots(f + 1);
		this.slots = f + 1;
		this.apply(f, false, lon, lat, true);
		return f;
	}

	reserveFacility(lon: number, lat: number): number {
		checkLonLat(lon, lat, 'reserveFacility');
		const f = this.slots;
		this.ensureSlots(f + 1);
		this.slots = f + 1;
		this.fLon[f] = lon;
		this.fLat[f] = lat;
		this.beginOperation();
		return f;
	}

	restoreFacility(index: number, lon: number, lat: number): void {
		checkLonLat(lon, lat, 'restoreFacility');
		if (!Number.isInteger(index) || index < 0 || index >= this.slots || this.fActive[index])
			throw new KejimapError('BAD_ARGUMENT', `restoreFacility: ${index} is not an inactive facility slot (${this.slots} slots)`, { field: 'facility' });
		this.apply(index, false, lon, lat, true);
	}

	moveFacility(index: number, lon: number, lat: number): void {
		checkLonLat(lon, lat, 'moveFacility');
		this.checkActive(index, 'moveFacility');
		this.apply(index, true, lon, lat, true);
	}

	removeFacility(index: number): void {
		this.checkActive(index, 'removeFacility');
		this.apply(index, true, this.fLon[index], this.fLat[index], false);
	}

	// ---- internals ----

	private checkActive(f: number, where: string): void {
		if (!this.isActive(f))
			throw new KejimapError('BAD_ARGUMENT', `${where}: facility ${f} is not active (${this.slots} facility slots)`, { field: 'facility' });
	}

	/** One edit: f leaves its old site (hadOld) and/or takes [lon, lat] (hasNew). */
	private apply(f: number, hadOld: boolean, lon: number, lat: number, hasNew: boolean): void {
		this.beginOperation();
		const oldLon = this.fLon[f],
			oldLat = this.fLat[f];
		if (this.radiusPart && hadOld) this.gridRemove(f);
		if (hasNew) {
			this.fLon[f] = lon;
			this.fLat[f] = lat;
		}
		if (hadOld && !hasNew) {
			this.fActive[f] = 0;
			this.activeCount--;
		} else if (!hadOld && hasNew) {
			this.fActive[f] = 1;
			this.activeCount++;
		}
		if (this.radiusPart && hasNew) this.gridAdd(f);

		if (this.net) this.applyNetwork(f, hadOld, lon, lat, hasNew);

		// radius cells f owned at its old site: find their nearest again (after every structure is updated)
		if (this.radiusPart && hadOld && this.cellIndex) {
			const { result } = this;
			for (const c of this.cellIndex.within(oldLon, oldLat, this.maxDistM))
				if (result.facility[c] === f && result.method[c] === RADIUS) this.mark(c);
		}
		// every marked cell from scratch (network or radius, as its piece now decides)
		for (let i = 0; i < this.changedSize; i++) this.evaluateCell(this.changed[i]);

		// the other radius cells near the new site: f is one more candidate
		if (this.radiusPart && hasNew && this.cellIndex) {
			const { result, cells } = this;
			const maxDistM = this.maxDistM;
			for (const c of this.cellIndex.within(lon, lat, this.maxDistM)) {
				if (this.stamp[c] === this.op || result.method[c] !== RADIUS) continue;
				const cl = cells.lon[c],
					ca = cells.lat[c];
				const d = haversineM(cl, ca, lon, lat);
				if (!(d <= maxDistM)) continue;
				const cur = result.facility[c];
				if (cur >= 0) {
					const dc = haversineM(cl, ca, this.fLon[cur], this.fLat[cur]);
					if (!(d < dc || (d === dc && f < cur))) continue;
				}
				result.minutes[c] = radiusSeconds(d, this.profile) / 60;
				result.facility[c] = f;
				this.mark(c);
			}
		}
	}

	private applyNetwork(f: number, hadOld: boolean, lon: number, lat: number, hasNew: boolean): void {
		const net = this.net!,
			nearest = this.nearest!,
			comp = this.comp!,
			compFacilities = this.compFacilities!;
		const oldComp = hadOld ? this.fComp[f] : -1;
		let newComp = -1;
		let seed = null;
		if (hasNew) {
			seed = facilitySeedFromSnap(f, this.snapper!.snap(lon, lat, net.maxFacilityAccessM));
			if (seed.entries.length > 0) newComp = comp[seed.entries[0].node];
			else seed = null;
		}
		const wasIn = oldComp >= 0;
		let searched = true;
		if (wasIn && seed) nearest.moveFacility(f, seed);
		else if (wasIn) nearest.removeFacility(f);
		else if (seed) nearest.addFacility(seed);
		else searched = false;

		// which pieces hold a facility (auto: a piece without one falls back to the radius method)
		const servedBefore = (c: number) => compFacilities[c] > 0;
		const oldServed = oldComp >= 0 ? servedBefore(oldComp) : false;
		const newServed = newComp >= 0 ? servedBefore(newComp) : false;
		if (oldComp >= 0) compFacilities[oldComp]--;
		if (newComp >= 0) compFacilities[newComp]++;
		this.fComp[f] = hasNew ? newComp : -1;
		if (hasNew && !hadOld) this.diag.unsnappedFacilities += newComp < 0 ? 1 : 0;
		else if (hadOld && !hasNew) this.diag.unsnappedFacilities -= oldComp < 0 ? 1 : 0;
		else this.diag.unsnappedFacilities += (newComp < 0 ? 1 : 0) - (oldComp < 0 ? 1 : 0);

		if (this.choice === 'auto') {
			if (oldComp >= 0 && oldServed !== compFacilities[oldComp] > 0) this.switchComponent(oldComp);
			if (newComp >= 0 && newComp !== oldComp && newServed !== compFacilities[newComp] > 0) this.switchComponent(newComp);
		}
		if (searched) {
			const start = this.nodeCellStart!,
				list = this.nodeCells!;
			const nodes = nearest.changedNodes();
			for (let i = 0; i < nodes.length; i++) {
				const v = nodes[i];
				for (let j = start[v], end = start[v + 1]; j < end; j++) this.mark(list[j]);
			}
		}
	}

	/** Auto: a piece gained its first or lost its last facility; all its cells change method. */
	private switchComponent(c: number): void {
		const start = this.compCellStart!,
			list = this.compCells!;
		const count = start[c + 1] - start[c];
		this.diag.fallbackCells += this.compFacilities![c] > 0 ? -count : count;
		for (let j = start[c], end = start[c + 1]; j < end; j++) this.mark(list[j]);
	}

	/** A cell's result from scratch, exactly as computeCoverage computes it. */
	private evaluateCell(c: number): void {
		const net = this.net;
		if (!net) return this.evaluateRadius(c);
		const cs = net.cellSnap;
		const u = cs.u[c];
		const { minutes, facility, method } = this.result;
		if (u < 0) {
			if (this.choice === 'auto') return this.evaluateRadius(c);
			method[c] = NETWORK;
			minutes[c] = Infinity;
			facility[c] = -1;
			return;
		}
		if (this.choice === 'auto' && this.compFacilities![this.comp![u]] === 0) return this.evaluateRadius(c);
		method[c] = NETWORK;
		const bestF = cellNetworkTime(cs, this.labels!, c, this.cellTime);
		if (bestF >= 0 && this.cellTime[0] <= this.cutoffS) {
			minutes[c] = this.cellTime[0] / 60;
			facility[c] = bestF;
		} else {
			minutes[c] = Infinity;
			facility[c] = -1;
		}
	}

	/** Nearest active facility by straight line within the cutoff radius (nearestByRadius's rule). */
	private evaluateRadius(c: number): void {
		const { minutes, facility, method } = this.result;
		const grid = this.facilityGrid!;
		const bestF = grid.nearest(this.cells.lon[c], this.cells.lat[c], this.maxDistM);
		method[c] = RADIUS;
		if (bestF >= 0) {
			minutes[c] = radiusSeconds(grid.nearestDistM, this.profile) / 60;
			facility[c] = bestF;
		} else {
			minutes[c] = Infinity;
			facility[c] = -1;
		}
	}

	private gridAdd(f: number): void {
		this.facilityGrid!.set(f, this.fLon[f], this.fLat[f]);
	}

	private gridRemove(f: number): void {
		this.facilityGrid!.delete(f);
	}

	private beginOperation(): void {
		this.changedSize = 0;
		this.op++;
		if (this.op === 0xffffffff) {
			this.stamp.fill(0);
			this.op = 1;
		}
	}

	private mark(c: number): void {
		if (this.stamp[c] === this.op) return;
		this.stamp[c] = this.op;
		if (this.changedSize === this.changed.length) {
			const next = new Int32Array(this.changed.length * 2);
			next.set(this.changed);
			this.changed = next;
		}
		this.changed[this.changedSize++] = c;
	}

	private ensureSlots(k: number): void {
		if (k <= this.fLon.length) return;
		const cap = Math.max(k, this.fLon.length * 2);
		const grow = <T extends Float64Array | Uint8Array | Int32Array>(a: T, fill = 0): T => {
			const b = new (a.constructor as new (n: number) => T)(cap);
			if (fill !== 0) b.fill(fill);
			b.set(a);
			return b;
		};
		this.fLon = grow(this.fLon);
		this.fLat = grow(this.fLat);
		this.fActive = grow(this.fActive);
		this.fComp = grow(this.fComp, -1);
	}
}

function checkLonLat(lon: number, lat: number, where: string): void {
	if (!Number.isFinite(lon) || !Number.isFinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90)
		throw new KejimapError('COORD_INVALID', `${where}: [${lon}, ${lat}] is not a WGS84 [lon, lat] position`);
}

/**
 * Per-area modes (Pudong's rule) under facility edits: one IncrementalCoverage per mode, fed the same edits,
 * each cell taken from its area's mode (as combineByAreaMode does for full runs).
 */
export class AreaModeCoverage implements CoverageScenario {
	readonly parts: IncrementalCoverage[];
	readonly result: CellResult;
	/** index into parts of each cell's mode */
	private readonly cellPart: Uint8Array;
	private stamp: Uint32Array;
	private op = 0;
	private changed = new Int32Array(256);
	private changedSize = 0;

	constructor(parts: IncrementalCoverage[], cellPart: Uint8Array) {
		if (parts.length === 0 || parts.length > 255) throw new KejimapError('BAD_ARGUMENT', 'AreaModeCoverage: needs 1..255 parts');
		const n = cellPart.length;
		for (const p of parts) if (p.cells.count !== n) throw new KejimapError('BAD_ARGUMENT', 'AreaModeCoverage: parts cover different cells');
		for (const p of parts) if (p.facilityCount !== parts[0].facilityCount) throw new KejimapError('BAD_ARGUMENT', 'AreaModeCoverage: parts hold different facilities');
		this.parts = parts;
		this.cellPart = cellPart;
		this.stamp = new Uint32Array(n);
		this.result = { minutes: new Float32Array(n), facility: new Int32Array(n), method: new Uint8Array(n) };
		for (let c = 0; c < n; c++) {
			if (cellPart[c] >= parts.length) throw new KejimapError('BAD_ARGUMENT', `AreaModeCoverage: cell ${c} names part ${cellPart[c]}`);
			this.copy(c);
		}
	}

	get facilityCount(): number {
		return this.parts[0].facilityCount;
	}

	addFacility(lon: number, lat: number): number {
		checkLonLat(lon, lat, 'addFacility');
		let index = -1;
		for (const p of this.parts) index = p.addFacility(lon, lat);
		this.gather();
		return index;
	}

	reserveFacility(lon: number, lat: number): number {
		let index = -1;
		for (const p of this.parts) index = p.reserveFacility(lon, lat);
		this.gather();
		return index;
	}

	restoreFacility(index: number, lon: number, lat: number): void {
		checkLonLat(lon, lat, 'restoreFacility');
		if (index < 0 || index >= this.facilityCount || this.isActive(index))
			throw new KejimapError('BAD_ARGUMENT', `restoreFacility: ${index} is not an inactive facility slot`, { field: 'facility' });
		for (const p of this.parts) p.restoreFacility(index, lon, lat);
		this.gather();
	}

	moveFacility(index: number, lon: number, lat: number): void {
		checkLonLat(lon, lat, 'moveFacility');
		if (!this.isActive(index)) throw new KejimapError('BAD_ARGUMENT', `moveFacility: facility ${index} is not active`, { field: 'facility' });
		for (const p of this.parts) p.moveFacility(index, lon, lat);
		this.gather();
	}

	removeFacility(index: number): void {
		if (!this.isActive(index)) throw new KejimapError('BAD_ARGUMENT', `removeFacility: facility ${index} is not active`, { field: 'facility' });
		for (const p of this.parts) p.removeFacility(index);
		this.gather();
	}

	changedCells(): Int32Array {
		return this.changed.subarray(0, this.changedSize);
	}

	isActive(index: number): boolean {
		return this.parts[0].isActive(index);
	}

	activeIndices(): Int32Array {
		return this.parts[0].activeIndices();
	}

	facilityPositions(): { lon: number; lat: number }[] {
		return this.parts[0].facilityPositions();
	}

	private copy(c: number): void {
		const r = this.parts[this.cellPart[c]].result;
		this.result.minutes[c] = r.minutes[c];
		this.result.facility[c] = r.facility[c];
		this.result.method[c] = r.method[c];
	}

	/** Copies each part's changed cells that take their result from that part. */
	private gather(): void {
		this.changedSize = 0;
		this.op++;
		if (this.op === 0xffffffff) {
			this.stamp.fill(0);
			this.op = 1;
		}
		for (let i = 0; i < this.parts.length; i++) {
			const cc = this.parts[i].changedCells();
			for (let j = 0; j < cc.length; j++) {
				const c = cc[j];
				if (this.cellPart[c] !== i || this.stamp[c] === this.op) continue;
				this.stamp[c] = this.op;
				this.copy(c);
				if (this.changedSize === this.changed.length) {
					const next = new Int32Array(this.changed.length * 2);
					next.set(this.changed);
					this.changed = next;
				}
				this.changed[this.changedSize++] = c;
			}
		}
	}
}
