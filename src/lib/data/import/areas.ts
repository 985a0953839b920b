/**
 * A user's areas (GeoJSON polygons such as streets or towns, with an id and a name property) replacing the region's:
 * cells and facilities are placed in the new areas by their centre / position. Cells outside every new area are
 * dropped and counted; the population of the others is unchanged (so the area totals are sums of the cells).
 */
import { KejimapError } from '../../engine/errors';
import type { Crs } from '../../engine/region';
import type { CellTable, Facility } from '../../engine/types';
import { areaSetFromGeoJson, createAreaLocator, type AreaSet } from '../area-set';
import { parseGeoJson } from '../geojson';
import { checkImportSize, IMPORT_LIMITS } from './limits';
import { normalizeHeader } from './mapping';
import { decodeText } from './decode';

export interface AreasImport {
	file: string;
	idField: string;
	nameField: string;
	areas: AreaSet;
	cells: CellTable;
	facilities: Facility[];
	cellsDropped: number;
	populationDropped: number;
}

const ID_FIELDS = ['id', 'code', 'adcode', '区划代码', '代码', '编码'];
const NAME_FIELDS = ['name', '名称', '街道', '乡镇', 'title'];

export function importAreas(
	input: Uint8Array,
	o: { file: string; cells: CellTable; facilities: Facility[]; crs?: Crs; idField?: string; nameField?: string }
): AreasImport {
	checkImportSize(o.file, input.byteLength, IMPORT_LIMITS.tableBytes, 'an area file');
	const fc = parseGeoJson(decodeText(input, 'auto', o.file).text, o.file);
	const props = new Set<string>();
	for (const f of fc.features.slice(0, 100)) for (const k of Object.keys(f.properties)) props.add(k);
	const pick = (names: string[], given?: string) => given ?? [...props].find((p) => names.includes(normalizeHeader(p)));
	const idField = pick(ID_FIELDS, o.idField);
	const nameField = pick(NAME_FIELDS, o.nameField) ?? idField;
	if (!idField || !nameField)
		throw new KejimapError('FIELD_MISSING', `${o.file}: no id property (id/code/区划代码) on the features; properties found: ${[...props].join(', ')}`, { file: o.file, field: 'id' });
	const areas = areaSetFromGeoJson(fc, { crs: o.crs ?? 'wgs84', idField, nameField }, o.file);
	const locate = createAreaLocator(areas);
	const keep: number[] = [];
	const areaOf: number[] = [];
	let populationDropped = 0;
	for (let i = 0; i < o.cells.count; i++) {
		const k = locate(o.cells.lon[i], o.cells.lat[i]);
		if (k < 0) populationDropped += o.cells.population[i];
		else {
			keep.push(i);
			areaOf.push(k);
		}
	}
	if (keep.length === 0) throw new KejimapError('FILE_MALFORMED', `${o.file}: no cell of the region lies in these areas (another place, or another coordinate system?)`, { file: o.file });
	const c = o.cells;
	const cells: CellTable = {
		...c,
		count: keep.length,
		h3: keep.map((i) => c.h3[i]),
		lon: Float64Array.from(keep, (i) => c.lon[i]),
		lat: Float64Array.from(keep, (i) => c.lat[i]),
		population: Float64Array.from(keep, (i) => c.population[i]),
		areaIndex: Int32Array.from(areaOf)
	};
	const facilities = o.facilities.map((f) => {
		const k = locate(f.lon, f.lat);
		return { ...f, areaId: k >= 0 ? areas.areas[k].id : null };
	});
	return { file: o.file, idField, nameField, areas, cells, facilities, cellsDropped: c.count - keep.length, populationDropped };
}
