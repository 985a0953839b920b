/**
 * Modelled population (pure): census totals per area spread over H3 cells with point weights (dasymetric).
 * For each area: its cells are those whose centre lies in its polygons, plus the cells of its weight points
 * (a coastal school whose cell centre is just offshore still gets a cell). `uniformShare` of the area's total is
 * spread evenly over its cells (so no populated cell is left empty), the rest in proportion to the weight points
 * per cell. An area without weight points gets the whole total evenly. The per-area cell sum equals the census
 * total exactly (up to float rounding).
 */
import { KejimapError } from '../../engine/errors';
import { toWgs84 } from '../../engine/geo/crs';
import { cellCenter, edgeLengthM, lonLatToCell, neighbours, polygonRingsToCells } from '../../engine/geo/h3';
import { haversineM } from '../../engine/geo/measure';
import type { CensusTotals, WeightSource } from '../../engine/region';
import type { CellTable } from '../../engine/types';
import { createAreaLocator, type AreaSet } from '../area-set';
import { parseCsv, readPointsCsv, requireColumns, type PointRow } from '../csv';
import { parseGeoJson, polygonsOf, readPointsGeoJson } from '../geojson';

export interface WeightPoint {
	lon: number; // WGS84
	lat: number;
	weight: number;
}

export interface WeightReadReport {
	label: string;
	rows: number;
	invalid: number;
	invalidSample: string[];
	/** rows left out by typeIncludes / typeExcludes */
	filteredOut: number;
	kept: number;
	/** the encoding the file was read with, when it was guessed (not UTF-8) */
	encodingGuessed?: string;
}

/** Read a weight source (CSV or GeoJSON points), filter by the `type` field, convert to WGS84. */
export function readWeightPoints(text: string, ws: Pick<WeightSource, 'format' | 'crs' | 'fields' | 'weight' | 'typeIncludes' | 'typeExcludes' | 'label'>, file: string): { points: WeightPoint[]; report: WeightReadReport } {
	const needsType = (ws.typeIncludes?.length ?? 0) + (ws.typeExcludes?.length ?? 0) > 0;
	if (needsType && !ws.fields.type)
		throw new KejimapError('FIELD_MISSING', `${file}: typeIncludes/typeExcludes need fields.type (the column holding the POI type)`, { file, field: 'type' });
	const fields = { lon: ws.fields.lon, lat: ws.fields.lat, type: ws.fields.type };
	const invalid: string[] = [];
	const onInvalid = (e: KejimapError) => invalid.push(e.message);
	const rows: PointRow[] =
		ws.format === 'csv' ? readPointsCsv(text, fields, file, { onInvalid }) : readPointsGeoJson(parseGeoJson(text, file), fields, file, { onInvalid });
	const total = rows.length + invalid.length;
	if (total === 0) throw new KejimapError('FILE_EMPTY', `${file}: no data rows (only a header, or an empty file): weight source "${ws.label.en}" needs points`, { file });
	if (invalid.length * 2 > total && invalid.length > 0)
		throw new KejimapError('COORD_INVALID', `${invalid[0]} (${invalid.length} of ${total} rows invalid: check the field mapping and crs)`, { file });
	const points: WeightPoint[] = [];
	let filteredOut = 0;
	for (const r of rows) {
		if (needsType) {
			const t = r.values[ws.fields.type!] ?? '';
			if (ws.typeIncludes?.length && !ws.typeIncludes.some((s) => t.includes(s))) {
				filteredOut++;
				continue;
			}
			if (ws.typeExcludes?.some((s) => t.includes(s))) {
				filteredOut++;
				continue;
			}
		}
		const [lon, lat] = toWgs84(r.lon, r.lat, ws.crs);
		points.push({ lon, lat, weight: ws.weight });
	}
	return {
		points,
		report: { label: ws.label.en, rows: total, invalid: invalid.length, invalidSample: invalid.slice(0, 10), filteredOut, kept: points.length }
	};
}

/**
 * Census totals for each area, in area order. The census code of an area is `codeOf[id]` or the id itself.
 * A missing code or a non-numeric population is an error naming the file, row and field.
 */
