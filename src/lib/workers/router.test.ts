import { describe, expect, it } from 'vitest';
import { EngineClient, isCancelled, type WorkerLike } from './engine-client';
import type { FromWorker, ToWorker } from './protocol';
import { WorkerRouter, type Handlers } from './router';

/** Wires a client to a router in the same thread, as the worker boundary would (async delivery). */
function wire(handlers: Partial<Handlers>) {
	let toPage: ((ev: MessageEvent) => void) | null = null;
	const posted: FromWorker[] = [];
	const router = new WorkerRouter(handlers as Handlers, (msg) => {
		posted.push(msg);
		setTimeout(() => toPage?.({ data: msg } as MessageEvent), 0);
	});
	const worker: WorkerLike = {
		postMessage: (msg) => setTimeout(() => router.receive(msg as ToWorker), 0),
		addEventListener: ((type: string, fn: (ev: MessageEvent) => void) => {
			if (type === 'message') toPage = fn;
		}) as WorkerLike['addEventListener'],
		terminate: () => {}
	};
	return { client: new EngineClient(worker), posted };
}

const summaryOf = (n: number) => ({ summary: { maxMinutes: n } }) as never;

describe('engine client + worker router', () => {
	it('latest wins: a newer coverage request cancels the older one, whose answer never resolves', async () => {
		const started: number[] = [];
		const { client, posted } = wire({
			coverage: async (req, ctx) => {
				started.push(req.maxMinutes);
				for (let i = 0; i < 5; i++) await ctx.checkpoint();
				return { payload: summaryOf(req.maxMinutes) };
			}
		});
		const a = client.request('coverage', { maxMinutes: 10 } as never, { channel: 'c' });
		const b = client.request('coverage', { maxMinutes: 20 } as never, { channel: 'c' });
		await expect(a.promise).rejects.toSatisfy(isCancelled);
		const res = await b.promise;
		expect((res as unknown as { summary: { maxMinutes: number } }).summary.maxMinutes).toBe(20);
		// the first never ran (dropped from the queue) or was stopped at a checkpoint
		expect(posted.filter((m) => m.type === 'result').length).toBe(1);
		expect(client.pendingCount).toBe(0);
		expect(started).toContain(20);
	});

	it('cancel stops a running request at its next checkpoint', async () => {
		let checkpoints = 0;
		let finished = false;
		const { client, posted } = wire({
			coverage: async (_req, ctx) => {
				for (let i = 0; i < 100; i++) {
					checkpoints++;
					await ctx.checkpoint();
				}
				finished = true;
				return { payload: summaryOf(1) };
			}
		});
		const h = client.request('coverage', { maxMinutes: 1 } as never);
		await new Promise((r) => setTimeout(r, 15));
		h.cancel();
		await expect(h.promise).rejects.toSatisfy(isCancelled);
		await new Promise((r) => setTimeout(r, 30));
		expect(finished).toBe(false);
		expect(checkpoints).toBeLessThan(100);
		expect(posted.some((m) => m.type === 'cancelled')).toBe(true);
	});

	it('errors carry the engine code and message; progress reaches the caller', async () => {
		const { client } = wire({
			cellDetail: async (_req, ctx) => {
				ctx.progress({ stage: 'summary', done: 1, total: 2 });
				const { KejimapError } = await import('../engine/errors');
				throw new KejimapError('BAD_ARGUMENT', 'no cell #-1');
			}
		});
		const seen: number[] = [];
		const h = client.request('cellDetail', { cellIndex: -1 }, { onProgress: (p) => seen.push(p.done) });
		await expect(h.promise).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: 'no cell #-1' });
		expect(seen).toEqual([1]);
	});
});
