import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KejimapError } from '../src/lib/engine/errors';
import { validateRegionManifest } from '../src/lib/engine/region';
import { listRegionIds, loadRegion, readManifestJson } from '../scripts/lib/load-region';
import { dataRoot } from '../scripts/lib/paths';

describe('region manifests shipped in data/regions', () => {
	const ids = listRegionIds();
	it('cover the real datasets', () => {
		expect(ids).toEqual(
			expect.arrayContaining(['shanghai', 'shanghai-huangpu-peoples-square', 'shanghai-yangpu-tongji', 'shanghai-baoshan-shu', 'chengdu-central', 'lingqiu', 'xixiang', 'longxi', 'anlong'])
		);
	});
	for (const id of ids) {
		it(`${id}: validates, id matches the file name`, () => {
			const r = loadRegion(id);
			expect(r.manifest.id).toBe(id);
		});
		it.skipIf(!existsSync(dataRoot))(`${id}: every input file exists`, () => {
			const { manifest: m, resolvePath } = loadRegion(id);
			const paths = [m.areas.path, ...m.facilities.map((f) => f.path)];
			if (m.network) paths.push(...[m.network.path, m.network.nodesPath, m.network.edgesPath].filter((p): p is string => !!p));
			if (m.population.method === 'census-weights') {
				paths.push(m.population.census.path);
				for (const w of m.population.weights) if (w.kind !== 'network-length') paths.push(w.path);
			}
			for (const e of [m.elderly?.careHomes, m.elderly?.ages]) if (e) paths.push(e.path);
			for (const p of paths) expect(existsSync(resolvePath(p)), p).toBe(true);
		});
	}
});

describe('manifest validation names the field', () => {
	const base = () => readManifestJson(path.resolve('data/regions/shanghai.json')) as Record<string, unknown>;
	const bad = (mutate: (m: Record<string, unknown>) => void, re: RegExp) => {
		const m = base();
		mutate(m);
		expect(() => validateRegionManifest(m, 'x.json')).toThrow(re);
		try {
			validateRegionManifest(m, 'x.json');
		} catch (e) {
			expect(e).toBeInstanceOf(KejimapError);
		}
	};
	it('rejects bad fields with a sentence naming them', () => {
		bad((m) => (m.id = 'Shanghai City'), /field "id"/);
		bad((m) => ((m.policy as Record<string, unknown>).targetShare = 90), /policy.targetShare.*0\.9 = 90%/);
		bad((m) => ((m.facilities as Record<string, unknown>[])[0].crs = 'epsg:3857'), /facilities\[0\]\.crs.*wgs84, gcj02, bd09/);
		bad((m) => ((m.facilities as Record<string, unknown>[])[1].classify = { fixed: 'clinic' }), /facilities\[1\]\.classify/);
		bad((m) => (m.h3Resolution = 15), /h3Resolution/);
		bad((m) => delete m.population, /population/);
		bad((m) => (m.name = 'Shanghai'), /Chinese first/);
	});
	it('resolves extends and detects cycles', () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'kjm-'));
		writeFileSync(path.join(dir, 'a.json'), JSON.stringify({ extends: 'b.json', id: 'a' }));
		writeFileSync(path.join(dir, 'b.json'), JSON.stringify({ extends: 'a.json', id: 'b' }));
		expect(() => readManifestJson(path.join(dir, 'a.json'))).toThrow(/cycle/);
		const m = readManifestJson(path.resolve('data/regions/shanghai-yangpu-tongji.json'));
		expect(m.id).toBe('shanghai-yangpu-tongji');
		expect((m.policy as { maxMinutes: number }).maxMinutes).toBe(15); // inherited
		expect(m.extends).toBeUndefined();
	});
	it('unknown region names the known ones', () => {
		expect(() => loadRegion('atlantis')).toThrow(/unknown region "atlantis"; known regions: .*shanghai/);
	});
});