export function readCensusTotals(text: string, census: Pick<CensusTotals, 'codeField' | 'populationField' | 'codeOf'>, areas: AreaSet, file: string): number[] {
	const table = parseCsv(text, file);
	requireColumns(table.header, [census.codeField, census.populationField], file);
	if (table.rows.length === 0) throw new KejimapError('FILE_EMPTY', `${file}: no data rows (only a header, or an empty file)`, { file });
	const wanted = new Set(areas.areas.map((a) => census.codeOf?.[a.id] ?? a.id));
	const byCode = new Map<string, { text: string; row: number }>();
	table.rows.forEach((r, i) => {
		const code = (r[census.codeField] ?? '').trim();
		if (!code) return;
		const row = i + 2;
		const prev = byCode.get(code);
		// a code listed twice: which row is right cannot be guessed (the last row used to win silently)
		if (prev && wanted.has(code))
			throw new KejimapError('VALUE_INVALID', `${file}: rows ${prev.row} and ${row}: ${census.codeField} "${code}" is listed twice; keep one row per area`, {
				file,
				row,
				field: census.codeField
			});
		if (!prev) byCode.set(code, { text: (r[census.populationField] ?? '').trim(), row });
	});
	return areas.areas.map((a) => {
		const code = census.codeOf?.[a.id] ?? a.id;
		const hit = byCode.get(code);
		if (!hit)
			throw new KejimapError('FIELD_MISSING', `${file}: no row with ${census.codeField} = "${code}" (area ${a.id} ${a.name}); map it with census.codeOf`, {
				file,
				field: census.codeField
			});
		// plain digits only: an empty cell is not 0 people, and "1,234" or "abc" is not a number
		const value = /^\d+(\.\d+)?$/.test(hit.text) ? Number(hit.text) : NaN;
		if (!Number.isFinite(value))
			throw new KejimapError(
				'VALUE_INVALID',
				`${file}: row ${hit.row}: field "${census.populationField}" ${hit.text === '' ? 'is empty' : `is not a number of people (${JSON.stringify(hit.text)})`} for area ${a.id} ${a.name}`,
				{ file, row: hit.row, field: census.populationField }
			);
		return value;
	});
}

export interface AreaSpreadRow {
	id: string;
	name: string;
	total: number;
	cells: number;
	/** cells added because a weight point fell in them although their centre is outside the area */
	touchedCells: number;
	weightPoints: number;
	weight: number;
	/** sum of the cells of this area after spreading (equals total) */
	modelled: number;
}

export interface SpreadReport {
	resolution: number;
	uniformShare: number;
	total: number;
	cells: number;
	weightPointsInAreas: number;
	weightPointsOutsideAreas: number;
	uniformNearWeightsM: number | null;
	/** cells that received the uniform share (all cells unless uniformNearWeightsM is set) */
	cellsWithUniformShare: number;
	/** points whose cell belonged to a neighbouring area, moved to the nearest cell of their own area */
	weightPointsMovedToOwnCell: number;
	areasWithoutWeights: string[];
	perArea: AreaSpreadRow[];
}

/**
 * Spread `totals[k]` (area k of `areas`) over cells at resolution `res`. Each cell belongs to one area:
 * the one holding its centre, or else the first area whose weight points touched it.
 */
