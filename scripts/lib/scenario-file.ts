/**
 * Node side of scenario files for the CLIs: read a file, check it against the loaded region, and run it through
 * the same LiveScenario the app's worker uses (so `--scenario` prints the app's figures).
 */
import { readFileSync } from 'node:fs';
import { KejimapError } from '../../src/lib/engine/errors';
import type { PlanResult } from '../../src/lib/engine/allocation/types';
import { checkScenarioRegion, createScenarioDocument, encodeScenarioLink, readScenario, SCENARIO_LINK_PARAM, type ScenarioDocument } from '../../src/lib/engine/scenario/codec';
import { createFacilitySet } from '../../src/lib/engine/scenario/edits';
import { defaultNewLevel, planEdit, planResultProposal } from '../../src/lib/engine/scenario/plan-edit';
import { encodeViewState, toAreaModes } from '../../src/lib/state/url-state';
import { LiveScenario, scenarioRegionRef } from '../../src/lib/engine/scenario/live-scenario';
import type { CoverageSession, CoverageSettings } from '../../src/lib/engine/session';

export { scenarioRegionRef as regionRefOf } from '../../src/lib/engine/scenario/live-scenario';

/** Reads and checks a scenario file for this session's region; a warning (other data of the region) goes to `warn`. */
export function readScenarioFile(file: string, session: CoverageSession, warn: (m: string) => void): ScenarioDocument {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (e) {
		throw new KejimapError('FILE_MISSING', `${file}: cannot read the scenario file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file });
	}
	const doc = readScenario(text, file);
	const { warning } = checkScenarioRegion(doc, scenarioRegionRef(session), new Set(session.facilities.map((f) => f.id)), file);
	if (warning) warn(`warning: ${warning.message}`);
	return doc;
}

/** The file's settings with the given overrides (undefined = keep the file's). */
export function scenarioSettings(doc: ScenarioDocument, over: Partial<CoverageSettings>): CoverageSettings {
	const s: CoverageSettings = { ...doc.settings, levels: [...doc.settings.levels] };
	for (const [k, v] of Object.entries(over)) if (v !== undefined) (s as unknown as Record<string, unknown>)[k] = v;
	return s;
}

/** The scenario's coverage under `settings` (the file's own, or the file's with the flags given on the command line). */
export function runScenario(session: CoverageSession, doc: ScenarioDocument, settings: CoverageSettings, file: string) {
	let live: LiveScenario;
	try {
		live = new LiveScenario(session, settings, doc.edits);
	} catch (e) {
		if (e instanceof KejimapError) throw new KejimapError(e.code, `${file}: ${e.message}`, { ...e.detail, file });
		throw e;
	}
	return { live, summary: live.summary(), result: live.result, diagnostics: live.diagnostics(), activeFacilities: live.activeFacilities };
}

/** A plan's result (its sites; consolidation's closures with the clinic that takes over) as a scenario document. */
export function planScenarioDocument(session: CoverageSession, settings: CoverageSettings, result: PlanResult, label: string): ScenarioDocument {
	const closures = ((result.extensions?.closures ?? []) as { id: string; takeover: { id: string } | null }[]).map((c) => ({ facilityId: c.id, intoId: c.takeover?.id ?? null }));
	const proposal = { ...planResultProposal(label, result, session.facilities), closures };
	const edit = planEdit(createFacilitySet(session.facilities), proposal, defaultNewLevel(settings.levels), (i) => `规划站点 ${i + 1} planned site ${i + 1}`);
	return createScenarioDocument(label, scenarioRegionRef(session), settings, [edit], new Date().toISOString());
}

/** The app's link to a scenario: path and query (no host), as the app's own share link. */
export function scenarioLinkPath(doc: ScenarioDocument): string {
	const s = doc.settings;
	const q = encodeViewState({
		region: doc.region.id,
		mode: s.mode,
		maxMinutes: s.maxMinutes,
		levels: s.levels,
		targetShare: s.targetShare,
		view: 'time',
		lang: 'zh-CN',
		method: s.method,
		areaModes: toAreaModes(s.areaModeRules)
	});
	q.set(SCENARIO_LINK_PARAM, encodeScenarioLink(doc));
	return `/?${q.toString()}`;
}
