/**
 * Gridded population (GeoTIFF, e.g. WorldPop 100 m) -> H3 cells (pure: ArrayBuffer in, works in Node and the browser).
 * Each valid pixel's value goes to the cell holding the pixel centre, so the cell sum equals the raster sum
 * exactly (up to float rounding); nodata, NaN and negative pixels are skipped and counted.
 * A 100 m pixel is about 0.01 km² and a resolution-9 cell about 0.1 km², so ~10 pixels feed each cell.
 */
import { fromArrayBuffer } from 'geotiff';
import { KejimapError, wrapReaderError } from '../../engine/errors';
import { toWgs84 } from '../../engine/geo/crs';
import { cellCenter, lonLatToCell } from '../../engine/geo/h3';
import type { Crs } from '../../engine/region';

export interface RasterInfo {
	width: number;
	height: number;
	/** [west, south, east, north] of the pixel grid, in the raster's CRS */
	bbox: [number, number, number, number];
	pixelSizeDeg: [number, number];
	nodata: number | null;
	epsg: number | null;
}

export interface RasterCellsReport {
	raster: RasterInfo;
	pixels: number;
	validPixels: number;
	nodataPixels: number;
	/** NaN / negative values that are not the nodata value */
	invalidPixels: number;
	zeroPixels: number;
	/** sum of the valid pixels (before `scale`) */
	rasterSum: number;
	scale: number;
	cells: number;
	cellSum: number;
}

export interface RasterCells {
	h3: string[];
	population: Float64Array;
	lon: Float64Array;
	lat: Float64Array;
}

/** Read a single-band GeoTIFF in geographic coordinates and sum its pixels into H3 cells at `res`. */
export async function rasterToCells(
	buffer: ArrayBuffer,
	res: number,
	opts: { crs?: Crs; scale?: number; file?: string } = {}
): Promise<{ cells: RasterCells; report: RasterCellsReport }> {
	const file = opts.file ?? 'raster';
	const crs = opts.crs ?? 'wgs84';
	const scale = opts.scale ?? 1;
	let tiff;
	try {
		tiff = await fromArrayBuffer(buffer);
	} catch (e) {
		throw new KejimapError('FILE_MALFORMED', `${file}: not a readable GeoTIFF (${(e as Error).message})`, { file });
	}
	// geotiff throws plain errors (and RangeErrors from DataView) on damaged files: one message naming the file
	try {
		return await readRaster(tiff, res, crs, scale, file);
	} catch (e) {
		throw wrapReaderError(e, 'FILE_MALFORMED', file, 'not a readable GeoTIFF');
	}
}

async function readRaster(
	tiff: Awaited<ReturnType<typeof fromArrayBuffer>>,
	res: number,
	crs: Crs,
	scale: number,
	file: string
): Promise<{ cells: RasterCells; report: RasterCellsReport }> {
	const image = await tiff.getImage();
	const geoKeys = image.getGeoKeys() as Record<string, unknown> | null;
	if (!geoKeys || Object.keys(geoKeys).length === 0)
		throw new KejimapError('FILE_MALFORMED', `${file}: a TIFF without georeference (no GeoTIFF keys); export it as a GeoTIFF in EPSG:4326`, { file });
	const keys = geoKeys;
	if (keys.ProjectedCSTypeGeoKey !== undefined)
		throw new KejimapError(
			'FILE_MALFORMED',
			`${file}: the raster is in a projected CRS (EPSG:${String(keys.ProjectedCSTypeGeoKey)}); reproject it to EPSG:4326 first (gdalwarp -t_srs EPSG:4326)`,
			{ file }
		);
	const epsg = typeof keys.GeographicTypeGeoKey === 'number' ? keys.GeographicTypeGeoKey : null;
	if (epsg !== null && epsg !== 4326 && epsg !== 32767)
		throw new KejimapError('FILE_MALFORMED', `${file}: geographic CRS EPSG:${epsg} is not supported; use EPSG:4326 (WGS84)`, { file });
	const width = image.getWidth();
	const height = image.getHeight();
	const [ox, oy] = image.getOrigin();
	const [dx, dy] = image.getResolution();
	// PixelIsPoint (2): the tie point is the first pixel's centre, not its corner
	const pointShift = keys.GTRasterTypeGeoKey === 2 ? 0 : 0.5;
	const nodata = image.getGDALNoData();
	const inWorld = (x: number, y: number) => Number.isFinite(x) && Number.isFinite(y) && Math.abs(x) <= 180 && Math.abs(y) <= 90;
	if (!(width > 0 && height > 0 && dx !== 0 && dy !== 0 && inWorld(ox, oy) && inWorld(ox + width * dx, oy + height * dy)))
		throw new KejimapError('FILE_MALFORMED', `${file}: the raster has no usable georeference (origin ${ox}, ${oy}; pixel size ${dx}, ${dy})`, { file });
	const raster = (await image.readRasters({ samples: [0], interleave: true })) as unknown as ArrayLike<number>;
	if (raster.length !== width * height) throw new KejimapError('FILE_MALFORMED', `${file}: expected ${width * height} pixels, read ${raster.length}`, { file });

	const sums = new Map<string, number>();
	let validPixels = 0;
	let nodataPixels = 0;
	let invalidPixels = 0;
	let zeroPixels = 0;
	let rasterSum = 0;
	for (let row = 0; row < height; row++) {
		const lat0 = oy + (row + pointShift) * dy;
		for (let col = 0; col < width; col++) {
			const v = raster[row * width + col];
			if (nodata !== null && v === nodata) {
				nodataPixels++;
				continue;
			}
			if (!(v >= 0) || v === Infinity) {
				invalidPixels++; // NaN, negative or infinite
				continue;
			}
			validPixels++;
			if (v === 0) {
				zeroPixels++;
				continue;
			}
			rasterSum += v;
			let lon = ox + (col + pointShift) * dx;
			let lat = lat0;
			if (crs !== 'wgs84') [lon, lat] = toWgs84(lon, lat, crs);
			const h = lonLatToCell(lon, lat, res);
			sums.set(h, (sums.get(h) ?? 0) + v);
		}
	}
	if (validPixels === 0 || rasterSum === 0)
		throw new KejimapError('FILE_EMPTY', `${file}: no pixel holds people (${invalidPixels} invalid, ${nodataPixels} nodata of ${width * height})`, { file });
	const h3 = [...sums.keys()].sort();
	const n = h3.length;
	const population = new Float64Array(n);
	const lon = new Float64Array(n);
	const lat = new Float64Array(n);
	let cellSum = 0;
	for (let i = 0; i < n; i++) {
		population[i] = sums.get(h3[i])! * scale;
		cellSum += population[i];
		[lon[i], lat[i]] = cellCenter(h3[i]);
	}
	const xs = [ox, ox + width * dx];
	const ys = [oy, oy + height * dy];
	return {
		cells: { h3, population, lon, lat },
		report: {
			raster: {
				width,
				height,
				bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
				pixelSizeDeg: [Math.abs(dx), Math.abs(dy)],
				nodata,
				epsg
			},
			pixels: width * height,
			validPixels,
			nodataPixels,
			invalidPixels,
			zeroPixels,
			rasterSum,
			scale,
			cells: n,
			cellSum
		}
	};
}
