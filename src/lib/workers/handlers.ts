/**
 * Worker request handlers: pure functions over fetched bytes (no Worker global, no DOM), so vitest runs them in Node
 * with a fake fetch. They compose engine calls; they never reimplement the engine.
 *
 * The engine's CoverageSession (the CLI's code path too) caches times per (mode, levels, method) with a generous
 * cutoff, so a threshold change only re-buckets; the handler then sends no new times to the page.
 */
import type { BuiltRegion } from '../engine/built-region';
import { KejimapError } from '../engine/errors';
import { deserializeGraph } from '../engine/graph/serialize';
import { cellRing, lonLatToCell } from '../engine/geo/h3';
import { deserializeCells } from '../engine/io/cells';
import type { AreaModeRule, Localized } from '../engine/region';
import { CoverageSession, MIN_CUTOFF_MINUTES, type CoverageSettings } from '../engine/session';
import type { CellResult, CellTable, CsrGraph, Facility, MethodChoice, Mode } from '../engine/types';
import { METHOD_CODES, MODES } from '../engine/types';
import type {
	AreaInfo,
	Bbox,
	CellDetailResponse,
	CoverageRequest,
	CoverageResponse,
	FacilityDetailResponse,
	PolygonCollection,
	PolygonFeature,
	ProgressStage,
	RegionPayload
} from './protocol';
import type { HandlerContext, Handlers } from './router';
import { buildCellMesh } from './cell-mesh';

export interface HandlerDeps {
	fetch: (url: string) => Promise<Response>;
}

