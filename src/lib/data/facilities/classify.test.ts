import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../node/files';
import { AMAP_RULES, classifyAmapPoi } from './classify';

const T = {
	wsy: '医疗保健服务;综合医院;卫生院',
	zs: '医疗保健服务;诊所;诊所',
	zh: '医疗保健服务;综合医院;综合医院',
	sj: '医疗保健服务;综合医院;三级甲等医院'
};

// Real Amap names and types, level decided by hand.
const CASES: [string, string, string | null, string][] = [
	['南京东路街道社区卫生服务中心', T.wsy, 'chc', 'centre'],
	['上海市黄浦区半淞园街道社区卫生服务中心', T.wsy, 'chc', 'centre'],
	['同济大学医学院附属定海社区卫生服务中心(筹)', T.wsy, 'chc', 'centre'],
	['小东门街道社区卫生服务中心(光启南路)', T.wsy, 'chc', 'centre'],
	['外滩街道社区卫生中心', T.wsy, 'chc', 'centre'],
	['大宁地段医院', T.zh, 'chc', 'centre-old-name'],
	['外滩街道社区卫生服务中心金陵分中心', T.wsy, 'chc_branch', 'centre-branch'],
	['赵屯卫生服务分中心', T.wsy, 'chc_branch', 'centre-branch'],
	['大场镇社区卫生服务中心(汶水路分院)', T.wsy, 'chc_branch', 'centre-branch'],
	['小东门街道社区卫生服务中心(第二执业点)', T.wsy, 'chc_branch', 'centre-satellite'],
	['虹梅街道社区卫生服务中心-华鑫站', T.wsy, 'chc_branch', 'centre-satellite'],
	['月浦镇社区卫生服务中心(马泾桥站)', T.wsy, 'chc_branch', 'centre-satellite'],
	['长风社区卫生服务中心门诊部', T.wsy, 'chc_branch', 'centre-sub-poi'],
	['程家桥街道社区卫生服务中心(住院部)', T.wsy, 'chc_branch', 'centre-sub-poi'],
	['上海市静安区石门二路街道社区卫生服务中心住院部', T.zh, 'chc_branch', 'centre-sub-poi'],
	['仙霞街道社区卫生服务中心口腔科', '医疗保健服务;专科医院;口腔医院', 'chc_branch', 'centre-sub-poi'],
	['凉城街道社区卫生服务中心广粤服务站', T.wsy, 'chs', 'centre-station'],
	['上海市示范社区卫生服务中心', T.wsy, null, 'centre-title'],
	['东南社区卫生服务站(周浦社区卫生服务中心)', T.wsy, 'chs', 'station'],
	['五里桥社区卫生服务中心江南社区服务点', T.wsy, 'chs', 'centre-station'],
	['建设镇社区卫生服务中心大同村卫生室', T.zs, 'village_clinic', 'centre-village-clinic'],
	['桃园社区卫生服务站', T.wsy, 'chs', 'station'],
	['辽阳卫生服务点', T.wsy, 'chs', 'station'],
	['中冶医院杨泰二村卫生站', T.zs, 'chs', 'station'],
	['巨鹿居委红十字卫生站', T.zs, 'other', 'red-cross-post'],
	['川沙新镇长丰村卫生室', T.zs, 'village_clinic', 'village-clinic'],
	['施镇中心卫生室', T.zs, 'village_clinic', 'village-clinic'],
	['泖港镇黄桥村医务室', T.zs, 'village_clinic', 'village-clinic'],
	['机场镇华路村中心卫生室', T.wsy, 'village_clinic', 'village-clinic'],
	['上海市虎林中学-卫生室', T.zs, 'other', 'institution-clinic'],
	['上海交通大学七宝校区校医院', T.zh, 'other', 'institution-clinic'],
	['马陆镇卫生院', T.zs, 'township', 'township'],
	['叶榭镇卫生院-肝炎门诊', T.wsy, 'township', 'township'],
	['上海长征医院', T.sj, 'hospital', 'hospital'],
	['复旦大学附属华东医院16号楼', T.zh, 'hospital', 'hospital'],
	['上海伽马刀中心', T.zh, 'hospital', 'hospital'],
	['国际和平妇幼保健院金山分院', '医疗保健服务;专科医院;专科医院', 'hospital', 'hospital'],
	['上海逸养中医门诊部', T.zh, 'other', 'other-medical'],
	['德目眼科(松江店)', '医疗保健服务;专科医院;眼科医院', 'other', 'other-medical'],
	['上海陈秋滨内科诊所', T.zs, 'other', 'other-medical'],
	['瑞鹏宠物医院宜川分院', '医疗保健服务;动物医疗场所;宠物诊所', null, 'veterinary'],
	['上海市口腔医院', '医疗保健服务;专科医院;口腔医院', null, 'dental'],
	['镶牙', T.zs, null, 'dental'],
	['久雅医疗美容医院', '医疗保健服务;专科医院;整形美容', null, 'cosmetic'],
	['中山医院体检中心', T.sj, null, 'checkup'],
	['上海市医疗急救中心闸北分站', '医疗保健服务;急救中心;急救中心', null, 'emergency'],
	['上海市松江区疾病预防控制中心', '医疗保健服务;疾病预防机构;疾病预防', null, 'public-health'],
	['黄浦区妇幼保健所', '医疗保健服务;专科医院;专科医院', null, 'public-health'],
	['上海市血液中心', T.zs, null, 'blood'],
	['好药师大药房', '医疗保健服务;医药保健销售店;药房', null, 'pharmacy']
];

describe('amap-name-rules', () => {
	it.each(CASES)('%s -> %s', (name, type, level, rule) => {
		const c = classifyAmapPoi(name, type);
		expect([c.level, c.rule]).toEqual([level, rule]);
		if (level === null) expect(c.excluded).toBeTruthy();
	});

	it('uses the name when the source has no type column', () => {
		expect(classifyAmapPoi('曹杨社区卫生服务中心').level).toBe('chc');
		expect(classifyAmapPoi('某某村卫生室').level).toBe('village_clinic');
		expect(classifyAmapPoi('某某诊所').level).toBe('other');
	});

	it('documents every rule in docs/facility-rules.md, in order, and nothing else', () => {
		const doc = readFileSync(path.join(REPO_ROOT, 'docs/facility-rules.md'), 'utf8');
		const ids = [...doc.matchAll(/^\| \d+ \| `([a-z-]+)` \|/gm)].map((m) => m[1]);
		expect(ids).toEqual(AMAP_RULES.map((r) => r.id));
		for (const r of AMAP_RULES) expect(doc).toContain(r.zh);
	});
});
