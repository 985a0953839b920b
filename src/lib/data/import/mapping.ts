/**
 * Which column holds what, guessed from the header (Chinese or English names as Amap, Baidu, Excel and the
 * statistics bureaus write them); the user can change every choice. Also a coordinate-system hint from the
 * column names ("经度_gcj02", "bd_lng").
 */
import type { Crs } from '../../engine/region';
import { GEOMETRY_COLUMN } from './table';

export const MAPPED_FIELDS = ['name', 'lon', 'lat', 'level', 'capacity', 'id', 'address', 'district', 'type', 'population', 'areaCode'] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];
/** field -> column name (absent = not in the file) */
export type ColumnMapping = Partial<Record<MappedField, string>>;

/** Normalised names, best first. Exact matches win over prefix matches ("lon_wgs84"), which win over "contains". */
const SYNONYMS: Record<MappedField, string[]> = {
	name: ['机构名称', '医疗机构名称', '单位名称', '设施名称', '名称', '名字', 'name', 'title', 'facilityname', 'poiname'],
	lon: ['经度', 'lon', 'lng', 'longitude', 'long', 'x', 'wgslng', 'gcjlng', 'bdlng'],
	lat: ['纬度', 'lat', 'latitude', 'y', 'wgslat', 'gcjlat', 'bdlat'],
	level: ['级别', '等级', '机构级别', '机构类别', '机构类型', '类别', 'level', 'category', 'facilitytype'],
	capacity: ['床位', '床位数', '编制床位', '核定床位', 'capacity', 'beds'],
	id: ['编号', '机构编码', '机构代码', 'id', 'code', 'facilityid'],
	address: ['地址', '详细地址', 'address', 'addr'],
	district: ['区县', '所属区', '区', '县', 'district', 'adname', 'county'],
	type: ['类型', 'type', 'poitype'],
	population: ['人口', '常住人口', '人口数', '户籍人口', 'population', 'pop', 'total'],
	areaCode: ['区划代码', '行政区划代码', '统计用区划代码', 'adcode', 'areacode', 'code']
};

/** "经度 (GCJ-02)" -> "经度gcj02"; "Lon_WGS84" -> "lonwgs84" */
export function normalizeHeader(h: string): string {
	return h
		.toLowerCase()
		.replace(/[（(【[].*?[）)】\]]/g, (m) => m.replace(/[^a-z0-9]/g, ''))
		.replace(/[\s_\-.:：/]/g, '');
}

/** CRS named in the lon/lat headers, if any (Amap exports "gcj", Baidu "bd09"). */
export function crsFromHeaders(...headers: (string | undefined)[]): Crs | null {
	const h = headers.filter(Boolean).map((x) => normalizeHeader(x!)).join(' ');
	if (/bd09|bd|baidu|百度/.test(h)) return 'bd09';
	if (/gcj|火星|高德|amap/.test(h)) return 'gcj02';
	if (/wgs|gps/.test(h)) return 'wgs84';
	return null;
}

/**
 * Guess the mapping. Each column is used for one field at most; `want` limits the fields looked for (a population
 * table has no level). GeoJSON point geometry is used for lon/lat when no property holds them.
 */
export function detectColumns(header: string[], want: readonly MappedField[] = MAPPED_FIELDS): ColumnMapping {
	const norm = header.map(normalizeHeader);
	const used = new Set<number>();
	const out: ColumnMapping = {};
	const pick = (field: MappedField, test: (h: string, syn: string) => boolean) => {
		if (out[field]) return;
		for (const syn of SYNONYMS[field]) {
			const i = norm.findIndex((h, k) => !used.has(k) && header[k] !== GEOMETRY_COLUMN && test(h, syn));
			if (i >= 0) {
				out[field] = header[i];
				used.add(i);
				return;
			}
		}
	};
	// exact names first for every field, so "code" in a population table is not taken by a prefix guess
	for (const f of want) pick(f, (h, s) => h === s);
	// one-letter synonyms (x, y) only as exact names; longer ones also as a prefix or suffix ("lon_wgs84", "wgs84经度")
	for (const f of want) pick(f, (h, s) => s.length > 1 && (h.startsWith(s) || h.endsWith(s)));
	for (const f of want) if (f !== 'id' && f !== 'areaCode') pick(f, (h, s) => s.length > 1 && /[^a-z]/.test(s) && h.includes(s));
	if (header.includes(GEOMETRY_COLUMN) && want.includes('lon') && (!out.lon || !out.lat)) {
		out.lon = GEOMETRY_COLUMN;
		out.lat = GEOMETRY_COLUMN;
	}
	return out;
}
