import { sveltekit } from '@sveltejs/kit/vite';
import { cpSync, createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, normalize, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

const TYPES: Record<string, string> = {
	'.json': 'application/json; charset=utf-8',
	'.geojson': 'application/geo+json; charset=utf-8',
	'.bin': 'application/octet-stream'
};

/**
 * Serves the pipeline's output (data/build, or $KEJIMAP_BUILD) at <base>/data/ in dev and preview, and copies it to
 * build/data/ after `vite build`, so the static site in build/ is self-contained.
 */
function builtData(): Plugin {
	const dataRoot = resolve(process.env.KEJIMAP_BUILD ?? 'data/build');
	let isSsrBuild = false;
	let outDir = resolve('build');
	const middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
		const url = new URL(req.url ?? '/', 'http://x');
		const m = /^(?:.*?)\/data\/(.+)$/.exec(decodeURIComponent(url.pathname));
		if (!m || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
		const file = normalize(join(dataRoot, m[1]));
		if (!file.startsWith(dataRoot + sep) || !existsSync(file) || !statSync(file).isFile()) {
			res.statusCode = 404;
			res.end(`not found: data/${m[1]} (looked in ${dataRoot}; run \`npm run data\`)`);
			return;
		}
		const ext = file.slice(file.lastIndexOf('.'));
		res.setHeader('content-type', TYPES[ext] ?? 'application/octet-stream');
		res.setHeader('content-length', String(statSync(file).size));
		res.setHeader('cache-control', 'no-cache');
		if (req.method === 'HEAD') return void res.end();
		createReadStream(file).pipe(res);
	};
	return {
		name: 'kejimap-built-data',
		configResolved(c) {
			isSsrBuild = !!c.build.ssr;
		},
		configureServer(server) {
			server.middlewares.use(middleware);
		},
		configurePreviewServer(server) {
			server.middlewares.use(middleware);
		},
		closeBundle: {
			sequential: true,
			order: 'post',
			handler() {
				// SvelteKit runs the adapter (which empties build/) at the end of the SSR build: copy after it.
				if (!isSsrBuild) return;
				if (!existsSync(join(outDir, 'index.html'))) return;
				if (!existsSync(join(dataRoot, 'index.json'))) {
					console.warn(`[kejimap] ${dataRoot}/index.json not found: build/ has no data (run \`npm run data\` first)`);
					return;
				}
				cpSync(dataRoot, join(outDir, 'data'), { recursive: true });
				console.log(`[kejimap] copied ${dataRoot} -> ${join(outDir, 'data')}`);
			}
		},
		buildStart() {
			outDir = resolve('build');
		}
	};
}

export default defineConfig({
	plugins: [sveltekit(), builtData()],
	worker: { format: 'es' },
	test: {
		include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
		exclude: ['tests/e2e/**', 'node_modules/**'],
		environment: 'node',
		testTimeout: 120_000,
		hookTimeout: 300_000
	}
});
