/**
 * Serve the static build (`npm start`): sirv over build/, nothing else. Unlike `vite preview`, a malformed request
 * (a bad %-escape, a path outside the folder) gets a plain 400 / 404 without a stack or an absolute path.
 * Production may use any static server; this is the one the README's quick start runs.
 * Usage: tsx scripts/serve.ts [--port 4173] [--host 127.0.0.1]
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import sirv from 'sirv';
import { repoRoot } from './lib/paths';

const arg = (name: string, dflt: string) => {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
};
const port = Number(arg('port', process.env.PORT ?? '4173'));
const host = arg('host', '127.0.0.1');
const dir = path.join(repoRoot, 'build');
if (!Number.isInteger(port) || port < 1 || port > 65535) {
	console.error(`error: --port must be 1..65535 (got "${arg('port', '')}")`);
	process.exit(2);
}
if (!existsSync(path.join(dir, 'index.html'))) {
	console.error('error: no static build in build/; run `npm run build` first');
	process.exit(2);
}

const files = sirv(dir, { etag: true, gzip: false, brotli: false, dev: false });
const plain = (res: import('node:http').ServerResponse, code: number, text: string) => {
	res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' });
	res.end(text);
};

export const server = createServer((req, res) => {
	const url = req.url ?? '/';
	try {
		decodeURIComponent(url); // a bad %-escape is the client's error: 400, and no stack
	} catch {
		return plain(res, 400, 'Bad request\n');
	}
	try {
		files(req, res, () => plain(res, 404, 'Not found\n'));
	} catch {
		plain(res, 500, 'Server error\n');
	}
});
server.on('clientError', (_e, socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
server.listen(port, host, () => console.log(`Kejimap: serving build/ at http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/`));
