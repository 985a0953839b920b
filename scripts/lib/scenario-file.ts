/**
 * Node side of scenario files for the CLIs: read a file, check it against the loaded region, and run it through
 * the same LiveScenario the app's worker uses (so `--scenario` prints the app's figures).
 */
import { readFileSync } from 'node:fs';
import { KejimapError } from '../../src/lib/engine/errors';
import { checkScenarioRegion, dataFingerprint, readScenario, type ScenarioDocument, type ScenarioRegionRef } from '../../src/lib/engine/scenario/codec';
import { LiveScenario } from '../../src/lib/engine/scenario/live-scenario';
import type { CoverageSession, CoverageSettings } from '../../src/lib/engine/session';

/** The region reference a scenario made on this session's data carries. */
export function regionRefOf(session: CoverageSession): ScenarioRegionRef {
	return { id: session.region.id, inputHash: session.region.inputHash, dataHash: dataFingerprint(session.facilities, session.cells) };
}

/** Reads and checks a scenario file for this session's region; a warning (other data of the region) goes to `warn`. */
export function readScenarioFile(file: string, session: CoverageSession, warn: (m: string) => void): ScenarioDocument {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (e) {
		throw new KejimapError('FILE_MISSING', `${file}: cannot read the scenario file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file });
	}
	const doc = readScenario(text, file);
	const { warning } = checkScenarioRegion(doc, regionRefOf(session), new Set(session.facilities.map((f) => f.id)), file);
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
