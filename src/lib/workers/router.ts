/**
 * Worker-side message loop, independent of the Worker global so it runs in vitest:
 * requests queue up, a cancel marks its id, each handler gets a context whose `checkpoint()` yields to the
 * event loop (so a cancel or a newer request can arrive mid-run) and throws when the request was cancelled.
 * A queued coverage request that a newer coverage request supersedes is dropped before it starts.
 */
import { KejimapError } from '../engine/errors';
import type { FromWorker, ProgressEvent, RequestKind, RequestMap, ToWorker } from './protocol';

export class CancelledInWorker extends Error {
	constructor() {
		super('cancelled');
		this.name = 'CancelledInWorker';
	}
}

export interface HandlerContext {
	/** report progress of a stage */
	progress(p: ProgressEvent): void;
	/** yield to the event loop; throws CancelledInWorker when the request was cancelled meanwhile */
	checkpoint(): Promise<void>;
	readonly cancelled: boolean;
}

export interface HandlerResult<T> {
	payload: T;
	transfer?: Transferable[];
}

export type Handlers = {
	[K in RequestKind]: (req: RequestMap[K]['req'], ctx: HandlerContext) => Promise<HandlerResult<RequestMap[K]['res']>>;
};

type Post = (msg: FromWorker, transfer?: Transferable[]) => void;

/** Kinds where only the newest queued request matters. */
const LATEST_WINS: ReadonlySet<RequestKind> = new Set(['coverage', 'facilityDetail', 'cellDetail', 'plan']);

const yieldToLoop = () => new Promise<void>((r) => setTimeout(r, 0));

export class WorkerRouter {
	private queue: Extract<ToWorker, { type: 'request' }>[] = [];
	private cancelled = new Set<number>();
	private running = false;

	constructor(
		private readonly handlers: Handlers,
		private readonly post: Post
	) {}

	receive(msg: ToWorker): void {
		if (msg.type === 'cancel') {
			this.cancelled.add(msg.id);
			return;
		}
		if (LATEST_WINS.has(msg.kind)) {
			// A newer request of the same kind supersedes queued ones (the client already rejected them).
			this.queue = this.queue.filter((q) => {
				if (q.kind !== msg.kind) return true;
				this.post({ type: 'cancelled', id: q.id });
				return false;
			});
		}
		this.queue.push(msg);
		if (!this.running) void this.drain();
	}

	private async drain(): Promise<void> {
		this.running = true;
		try {
			// let cancels / newer requests that were posted together land first
			await yieldToLoop();
			while (this.queue.length) {
				const msg = this.queue.shift()!;
				if (this.cancelled.delete(msg.id)) {
					this.post({ type: 'cancelled', id: msg.id });
					continue;
				}
				await this.run(msg);
			}
		} finally {
			this.running = false;
		}
	}

	private async run(msg: Extract<ToWorker, { type: 'request' }>): Promise<void> {
		const id = msg.id;
		const isCancelled = () => this.cancelled.has(id) || (LATEST_WINS.has(msg.kind) && this.queue.some((q) => q.kind === msg.kind));
		const ctx: HandlerContext = {
			progress: (p) => this.post({ type: 'progress', id, progress: p }),
			checkpoint: async () => {
				await yieldToLoop();
				if (isCancelled()) throw new CancelledInWorker();
			},
			get cancelled() {
				return isCancelled();
			}
		};
		try {
			const handler = this.handlers[msg.kind] as (req: unknown, ctx: HandlerContext) => Promise<HandlerResult<unknown>>;
			const res = await handler(msg.payload, ctx);
			if (isCancelled()) this.post({ type: 'cancelled', id });
			else this.post({ type: 'result', id, kind: msg.kind, payload: res.payload }, res.transfer);
		} catch (e) {
			if (e instanceof CancelledInWorker) this.post({ type: 'cancelled', id });
			else {
				const code = e instanceof KejimapError ? e.code : 'ENGINE_FAILED';
				const message = e instanceof Error ? e.message : String(e);
				this.post({ type: 'error', id, error: { code, message } });
			}
		} finally {
			this.cancelled.delete(id);
		}
	}
}
