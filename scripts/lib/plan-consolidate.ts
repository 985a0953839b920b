/**
 * The plan CLI's consolidate / elderly parts (kj-consolidate): their flags, their instances, and their text
 * report. scripts/plan-cli.ts calls these in three small places; the JSON needs nothing here (the objectives'
 * `extensions` carry closures, circuitCare, homesWithoutCare).
 */
import { DEMAND_WEIGHT_KINDS, type DemandWeightKind } from '../../src/lib/engine/allocation/elderly';
import { objectiveInstance, OBJECTIVES_WITHOUT_SITES } from '../../src/lib/engine/allocation/objective-instance';
import type { RegionInstance } from '../../src/lib/engine/allocation/instance';
import type { PlanResult } from '../../src/lib/engine/allocation/types';
import type { CoverageSession, CoverageSettings } from '../../src/lib/engine/session';
import { tableLines } from './area-table';
import { readBuiltElderly } from './load-built';

export interface ConsolidateArgs {
	maxLoss?: number;
	minService?: number;
	demandWeight?: DemandWeightKind;
}

export { OBJECTIVES_WITHOUT_SITES };

export const CONSOLIDATE_FLAGS = ['--max-loss', '--min-service', '--demand-weight'] as const;
export const CONSOLIDATE_USAGE = `[--max-loss PEOPLE] [--min-service PEOPLE] (consolidate) [--demand-weight ${DEMAND_WEIGHT_KINDS.join('|')}] (cover, target, median)`;

/** Parse one of CONSOLIDATE_FLAGS into `a`; returns an error sentence, or null. */
export function parseConsolidateFlag(flag: string, v: string, a: ConsolidateArgs): string | null {
	if (flag === '--demand-weight') {
		if (!DEMAND_WEIGHT_KINDS.includes(v as DemandWeightKind)) return `${flag} must be one of ${DEMAND_WEIGHT_KINDS.join(', ')} (got "${v}")`;
		a.demandWeight = v as DemandWeightKind;
		return null;
	}
	const n = Number(v);
	if (!(Number.isFinite(n) && n >= 0)) return `${flag} must be a number of people >= 0 (got "${v}")`;
	if (flag === '--max-loss') a.maxLoss = n;
	else a.minService = n;
	return null;
}

/** The instance for consolidate / elderly, or a demand-weighted region instance; null = the plan CLI's own. */
export function consolidateInstanceFor(
	objective: string,
	args: ConsolidateArgs,
	session: CoverageSession,
	settings: CoverageSettings,
	base: () => RegionInstance | Promise<RegionInstance>
): Promise<RegionInstance | null> {
	const needsElderly = objective === 'elderly' || (args.demandWeight !== undefined && args.demandWeight !== 'population');
	return objectiveInstance(objective, session, settings, { demandWeight: args.demandWeight, elderly: needsElderly ? readBuiltElderly(session.region.id) : null }, base);
}

const f1 = (x: number | null) => (x === null ? '> 60' : x.toFixed(1));
const TOP = 20;

/** Text for the consolidate / elderly parts of a result (after the common tables). */
export function printConsolidateText(r: PlanResult, say: (t: string) => void): void {
	const ext = (r.extensions ?? {}) as Record<string, unknown>;
	if (r.objective === 'consolidate') {
		const c = ext.consolidation as { clinicCount: number; atTownshipSeat: number; predictedLoss: number; clinicsAssumed: boolean; assumptions: { zh: string; en: string }[]; circuitCarePopulation: number; largerUncoveredPlaces: number; largerUncoveredPopulation: number };
		const closures = ext.closures as { rank: number; name: string; id: string; servedPopulation: number; lossPopulation: number; reason: string; assumed: boolean; takeover: { name: string; level: string } | null; takeoverPopulation: number }[];
		const care = ext.circuitCare as { h3: string; population: number; cellCount: number; minutesToNearest: number | null; nearest: { name: string } | null }[];
		say('');
		if (c.clinicsAssumed)
			say(`注意 NOTE: 本地区无村卫生室名单，村卫生室为假设（${c.assumptions.map((a) => a.zh).join('；')}）；以下撤并建议针对假设的卫生室 / no clinic list: the village clinics are assumptions (${c.assumptions.map((a) => a.en).join('; ')}), and so are the closures below`);
		say(`村卫生室 village clinics: ${c.clinicCount}（其中 ${c.atTownshipSeat} 所位于乡镇卫生院所在地 at a township seat）; 建议撤并 closures suggested: ${closures.length}; 失去覆盖 people losing coverage: ${c.predictedLoss}`);
		for (const l of tableLines(
			['村卫生室 clinic', '排名 rank', '服务 served', '失去 loss', '原因 reason', '并入 takeover', '承接 taken'],
			closures.map((x) => ({
				name: `${x.name}${x.assumed ? ' (假设 assumed)' : ''}`,
				values: [String(x.rank), String(x.servedPopulation), String(x.lossPopulation), x.reason === 'small' ? '人口少 small' : '乡镇驻地 seat', x.takeover ? `${x.takeover.name} (${x.takeover.level})` : '-', String(x.takeoverPopulation)]
			})),
			[8, 10, 10, 14, 30, 10]
		))
			say(l);
		say('');
		say(`巡回医疗候选 circuit-care places: ${care.length}（${c.circuitCarePopulation} 人 people）; 需设点的较大未覆盖片区 larger uncovered places (need a clinic): ${c.largerUncoveredPlaces} (${c.largerUncoveredPopulation} 人)`);
		for (const l of tableLines(
			['地点 place (H3)', '人口 pop', '网格 cells', '分钟 min', '最近 nearest'],
			care.slice(0, TOP).map((p) => ({ name: p.h3, values: [String(p.population), String(p.cellCount), f1(p.minutesToNearest), p.nearest?.name ?? '-'] })),
			[10, 10, 8, 30]
		))
			say(l);
		if (care.length > TOP) say(`… ${care.length - TOP} more (--json lists all)`);
	}
	if (r.objective === 'elderly') {
		const e = ext.elderly as { homes: number; beds: number; homesWithoutCare: number; bedsWithoutCare: number };
		const homes = ext.homesWithoutCare as { name: string; district: string | null; beds: number; minutesToNearest: number | null; nearest: { name: string } | null }[];
		say('');
		say(`养老机构 elderly care homes: ${e.homes} (${e.beds} 床 beds); 阈值内无计入设施 with no counted facility within the threshold: ${e.homesWithoutCare} (${e.bedsWithoutCare} 床 beds)`);
		for (const l of tableLines(
			['养老机构 home', '区 district', '床位 beds', '分钟 min', '最近 nearest'],
			homes.slice(0, TOP).map((h) => ({ name: h.name, values: [h.district ?? '-', String(h.beds), f1(h.minutesToNearest), h.nearest?.name ?? '-'] })),
			[10, 8, 8, 30]
		))
			say(l);
		if (homes.length > TOP) say(`… ${homes.length - TOP} more (--json lists all)`);
	}
}
