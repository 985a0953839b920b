/**
 * Amap medical POIs -> FacilityLevel, by documented name/type rules ("amap-name-rules").
 * The rules are a table, tried in order; the first that matches decides. Each rule has an id, and
 * docs/facility-rules.md lists the same table (a test checks that every id is documented).
 *
 * Why names first: Amap files community health centres under the type "卫生院" and sometimes under
 * "综合医院"/"诊所"/"疾病预防", so the type alone cannot tell a centre from a hospital or a CDC. The name
 * can. Types decide only for what the name leaves open (hospitals, pharmacies, cosmetic surgery ...).
 */
import type { FacilityLevel } from '../../engine/types';

export type ExclusionReason =
	| 'veterinary'
	| 'pharmacy'
	| 'dental'
	| 'cosmetic'
	| 'checkup'
	| 'emergency'
	| 'public-health'
	| 'blood'
	| 'optical'
	| 'not-care'
	| 'title-only';

export interface Classification {
	/** null = excluded (see `excluded`) */
	level: FacilityLevel | null;
	/** id of the rule that decided */
	rule: string;
	excluded?: ExclusionReason;
}

interface Ctx {
	/** name with full-width brackets and dashes normalised, spaces removed */
	name: string;
	/** name without bracketed notes: "洁美口腔(新泾新家苑社区卫生服务站西)" is a dental clinic west of a station */
	bare: string;
	/** the whole Amap type string (may hold several "a;b;c" categories joined by "|") */
	type: string;
	/** the first category's last part, e.g. "卫生院", "综合医院", "宠物诊所" */
	primaryType: string;
	/** text after the last community-health-centre keyword, or null when the name has none */
	centreTail: string | null;
}

export interface AmapRule {
	id: string;
	level: FacilityLevel | null;
	excluded?: ExclusionReason;
	zh: string;
	en: string;
	test: (c: Ctx) => boolean;
}

/** Full-width brackets/dashes to ASCII, drop spaces and middle dots: Amap mixes both forms. */
export function normalizeName(name: string): string {
	return name
		.replace(/[（【〔［]/g, '(')
		.replace(/[）】〕］]/g, ')')
		.replace(/[－—–]/g, '-')
		.replace(/[\s·•]/g, '');
}

// 社区卫生服务中心 / 社区卫生中心 / (街道|镇)卫生服务中心; the last occurrence splits "centre + tail".
const CENTRE_RE = /社区卫生服务中心|社区卫生中心|卫生服务中心/g;
const CENTRE_BRANCH_RE = /卫生服务分中心|社区卫生分中心|分中心|分院|分部/;
const STATION_RE = /社区卫生服务站|卫生服务站|社区卫生站|卫生站|服务站|卫生服务点|社区服务点|服务点/;
const SATELLITE_RE = /站点|站\)?$|点\)?$|医疗点|执业点/;
const VILLAGE_RE = /卫生室|卫生保健室|合作医疗站|村.{0,6}(医务室|卫生所|卫生院)|镇.{1,6}卫生所/;
// departments, buildings and outpatient units: parts of one facility, not separate sites
const SUB_POI_RE = /门诊|住院|急诊|病房|楼|科|[东西南北正大]门|接种|保健|康复|工作室|工作站|小屋/;
const INSTITUTION_RE = /大学|学院|学校|中学|小学|校区|公司|集团|工厂|乐园|景区|科技馆|体育|游泳|养老院|敬老院|监狱|动物园|植物园/;
const INSTITUTION_CARE_RE = /医务室|卫生所|卫生室|保健站|保健室|医疗站|医疗点|校医院|卫生科/;

function centreTail(rawName: string): string | null {
	// "东南社区卫生服务站(周浦社区卫生服务中心)": a bracketed centre name only says who runs the station.
	const name = rawName.replace(/\([^)]*(社区卫生服务中心|社区卫生中心|卫生服务中心)[^)]*\)/g, '');
	let last = -1;
	let len = 0;
	for (const m of name.matchAll(CENTRE_RE)) {
		last = m.index ?? -1;
		len = m[0].length;
	}
	return last < 0 ? null : name.slice(last + len);
}