function isObj(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isLocalized(v: unknown): v is Localized {
	return isObj(v) && typeof v.zh === 'string' && typeof v.en === 'string';
}

/** Checks the fields of data/build/<region>/region.json the app relies on; throws a KejimapError naming the field. */
export function readBuiltRegion(raw: unknown, file: string): BuiltRegion {
	const need = (cond: boolean, field: string) => {
		if (!cond) throw new KejimapError('FIELD_MISSING', `${file}: field "${field}" is missing or malformed (rebuild with \`npm run data\`)`, { file, field });
	};
	need(isObj(raw), '(root)');
	const r = raw as Record<string, unknown>;
	need(typeof r.id === 'string', 'id');
	need(isLocalized(r.name), 'name');
	need(isObj(r.manifest) && isObj((r.manifest as Record<string, unknown>).policy), 'manifest.policy');
	const policy = (r.manifest as Record<string, unknown>).policy as Record<string, unknown>;
	need(MODES.includes(policy.mode as Mode) && typeof policy.maxMinutes === 'number' && Array.isArray(policy.levels), 'manifest.policy');
	need(Array.isArray(r.areas), 'areas');
	(r.areas as unknown[]).forEach((a, i) => need(isObj(a) && typeof a.id === 'string' && typeof a.name === 'string', `areas[${i}]`));
	need(isObj(r.files) && isObj((r.files as Record<string, unknown>).graphs), 'files');
	const files = r.files as Record<string, unknown>;
	for (const k of ['cells', 'facilities', 'areas']) need(typeof files[k] === 'string', `files.${k}`);
	need(isLocalized(r.areaLevel), 'areaLevel');
	return raw as BuiltRegion;
}

/** Fetch with byte progress; throws a KejimapError naming the URL. */
async function fetchBytes(deps: HandlerDeps, url: string, ctx: HandlerContext, stage: ProgressStage = 'download'): Promise<ArrayBuffer> {
	let res: Response;
	try {
		res = await deps.fetch(url);
	} catch (e) {
		throw new KejimapError('FILE_MISSING', `${url}: could not be fetched (${e instanceof Error ? e.message : String(e)})`, { file: url });
	}
	if (!res.ok) throw new KejimapError('FILE_MISSING', `${url}: HTTP ${res.status}`, { file: url });
	const total = Number(res.headers.get('content-length')) || 0;
	if (!res.body) return res.arrayBuffer();
	const reader = res.body.getReader();
	const chunks: Uint8Array[] = [];
	let done = 0;
	let lastReport = 0;
	for (;;) {
		const r = await reader.read();
		if (r.done) break;
		chunks.push(r.value);
		done += r.value.byteLength;
		if (done - lastReport > 256 * 1024) {
			lastReport = done;
			ctx.progress({ stage, done, total });
			if (ctx.cancelled) {
				await reader.cancel();
				await ctx.checkpoint();
			}
		}
	}
	const out = new Uint8Array(done);
	let off = 0;
	for (const c of chunks) {
		out.set(c, off);
		off += c.byteLength;
	}
	return out.buffer;
}

const decoder = new TextDecoder();

/** Per area: population and a label point (the area's cell nearest to its population-weighted centre, so inside it). */
export function summarizeAreas(list: BuiltRegion['areas'], cells: Pick<CellTable, 'count' | 'lon' | 'lat' | 'population' | 'areaIndex'>): AreaInfo[] {
	const k = list.length;
	const pop = new Float64Array(k);
	const sx = new Float64Array(k);
	const sy = new Float64Array(k);
	const wsum = new Float64Array(k);
	for (let i = 0; i < cells.count; i++) {
		const a = cells.areaIndex[i];
		if (a < 0 || a >= k) continue;
		// empty cells weigh almost nothing, so an unpopulated area still gets its geometric centre
		const w = cells.population[i] > 0 ? cells.population[i] : 1e-9;
		pop[a] += cells.population[i];
		wsum[a] += w;
		sx[a] += w * cells.lon[i];
		sy[a] += w * cells.lat[i];
	}
	const best = new Int32Array(k).fill(-1);
	const bestD = new Float64Array(k).fill(Infinity);
	for (let i = 0; i < cells.count; i++) {
		const a = cells.areaIndex[i];
		if (a < 0 || a >= k || !(wsum[a] > 0)) continue;
		const dx = cells.lon[i] - sx[a] / wsum[a];
		const dy = cells.lat[i] - sy[a] / wsum[a];
		const d = dx * dx + dy * dy;
		if (d < bestD[a]) {
			bestD[a] = d;
			best[a] = i;
		}
	}
	return list.map((a, i) => ({
		id: a.id,
		name: a.name,
		bbox: a.bbox ?? null,
		population: Math.round(pop[i]),
		labelPoint: best[i] >= 0 ? [cells.lon[best[i]], cells.lat[best[i]]] : null
	}));
}

interface Session {
	region: BuiltRegion;
	regionUrl: string;
	engine: CoverageSession;
	/** graphs fetched so far; the CoverageSession reads this same object */
	graphs: Partial<Record<Mode, CsrGraph>>;
	/** the settings and result the last coverage answer described */
	last: { settings: CoverageSettings; result: CellResult } | null;
	/** the times the page holds (identity), so unchanged times are not re-sent */
	sentResult: CellResult | null;
	sentKey: string | null;
	/** h3 index -> cell index, built on the first point lookup */
	cellByH3: Map<string, number> | null;
}

/** The modes a request needs (default mode plus every per-area rule's mode). */
export function modesFor(mode: Mode, rules: AreaModeRule[] | undefined): Mode[] {
	const set = new Set<Mode>([mode]);
	for (const r of rules ?? []) set.add(r.mode);
	return [...set];
}

function settingsKey(s: CoverageSettings): string {
	return `${s.mode}|${[...s.levels].sort().join(',')}|${s.method}|${JSON.stringify(s.areaModeRules ?? [])}`;
}

export function createHandlers(deps: HandlerDeps): Handlers & { readonly session: CoverageSession | null } {
	let session: Session | null = null;

	const requireSession = (): Session => {
		if (!session) throw new KejimapError('BAD_ARGUMENT', 'no region loaded');
		return session;
	};

	/** Fetch the graphs a request needs (once per mode); returns the bytes downloaded. */
	async function ensureGraphs(s: Session, modes: Mode[], method: MethodChoice, ctx: HandlerContext): Promise<number> {
		if (method === 'radius') return 0;
		let bytes = 0;
		for (const mode of modes) {
			const file = s.region.files.graphs[mode];
			if (!file || s.graphs[mode]) continue;
			const buf = await fetchBytes(deps, s.regionUrl + file, ctx);
			bytes += buf.byteLength;
			await ctx.checkpoint();
			ctx.progress({ stage: 'decode', done: 0, total: 1 });
			s.graphs[mode] = deserializeGraph(buf);
		}
		return bytes;
	}

	const handlers: Handlers = {
		async loadRegion(req, ctx) {
			session = null;
			const dataUrl = req.dataUrl.endsWith('/') ? req.dataUrl : req.dataUrl + '/';
			const regionUrl = `${dataUrl}${encodeURIComponent(req.regionId)}/`;
			const file = `${req.regionId}/region.json`;
			const manifestBuf = await fetchBytes(deps, regionUrl + 'region.json', ctx);
			let raw: unknown;
			try {
				raw = JSON.parse(decoder.decode(manifestBuf));
			} catch (e) {
				throw new KejimapError('FILE_MALFORMED', `${file}: ${e instanceof Error ? e.message : String(e)}`, { file });
			}
			const region = readBuiltRegion(raw, file);
			const [cellsBuf, facBuf, areasBuf] = await Promise.all([
				fetchBytes(deps, regionUrl + region.files.cells, ctx),
				fetchBytes(deps, regionUrl + region.files.facilities, ctx),
				fetchBytes(deps, regionUrl + region.files.areas, ctx)
			]);
			const downloadBytes = manifestBuf.byteLength + cellsBuf.byteLength + facBuf.byteLength + areasBuf.byteLength;
			await ctx.checkpoint();
			ctx.progress({ stage: 'decode', done: 0, total: 1 });
			const cells = deserializeCells(cellsBuf);
			let facilities: Facility[];
			try {
				facilities = JSON.parse(decoder.decode(facBuf)) as Facility[];
				if (!Array.isArray(facilities)) throw new Error('expected a list of facilities');
			} catch (e) {
				const f = `${req.regionId}/${region.files.facilities}`;
				throw new KejimapError('FILE_MALFORMED', `${f}: ${e instanceof Error ? e.message : String(e)}`, { file: f });
			}
			const areas = summarizeAreas(region.areas, cells);
			const totalPopulation = cells.population.reduce((a, b) => a + b, 0);
			await ctx.checkpoint();
			ctx.progress({ stage: 'polygons', done: 0, total: 1 });
			const cellMesh = buildCellMesh(cells);
			const cellPopulations = Float32Array.from(cells.population);
			const graphs: Partial<Record<Mode, CsrGraph>> = {};
			session = {
				region,
				regionUrl,
				engine: new CoverageSession(region, facilities, cells, graphs),
				graphs,
				last: null,
				sentResult: null,
				sentKey: null,
				cellByH3: null
			};
			const m = region.manifest;
			const payload: RegionPayload = {
				regionId: region.id,
				name: region.name,
				description: m.description,
				policy: m.policy,
				areaLevel: region.areaLevel,
				areas,
				facilities,
				bbox: region.bbox,
				cellCount: cells.count,
				h3Resolution: cells.resolution,
				populationMethod: cells.populationMethod,
				populationLabel: region.populationLabel ?? null,
				modelledFacilities: region.modelledFacilities ?? [],
				totalPopulation: Math.round(totalPopulation),
				networkModes: MODES.filter((mode) => region.files.graphs[mode]),
				networkNotes: m.network?.note ? [m.network.note] : [],
				attribution: m.attribution ?? [],
				cellPopulations,
				cellMesh,
				areasGeojson: areasBuf,
				downloadBytes
			};
			const transfer = [cellMesh.vertices.buffer, cellMesh.vertexStart.buffer, cellMesh.indices.buffer, areasBuf, cellPopulations.buffer];
			return { payload, transfer };
		},

		async coverage(req: CoverageRequest, ctx) {
			const s = requireSession();
			const t0 = performance.now();
			if (!MODES.includes(req.mode)) throw new KejimapError('BAD_ARGUMENT', `unknown mode "${req.mode}"`);
			if (!(req.maxMinutes > 0)) throw new KejimapError('BAD_ARGUMENT', `maxMinutes must be > 0 (got ${req.maxMinutes})`);
			const rules = req.areaModeRules?.length ? req.areaModeRules : undefined;
			const settings: CoverageSettings = {
				mode: req.mode,
				maxMinutes: req.maxMinutes,
				levels: req.levels,
				targetShare: req.targetShare,
				method: req.method,
				areaModeRules: rules
			};
			const downloadBytes = await ensureGraphs(s, modesFor(req.mode, rules), req.method, ctx);
			const fetchMs = performance.now() - t0;
			await ctx.checkpoint();
			ctx.progress({ stage: 'labels', done: 0, total: 1 });
			const t1 = performance.now();
			const out = s.engine.compute(settings);
			const computeMs = performance.now() - t1;
			s.last = { settings, result: out.result };
			// Same times as the page holds: the same result object, or a recombination of reused runs with the same key.
			const key = settingsKey(settings);
			const unchanged = out.result === s.sentResult || (out.reused && key === s.sentKey);
			let minutes: Float32Array | null = null;
			if (!unchanged) {
				minutes = out.result.minutes.slice();
				s.sentResult = out.result;
				s.sentKey = key;
			}
			const payload: CoverageResponse = {
				summary: out.summary,
				minutes,
				cutoffMinutes: Math.max(MIN_CUTOFF_MINUTES, req.maxMinutes),
				reused: out.reused,
				facilityCount: out.activeFacilities,
				diagnostics: out.diagnostics,
				downloadBytes,
				timings: { fetchMs, computeMs, totalMs: performance.now() - t0 }
			};
			return { payload, transfer: minutes ? [minutes.buffer] : [] };
		},

		async facilityDetail(req, ctx) {
			const s = requireSession();
			const f = s.engine.facilities[req.facilityIndex];
			if (!f) throw new KejimapError('BAD_ARGUMENT', `no facility #${req.facilityIndex}`);
			await ensureGraphs(s, [req.mode], req.method, ctx);
			await ctx.checkpoint();
			ctx.progress({ stage: 'isochrone', done: 0, total: 1 });
			const last = s.last;
			const counted = !!last && last.settings.levels.includes(f.level);
			const settings: CoverageSettings = last
				? { ...last.settings, mode: req.mode, maxMinutes: req.maxMinutes, method: req.method }
				: { mode: req.mode, maxMinutes: req.maxMinutes, levels: [f.level], targetShare: 0, method: req.method };
			// Without a counted run the catchment is empty: pass an all-unreached result.
			const n = s.engine.cells.count;
			const base: CellResult =
				last && counted ? last.result : { minutes: new Float32Array(n).fill(Infinity), facility: new Int32Array(n).fill(-1), method: new Uint8Array(n) };
			const { isochrone, catchment } = s.engine.facilityDetail(req.facilityIndex, settings, base);
			const features: PolygonFeature[] = [{ type: 'Feature', geometry: isochrone.geometry, properties: { kind: 'reach', population: isochrone.properties.population } }];
			if (catchment.properties.cells > 0)
				features.push({ type: 'Feature', geometry: catchment.geometry, properties: { kind: 'catchment', population: catchment.properties.population } });
			const collection: PolygonCollection = { type: 'FeatureCollection', features };
			const bbox: Bbox = [f.lon, f.lat, f.lon, f.lat];
			const grow = (c: unknown): void => {
				if (!Array.isArray(c)) return;
				if (typeof c[0] === 'number') {
					bbox[0] = Math.min(bbox[0], c[0]);
					bbox[1] = Math.min(bbox[1], c[1] as number);
					bbox[2] = Math.max(bbox[2], c[0]);
					bbox[3] = Math.max(bbox[3], c[1] as number);
				} else for (const x of c) grow(x);
			};
			grow(isochrone.geometry.coordinates);
			const payload: FacilityDetailResponse = {
				facilityIndex: req.facilityIndex,
				isochrone: collection,
				catchmentPopulation: catchment.properties.population,
				catchmentCells: catchment.properties.cells,
				reachPopulation: isochrone.properties.population,
				counted,
				bbox
			};
			return { payload };
		},

		async cellDetail(req) {
			const s = requireSession();
			const cells = s.engine.cells;
			let c: number;
			if ('cellIndex' in req) {
				c = req.cellIndex;
				if (!(Number.isInteger(c) && c >= 0 && c < cells.count)) throw new KejimapError('BAD_ARGUMENT', `no cell #${c}`);
			} else {
				if (!Number.isFinite(req.lon) || !Number.isFinite(req.lat)) throw new KejimapError('COORD_INVALID', `not a point: ${req.lon}, ${req.lat}`);
				if (!s.cellByH3) s.cellByH3 = new Map(cells.h3.map((h, i) => [h, i]));
				c = s.cellByH3.get(lonLatToCell(req.lon, req.lat, cells.resolution)) ?? -1;
				if (c < 0) return { payload: null };
			}
			const last = s.last;
			const m = last ? last.result.minutes[c] : Infinity;
			const payload: CellDetailResponse = {
				cellIndex: c,
				h3: cells.h3[c],
				population: cells.population[c],
				minutes: Number.isFinite(m) ? m : null,
				cutoffMinutes: last ? Math.max(MIN_CUTOFF_MINUTES, last.settings.maxMinutes) : 0,
				method: last ? (last.result.method[c] === METHOD_CODES.network ? 'network' : 'radius') : null,
				facilityIndex: last && Number.isFinite(m) ? last.result.facility[c] : -1,
				areaIndex: cells.areaIndex[c],
				ring: cellRing(cells.h3[c])
			};
			return { payload };
		}
	};
	// a live getter (Object.assign would copy its value once)
	return Object.defineProperty(handlers, 'session', { get: () => session?.engine ?? null, enumerable: false }) as Handlers & {
		readonly session: CoverageSession | null;
	};
}
