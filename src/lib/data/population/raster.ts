/**
 * Gridded population (GeoTIFF, e.g. WorldPop 100 m) -> H3 cells (pure: ArrayBuffer or Blob in, Node and the browser).
 * Only the window covering `bbox` is read, in strips of rows (a national 100 m file is never read whole), and a
 * window larger than the tab can hold is refused before any pixel is read.
 * Each valid pixel's value goes to the cell holding the pixel centre, so the cell sum equals the raster sum
 * exactly (up to float rounding); nodata, NaN and negative pixels are skipped and counted.
 * A 100 m pixel is about 0.01 km² and a resolution-9 cell about 0.1 km², so ~10 pixels feed each cell.
 */
import { fromArrayBuffer, fromBlob } from 'geotiff';
import { KejimapError, wrapReaderError } from '../../engine/errors';
import { fromWgs84, toWgs84 } from '../../engine/geo/crs';
import { cellCenter, lonLatToCell } from '../../engine/geo/h3';
import type { Crs } from '../../engine/region';
import { IMPORT_LIMITS } from '../import/limits';

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
	/** [col0, row0, col1, row1) of the pixels read (the whole raster when no bbox was given) */
	window: [number, number, number, number];
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
/** Rows read per readRasters call: bounded memory for the decoded strip. */
const STRIP_PIXELS = 4_000_000;

type RasterOptions = { crs?: Crs; scale?: number; file?: string; bbox?: [number, number, number, number]; maxPixels?: number };

export async function rasterToCells(input: ArrayBuffer | Blob, res: number, opts: RasterOptions = {}): Promise<{ cells: RasterCells; report: RasterCellsReport }> {
	// geotiff throws plain errors (and RangeErrors from DataView) on damaged files: one message naming the file
	try {
		return await readRaster(input, res, opts);
	} catch (e) {
		throw wrapReaderError(e, 'FILE_MALFORMED', opts.file ?? 'raster', 'not a readable GeoTIFF');
	}
}

async function readRaster(input: ArrayBuffer | Blob, res: number, opts: RasterOptions): Promise<{ cells: RasterCells; report: RasterCellsReport }> {
	const file = opts.file ?? 'raster';
	const crs = opts.crs ?? 'wgs84';
	const scale = opts.scale ?? 1;
	let image;
	try {
		// a Blob (the user's File) is read by ranges: only the header and the window's strips leave the disk
		const tiff = input instanceof Blob ? await fromBlob(input) : await fromArrayBuffer(input);
		image = await tiff.getImage();
	} catch (e) {
		throw new KejimapError('FILE_MALFORMED', `${file}: not a readable GeoTIFF (${(e as Error).message})`, { file });
	}
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
	// the pixel window: the whole raster, or the part over bbox (taken to the raster's CRS), one pixel of margin
	let win: [number, number, number, number] = [0, 0, width, height];
	if (opts.bbox) {
		const [w, s, e, n] = opts.bbox;
		const corners = [fromWgs84(w, s, crs), fromWgs84(e, n, crs), fromWgs84(w, n, crs), fromWgs84(e, s, crs)];
		const cols = corners.map(([x]) => (x - ox) / dx);
		const rows = corners.map(([, y]) => (y - oy) / dy);
		const clamp = (v: number, hi: number) => Math.max(0, Math.min(hi, v));
		win = [
			clamp(Math.floor(Math.min(...cols)) - 1, width),
			clamp(Math.floor(Math.min(...rows)) - 1, height),
			clamp(Math.ceil(Math.max(...cols)) + 1, width),
			clamp(Math.ceil(Math.max(...rows)) + 1, height)
		];
	}
	const winW = win[2] - win[0];
	const winH = win[3] - win[1];
	const maxPixels = opts.maxPixels ?? IMPORT_LIMITS.rasterWindowPixels;
	if (winW * winH > maxPixels)
		throw new KejimapError(
			'FILE_TOO_LARGE',
			`${file}: ${winW} x ${winH} = ${(winW * winH).toExponential(1)} pixels to read${opts.bbox ? ' over the region' : ''}, more than the ${maxPixels.toExponential(0)} a browser tab can hold; cut the raster to your area first (gdal_translate -projwin)`,
			{ file }
		);

	const sums = new Map<string, number>();
	let validPixels = 0;
	let nodataPixels = 0;
	let invalidPixels = 0;
	let zeroPixels = 0;
	let rasterSum = 0;
	const stripRows = Math.max(1, Math.floor(STRIP_PIXELS / Math.max(1, winW)));
	for (let r0 = win[1]; r0 < win[3]; r0 += stripRows) {
		const r1 = Math.min(win[3], r0 + stripRows);
		let strip: ArrayLike<number>;
		try {
			strip = (await image.readRasters({ samples: [0], interleave: true, window: [win[0], r0, win[2], r1] })) as unknown as ArrayLike<number>;
		} catch (e) {
			throw new KejimapError('FILE_MALFORMED', `${file}: pixel rows ${r0}-${r1} cannot be read (${(e as Error).message}); is the file truncated?`, { file });
		}
		if (strip.length !== winW * (r1 - r0)) throw new KejimapError('FILE_MALFORMED', `${file}: expected ${winW * (r1 - r0)} pixels in rows ${r0}-${r1}, read ${strip.length}`, { file });
		for (let row = r0; row < r1; row++) {
			const lat0 = oy + (row + pointShift) * dy;
			const base = (row - r0) * winW;
			for (let c = 0; c < winW; c++) {
				const v = strip[base + c];
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
				let lon = ox + (win[0] + c + pointShift) * dx;
				let lat = lat0;
				if (crs !== 'wgs84') [lon, lat] = toWgs84(lon, lat, crs);
				const h = lonLatToCell(lon, lat, res);
				sums.set(h, (sums.get(h) ?? 0) + v);
			}
		}
	}
	if (validPixels === 0 || rasterSum === 0)
		throw new KejimapError('FILE_EMPTY', `${file}: no pixel holds people (${invalidPixels} invalid, ${nodataPixels} nodata of ${winW * winH})`, { file });
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
			window: win,
			pixels: winW * winH,
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