/** The rule table. Order matters: first match wins. */
export const AMAP_RULES: readonly AmapRule[] = [
	{
		id: 'veterinary',
		level: null,
		excluded: 'veterinary',
		zh: '宠物/动物医疗（类型含 动物医疗/宠物/兽医，或名称含 宠物、动物医院、兽医）',
		en: 'Veterinary: type contains 动物医疗/宠物/兽医 or the name says pet/animal hospital/vet',
		test: (c) => /动物医疗|宠物|兽医/.test(c.type) || /宠物|动物医院|动物诊所|兽医|动物医疗/.test(c.name)
	},
	// --- community health centre family: the name contains 社区卫生服务中心 (or 社区卫生中心 / 卫生服务中心) ---
	{
		id: 'centre-title',
		level: null,
		excluded: 'title-only',
		zh: '称号而非机构：“上海市示范社区卫生服务中心”标在某个中心的楼上，该中心本身另有兴趣点',
		en: 'A title, not a facility: "上海市示范社区卫生服务中心" (model centre) labels a centre that has its own POI',
		test: (c) => /^(上海市?)?示范社区卫生服务中心$/.test(c.name)
	},
	{
		id: 'centre-village-clinic',
		level: 'village_clinic',
		zh: '中心名称之后是村卫生室（如 建设镇社区卫生服务中心大同村卫生室）',
		en: 'A village clinic run by a centre: 卫生室 after the centre name',
		test: (c) => c.centreTail !== null && /卫生室|卫生所/.test(c.centreTail)
	},
	{
		id: 'centre-station',
		level: 'chs',
		zh: '中心名称之后是服务站/卫生站/服务点（如 …中心广粤服务站、…中心(盛大花园社区卫生服务站)）',
		en: 'A station run by a centre: 服务站/卫生站/服务点 after the centre name',
		test: (c) => c.centreTail !== null && STATION_RE.test(c.centreTail)
	},
	{
		id: 'centre-branch',
		level: 'chc_branch',
		zh: '分中心/分院/分部（如 外滩街道社区卫生服务中心金陵分中心、赵屯卫生服务分中心）',
		en: 'Branch centre: 分中心/分院/分部 after the centre name, or 卫生服务分中心',
		test: (c) => (c.centreTail !== null && CENTRE_BRANCH_RE.test(c.centreTail)) || /卫生服务分中心|社区卫生分中心/.test(c.name)
	},
	{
		id: 'centre-satellite',
		level: 'chc_branch',
		zh: '中心的执业点/站点（如 …中心(第二执业点)、…中心-华鑫站、…中心(马泾桥站)、…中心通河点）',
		en: "A centre's satellite site: 执业点, 站点, -xx站, (xx站), xx点",
		test: (c) => c.centreTail !== null && c.centreTail.length > 0 && SATELLITE_RE.test(c.centreTail)
	},
	{
		id: 'centre',
		level: 'chc',
		zh: '社区卫生服务中心，名称之后为空或只有括号内的注记（如 (筹)、(光启南路)）',
		en: 'Community health service centre: nothing after the centre name but a bracketed note',
		test: (c) => c.centreTail !== null && c.centreTail.replace(/\([^)]*\)?/g, '').length === 0 && !SUB_POI_RE.test(c.centreTail)
	},
	{
		id: 'centre-sub-poi',
		level: 'chc_branch',
		zh: '中心的部门/楼宇/门诊部（如 …中心门诊部、…住院部、…预防接种门诊、…口腔科）；150 米内并入中心',
		en: "A department, building or outpatient unit of a centre (门诊部, 住院部, 预防接种门诊 ...); merged into the centre within 150 m",
		test: (c) => c.centreTail !== null
	},
	{
		id: 'centre-old-name',
		level: 'chc',
		zh: '地段医院：社区卫生服务中心的旧称（如 大宁地段医院 = 大宁路街道社区卫生服务中心）',
		en: '地段医院 (neighbourhood hospital): the old name of a community health service centre',
		test: (c) => /地段医院/.test(c.name)
	},
	// --- stations, posts, village clinics, township centres ---
	{
		id: 'red-cross-post',
		level: 'other',
		zh: '居委红十字卫生站/服务站：志愿者健康点，不是社区卫生服务站',
		en: "Residents' committee Red Cross post (红十字卫生站): a volunteer first-aid point, not a licensed station",
		test: (c) => /红十字/.test(c.bare) && /卫生站|服务站|服务点/.test(c.bare)
	},
	{
		id: 'station',
		level: 'chs',
		zh: '社区卫生服务站/卫生服务站/社区卫生站/卫生服务点/卫生站',
		en: 'Community health service station: 社区卫生服务站, 卫生服务站, 社区卫生站, 卫生服务点, 卫生站',
		test: (c) => /社区卫生服务站|卫生服务站|社区卫生站|卫生服务点|卫生站/.test(c.bare) && !INSTITUTION_RE.test(c.bare)
	},
	{
		id: 'institution-clinic',
		level: 'other',
		zh: '单位/学校/景区内部的医务室、卫生所、卫生室、校医院（不对居民开放）',
		en: 'In-house clinic of a school, company or venue (医务室/卫生所/卫生室/校医院): not open to residents',
		test: (c) => INSTITUTION_RE.test(c.bare) && INSTITUTION_CARE_RE.test(c.bare)
	},
	{
		id: 'village-clinic',
		level: 'village_clinic',
		zh: '村卫生室/中心卫生室/卫生保健室/合作医疗站，及村、镇的医务室/卫生所',
		en: 'Village clinic: 卫生室, 中心卫生室, 卫生保健室, 合作医疗站, or a 医务室/卫生所 of a village or town',
		test: (c) => VILLAGE_RE.test(c.bare)
	},
	{
		id: 'township',
		level: 'township',
		zh: '乡镇卫生院/中心卫生院/卫生院（含其门诊、分院）',
		en: 'Township health centre: 乡镇卫生院, 镇/乡卫生院, 中心卫生院, 卫生院 (and its departments)',
		test: (c) => /卫生院/.test(c.bare)
	},
	// --- not primary care: excluded with a reason ---
	{
		id: 'pharmacy',
		level: null,
		excluded: 'pharmacy',
		zh: '药店/药房（类型 医药保健销售店）',
		en: 'Pharmacy: type 医药保健销售店/药房, or the name says 药房/药店',
		test: (c) => /医药保健销售店|药房|药店/.test(c.type.split('|')[0]) || /药房|药店/.test(c.name)
	},
	{
		id: 'dental',
		level: null,
		excluded: 'dental',
		zh: '口腔/牙科（名称含 口腔、齿科、牙；或主类型为口腔医院且名称不含“医院”）',
		en: 'Dental: name has 口腔/齿科/牙, or the primary type is 口腔医院 and the name is not a hospital',
		test: (c) => /口腔|齿科|牙/.test(c.name) || (c.primaryType === '口腔医院' && !/医院/.test(c.name))
	},
	{
		id: 'cosmetic',
		level: null,
		excluded: 'cosmetic',
		zh: '医疗美容/整形（主类型 整形美容，或名称含 美容、整形、医美、植发）',
		en: 'Cosmetic surgery: primary type 整形美容 or the name says 美容/整形/医美/植发',
		test: (c) => c.primaryType === '整形美容' || /美容|整形|医美|植发/.test(c.name)
	},
	{
		id: 'checkup',
		level: null,
		excluded: 'checkup',
		zh: '体检/健康管理中心',
		en: 'Health check-up or health management centre (体检, 健康管理中心)',
		test: (c) => /体检|健康管理中心/.test(c.name)
	},
	{
		id: 'emergency',
		level: null,
		excluded: 'emergency',
		zh: '急救中心/急救站（主类型 急救中心，或名称含 急救）',
		en: 'Ambulance / emergency dispatch (primary type 急救中心, or 急救 in the name)',
		test: (c) => c.primaryType === '急救中心' || /急救中心|急救站|急救分站|急救$/.test(c.name)
	},
	{
		id: 'blood',
		level: null,
		excluded: 'blood',
		zh: '血站/献血点/血液中心',
		en: 'Blood bank or donation point (血站, 献血, 血液中心)',
		test: (c) => /血站|献血|血液中心/.test(c.name)
	},
	{
		id: 'public-health',
		level: null,
		excluded: 'public-health',
		zh: '疾病预防控制/卫生监督/病媒防制/计划生育/妇幼保健所（主类型 疾病预防，或名称匹配）',
		en: 'Public-health agency: CDC, health inspection, pest control, family planning, district MCH office (妇幼保健所)',
		test: (c) =>
			c.primaryType === '疾病预防' || /疾病预防|疾控|卫生监督|防疫|有害生物|病媒|计划生育|妇幼保健所|妇女儿童保健所/.test(c.name)
	},
	{
		id: 'optical',
		level: null,
		excluded: 'optical',
		zh: '眼镜店/验光',
		en: 'Optician (眼镜, 验光)',
		test: (c) => /眼镜|验光/.test(c.name)
	},
	{
		id: 'not-care',
		level: null,
		excluded: 'not-care',
		zh: '医疗器械/助听器/医学检验所（不看病）',
		en: 'Medical supplies, hearing aids, laboratories (no patient care)',
		test: (c) => /医疗器械|助听器|医学检验|检验所|检测中心/.test(c.name)
	},
	// --- hospitals and the rest ---
	{
		id: 'hospital',
		level: 'hospital',
		zh: '医院：名称含 医院/保健院，或主类型含 医院 且名称不是门诊部、诊所、连锁店、视力/推拿/养生等',
		en: 'Hospital: the name contains 医院/保健院, or the primary type contains 医院 and the name is not an outpatient unit, clinic or shop (门诊部, 诊所, …店, 视力, 推拿 ...)',
		test: (c) => /医院|保健院/.test(c.name) || (/医院/.test(c.primaryType) && !/门诊部|诊所|工作室|中医馆|国医馆|堂$|店|体验|视力|调理|推拿|按摩|养生/.test(c.name))
	},
	{
		id: 'other-medical',
		level: 'other',
		zh: '其他医疗点：诊所、门诊部、中医馆等（不属社区卫生服务网络）',
		en: 'Other medical POI: private clinics, outpatient departments, TCM clinics (not part of the community health network)',
		test: () => true
	}
];

/** Classify one Amap medical POI by name and Amap type string. */
export function classifyAmapPoi(name: string, type = ''): Classification {
	const n = normalizeName(name);
	const first = type.split('|')[0] ?? '';
	const bare = n.replace(/\([^)]*\)?/g, '');
	const ctx: Ctx = { name: n, bare, type, primaryType: first.split(';').pop() ?? '', centreTail: centreTail(n) };
	for (const r of AMAP_RULES) {
		if (r.test(ctx)) return r.excluded ? { level: null, rule: r.id, excluded: r.excluded } : { level: r.level, rule: r.id };
	}
	/* c8 ignore next */
	return { level: 'other', rule: 'other-medical' };
}