export function spreadTotals(
	areas: AreaSet,
	totals: number[],
	points: WeightPoint[],
	res: number,
	uniformShare: number,
	populationMethod: CellTable['populationMethod'] = 'modelled-census',
	/** when set, the uniform share goes only to cells within about this distance of a weighted cell */
	uniformNearWeightsM?: number
): { cells: CellTable; report: SpreadReport } {
	if (totals.length !== areas.areas.length) throw new KejimapError('BAD_ARGUMENT', `spreadTotals: ${totals.length} totals for ${areas.areas.length} areas`);
	const owner = new Map<string, number>();
	const cellsOf: string[][] = areas.areas.map(() => []);
	areas.features.features.forEach((f, k) => {
		for (const poly of polygonsOf(f.geometry))
			for (const h of polygonRingsToCells(poly, res)) {
				if (owner.has(h)) continue; // overlapping polygons: first area wins
				owner.set(h, k);
				cellsOf[k].push(h);
			}
	});
	const touched = new Uint32Array(areas.areas.length);
	const weightOf = new Map<string, number>();
	const pointCount = new Uint32Array(areas.areas.length);
	const weightSum = new Float64Array(areas.areas.length);
	const locate = createAreaLocator(areas);
	let outside = 0;
	let moved = 0;
	for (const p of points) {
		const k = locate(p.lon, p.lat);
		if (k < 0) {
			outside++;
			continue;
		}
		let h = lonLatToCell(p.lon, p.lat, res);
		const o = owner.get(h);
		if (o === undefined) {
			owner.set(h, k);
			cellsOf[k].push(h);
			touched[k]++;
		} else if (o !== k) {
			// the point's cell is its neighbour's: use the nearest cell of its own area (rings 1-2, else any)
			moved++;
			let best: string | null = null;
			let bestD = Infinity;
			const consider = (c: string) => {
				if (owner.get(c) !== k) return;
				const [x, y] = cellCenter(c);
				const d = haversineM(p.lon, p.lat, x, y);
				if (d < bestD) {
					bestD = d;
					best = c;
				}
			};
			for (const c of neighbours(h, 2)) consider(c);
			if (best === null) for (const c of cellsOf[k]) consider(c);
			if (best === null) {
				// the area has no cell at all yet: give it this point's neighbour cell that nobody owns, if any
				const free = neighbours(h, 2).find((c) => !owner.has(c));
				if (free === undefined) {
					outside++;
					moved--;
					continue;
				}
				owner.set(free, k);
				cellsOf[k].push(free);
				touched[k]++;
				best = free;
			}
			h = best;
		}
		weightOf.set(h, (weightOf.get(h) ?? 0) + p.weight);
		pointCount[k]++;
		weightSum[k] += p.weight;
	}
	// an area too small to hold a cell centre and without points: the cell of its first vertex, if free
	areas.features.features.forEach((f, k) => {
		if (cellsOf[k].length > 0 || totals[k] === 0) return;
		const [x, y] = polygonsOf(f.geometry)[0][0][0];
		const h = lonLatToCell(x, y, res);
		if (owner.has(h))
			throw new KejimapError('BAD_ARGUMENT', `area ${areas.areas[k].id} (${areas.areas[k].name}) is too small for H3 resolution ${res}: no cell of its own`);
		owner.set(h, k);
		cellsOf[k].push(h);
	});

	// cells eligible for the uniform share: all, or those within k rings of a weighted cell
	let eligible: Set<string> | null = null;
	if (uniformNearWeightsM !== undefined) {
		const k = Math.max(0, Math.ceil(uniformNearWeightsM / (edgeLengthM(res) * Math.sqrt(3))));
		eligible = new Set<string>();
		for (const h of weightOf.keys()) for (const n of neighbours(h, k)) eligible.add(n);
	}
	const perArea: AreaSpreadRow[] = [];
	const h3: string[] = [];
	const pop: number[] = [];
	const areaIdx: number[] = [];
	let uniformCells = 0;
	areas.areas.forEach((a, k) => {
		const list = cellsOf[k];
		const w = weightSum[k];
		const uniform = w > 0 ? uniformShare : 1;
		// an area without weights has no settlement signal: all its cells share the total
		const gets = (h: string) => eligible === null || w === 0 || eligible.has(h);
		let n = 0;
		for (const h of list) if (gets(h)) n++;
		uniformCells += n;
		const perCell = (totals[k] * uniform) / Math.max(1, n);
		const perWeight = w > 0 ? (totals[k] * (1 - uniform)) / w : 0;
		let modelled = 0;
		for (const h of list) {
			const v = (gets(h) ? perCell : 0) + perWeight * (weightOf.get(h) ?? 0);
			h3.push(h);
			pop.push(v);
			areaIdx.push(k);
			modelled += v;
		}
		perArea.push({ id: a.id, name: a.name, total: totals[k], cells: list.length, touchedCells: touched[k], weightPoints: pointCount[k], weight: w, modelled });
	});

	// one table, in H3 order
	const order = h3.map((_, i) => i).sort((i, j) => (h3[i] < h3[j] ? -1 : h3[i] > h3[j] ? 1 : 0));
	const count = order.length;
	const cells: CellTable = {
		resolution: res,
		count,
		h3: new Array(count),
		lon: new Float64Array(count),
		lat: new Float64Array(count),
		population: new Float64Array(count),
		areaIndex: new Int32Array(count),
		populationMethod
	};
	let total = 0;
	order.forEach((i, r) => {
		cells.h3[r] = h3[i];
		[cells.lon[r], cells.lat[r]] = cellCenter(h3[i]);
		cells.population[r] = pop[i];
		cells.areaIndex[r] = areaIdx[i];
		total += pop[i];
	});
	return {
		cells,
		report: {
			resolution: res,
			uniformShare,
			total,
			cells: count,
			weightPointsInAreas: points.length - outside,
			weightPointsOutsideAreas: outside,
			weightPointsMovedToOwnCell: moved,
			areasWithoutWeights: perArea.filter((r) => r.weightPoints === 0).map((r) => r.id),
			uniformNearWeightsM: uniformNearWeightsM ?? null,
			cellsWithUniformShare: uniformCells,
			perArea
		}
	};
}
