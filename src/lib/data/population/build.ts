/**
 * Population stage: read the manifest's population source through a FileSource and make the region's H3 cell table.
 * raster -> raster.ts; census-weights -> census.ts; uniform -> census.ts with no weights.
 */
import { KejimapError } from '../../engine/errors';
import { polygonRingsToCells } from '../../engine/geo/h3';
import type { Localized, RegionManifest, WeightSource } from '../../engine/region';
import type { CellTable } from '../../engine/types';
import { createAreaLocator, type AreaSet } from '../area-set';
import { polygonsOf } from '../geojson';
import { decodedText, exactArrayBuffer, type FileSource } from '../pipeline/file-source';
import type { Log } from '../source';
import { readCensusTotals, readWeightPoints, spreadTotals, type SpreadReport, type WeightPoint, type WeightReadReport } from './census';
import { rasterToCells, type RasterCellsReport } from './raster';

export interface PopulationReport {
	method: 'raster' | 'census-weights' | 'uniform';
	populationMethod: CellTable['populationMethod'];
	label: Localized;
	resolution: number;
	/** population in the cell table */
	total: number;
	/** population in the input (raster sum x scale, census sum, or the manifest total) */
	inputTotal: number;
	cells: number;
	/** what did not make it into the table, and why */
	dropped: { cellsOutsideAreas: number; populationOutsideAreas: number };
	perArea: { id: string; name: string; population: number; cells: number; census?: number }[];
	raster?: RasterCellsReport;
	census?: { file: string; label: Localized; total: number; encodingGuessed?: string };
	weights?: WeightReadReport[];
	spread?: Omit<SpreadReport, 'perArea'>;
	source?: string;
	note?: Localized;
}

function perAreaOf(cells: CellTable, areas: AreaSet): PopulationReport['perArea'] {
	const pop = new Float64Array(areas.areas.length);
	const n = new Uint32Array(areas.areas.length);
	for (let i = 0; i < cells.count; i++) {
		const k = cells.areaIndex[i];
		if (k < 0) continue;
		pop[k] += cells.population[i];
		n[k]++;
	}
	return areas.areas.map((a, k) => ({ id: a.id, name: a.name, population: pop[k], cells: n[k] }));
}

/** Weight points made by the pipeline from the built road graph, for a `network-length` weight. */
export type NetworkLengthPoints = (weight: number, label: string) => { points: WeightPoint[]; report: WeightReadReport };

