/**
 * HiGHS (WebAssembly MIP/LP solver, the `highs` package) as the engine's LpSolver. The only module that imports
 * `highs`. Loaded lazily on the first solve and kept (one compiled module per thread). In Node the loader finds
 * highs.wasm beside itself; in the browser worker the wasm comes from the static build: highs-browser.ts passes
 * its URL (a Vite `?url` asset), so nothing is fetched from elsewhere (intranets, no CDN).
 */
import type { LpModel, LpSolution, LpSolveOptions, LpSolver } from '../../engine/allocation/types';

type HighsModule = typeof import('highs');
type Highs = Awaited<ReturnType<HighsModule['default']>>;

export interface HighsSolverOptions {
	/** URL of highs.wasm (browser); Node needs none */
	wasmUrl?: string;
}

let loading: Promise<Highs> | null = null;
let loadedWith: string | undefined;

async function loadHighs(opts: HighsSolverOptions): Promise<Highs> {
	if (loading && loadedWith === opts.wasmUrl) return loading;
	loadedWith = opts.wasmUrl;
	loading = (async () => {
		const mod = await import('highs');
		// CommonJS interop: the loader is the default export, or the module itself under some bundlers
		const load = (mod.default ?? (mod as unknown as HighsModule['default'])) as HighsModule['default'];
		return load(opts.wasmUrl ? { locateFile: (file: string) => (file.endsWith('.wasm') ? opts.wasmUrl! : file) } : undefined);
	})();
	loading.catch(() => {
		loading = null; // a failed load (e.g. a missing asset) can be retried
	});
	return loading;
}

export function createHighsSolver(opts: HighsSolverOptions = {}): LpSolver {
	return {
		async solve(model: LpModel, so: LpSolveOptions): Promise<LpSolution> {
			const highs = await loadHighs(opts);
			return solveWith(highs, model, so);
		}
	};
}

function solveWith(highs: Highs, lp: LpModel, so: LpSolveOptions): LpSolution {
	const inf = highs.infinity;
	const fin = (a: Float64Array) => Float64Array.from(a, (v) => (v === Infinity ? inf : v === -Infinity ? -inf : v));
	const numCols = lp.colCost.length;
	const numRows = lp.rowLower.length;
	const isMip = !so.relax && lp.integer.some((v) => v === 1);
	const model = highs.createModel({
		numCols,
		numRows,
		sense: lp.sense === 'max' ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize,
		offset: lp.offset,
		colCost: lp.colCost,
		colLower: fin(lp.colLower),
		colUpper: fin(lp.colUpper),
		rowLower: fin(lp.rowLower),
		rowUpper: fin(lp.rowUpper),
		matrix: { format: 'csr', numRows, numCols, starts: lp.rowStarts, indices: lp.rowIndex, values: lp.rowValue },
		...(isMip ? { integrality: Int32Array.from(lp.integer) as unknown as Int32Array } : {})
	});
	try {
		model.options.set({ output_flag: false, time_limit: so.timeLimitS, mip_rel_gap: so.relativeGap ?? 1e-9 });
		model.run();
		const st = model.getModelStatus();
		const S = highs.constants.modelStatus;
		const detail = Object.entries(S).find(([, v]) => v === st)?.[0] ?? String(st);
		const status: LpSolution['status'] = st === S.optimal ? 'optimal' : st === S.timeLimit ? 'time-limit' : st === S.infeasible ? 'infeasible' : 'error';
		const objective = model.getObjectiveValue();
		let x: Float64Array | null = null;
		const primalOk = Number(model.info.get('primal_solution_status')) === 2;
		if (primalOk) x = Float64Array.from(model.getSolution().colValue);
		let bound = NaN;
		if (status === 'optimal') bound = isMip ? Number(model.info.get('mip_dual_bound')) : objective;
		else if (status === 'time-limit' && isMip) bound = Number(model.info.get('mip_dual_bound'));
		if (status === 'optimal' && isMip && !Number.isFinite(bound)) bound = objective;
		return { status, objective: x ? objective : NaN, bound, x, detail };
	} finally {
		model.dispose();
	}
}