export async function buildPopulation(
	manifest: Pick<RegionManifest, 'population' | 'h3Resolution'>,
	files: FileSource,
	areas: AreaSet,
	log: Log = () => {},
	networkLengthPoints?: NetworkLengthPoints
): Promise<{ cells: CellTable; report: PopulationReport }> {
	const p = manifest.population;
	const res = manifest.h3Resolution;

	if (p.method === 'raster') {
		const { cells: rc, report: rr } = await rasterToCells(exactArrayBuffer(await files.bytes(p.path, 'population raster')), res, {
			crs: p.crs,
			scale: p.scale,
			file: p.path
		});
		// keep the cells whose centre lies in an area; the rest is reported, not silently lost
		const locate = createAreaLocator(areas);
		const keep: number[] = [];
		const areaOf: number[] = [];
		let droppedPop = 0;
		for (let i = 0; i < rc.h3.length; i++) {
			const k = locate(rc.lon[i], rc.lat[i]);
			if (k < 0) droppedPop += rc.population[i];
			else {
				keep.push(i);
				areaOf.push(k);
			}
		}
		const n = keep.length;
		const cells: CellTable = {
			resolution: res,
			count: n,
			h3: keep.map((i) => rc.h3[i]),
			lon: Float64Array.from(keep, (i) => rc.lon[i]),
			lat: Float64Array.from(keep, (i) => rc.lat[i]),
			population: Float64Array.from(keep, (i) => rc.population[i]),
			areaIndex: Int32Array.from(areaOf),
			populationMethod: 'raster'
		};
		const total = cells.population.reduce((s, v) => s + v, 0);
		log(`population: raster ${rr.validPixels} valid pixels (sum ${Math.round(rr.rasterSum)}) -> ${n} cells in the areas (${rc.h3.length - n} outside, ${Math.round(droppedPop)} people)`);
		return {
			cells,
			report: {
				method: 'raster',
				populationMethod: 'raster',
				label: p.label,
				resolution: res,
				total,
				inputTotal: rr.cellSum,
				cells: n,
				dropped: { cellsOutsideAreas: rc.h3.length - n, populationOutsideAreas: droppedPop },
				perArea: perAreaOf(cells, areas),
				raster: rr,
				note: p.note
			}
		};
	}

	if (p.method === 'census-weights') {
		const censusText = await decodedText(files, p.census.path, 'census totals', p.census.encoding);
		const totals = readCensusTotals(censusText.text, p.census, areas, p.census.path);
		const points: WeightPoint[] = [];
		const weights: WeightReadReport[] = [];
		for (const w of p.weights) {
			let r: { points: WeightPoint[]; report: WeightReadReport };
			if ('kind' in w && w.kind === 'network-length') {
				if (!networkLengthPoints)
					throw new KejimapError('REGION_INVALID', 'population weight "network-length" needs a road network', { field: 'population.weights' });
				r = networkLengthPoints(w.weight, w.label.en);
			} else {
				const ws = w as WeightSource;
				const d = await decodedText(files, ws.path, `weights "${ws.label.en}"`, ws.encoding);
				r = readWeightPoints(d.text, ws, ws.path);
				if (d.guessed) r.report.encodingGuessed = d.encoding;
			}
			for (const pt of r.points) points.push(pt);
			weights.push(r.report);
		}
		const { cells, report } = spreadTotals(areas, totals, points, res, p.uniformShare, 'modelled-census', p.uniformNearWeightsM);
		const { perArea, ...spread } = report;
		const inputTotal = totals.reduce((s, v) => s + v, 0);
		log(`population: census ${Math.round(inputTotal)} people in ${areas.areas.length} areas spread over ${cells.count} cells with ${spread.weightPointsInAreas} weight points`);
		return {
			cells,
			report: {
				method: 'census-weights',
				populationMethod: 'modelled-census',
				label: p.label,
				resolution: res,
				total: report.total,
				inputTotal,
				cells: cells.count,
				dropped: { cellsOutsideAreas: 0, populationOutsideAreas: 0 },
				perArea: perArea.map((r) => ({ id: r.id, name: r.name, population: r.modelled, cells: r.cells, census: r.total })),
				census: { file: p.census.path, label: p.census.label, total: inputTotal, ...(censusText.guessed ? { encodingGuessed: censusText.encoding } : {}) },
				weights,
				spread
			}
		};
	}

	if (p.method === 'uniform') {
		// the total spread evenly over every cell of every area: each area gets total x its share of the cells
		const counts = areas.features.features.map((f) => new Set(polygonsOf(f.geometry).flatMap((poly) => polygonRingsToCells(poly, res))).size);
		const all = counts.reduce((s, v) => s + v, 0);
		if (all === 0) throw new KejimapError('BAD_ARGUMENT', `population: the areas hold no H3 cell at resolution ${res}`);
		const totals = counts.map((c) => (p.total * c) / all);
		const { cells, report } = spreadTotals(areas, totals, [], res, 1, 'uniform');
		log(`population: uniform ${p.total} people over ${cells.count} cells (${p.source})`);
		return {
			cells,
			report: {
				method: 'uniform',
				populationMethod: 'uniform',
				label: p.label,
				resolution: res,
				total: report.total,
				inputTotal: p.total,
				cells: cells.count,
				dropped: { cellsOutsideAreas: 0, populationOutsideAreas: 0 },
				perArea: perAreaOf(cells, areas),
				source: p.source
			}
		};
	}
	throw new KejimapError('REGION_INVALID', `population.method must be raster, census-weights or uniform`, { field: 'population.method' });
}
