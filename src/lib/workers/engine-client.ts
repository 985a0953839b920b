/**
 * Page side of the engine worker: promises per request, progress callbacks, cancel, and "latest wins"
 * per channel (a newer coverage request cancels the older one, whose promise rejects with CancelledError).
 */
import type { FromWorker, ProgressEvent, RequestKind, RequestMap, ToWorker, WorkerError } from './protocol';

export class CancelledError extends Error {
	constructor() {
		super('cancelled');
		this.name = 'CancelledError';
	}
}

export class EngineError extends Error {
	readonly code: string;
	constructor(e: WorkerError) {
		super(e.message);
		this.name = 'EngineError';
		this.code = e.code;
	}
}

export function isCancelled(e: unknown): e is CancelledError {
	return e instanceof CancelledError;
}

/** The part of Worker the client needs (so tests can pass a fake). */
export interface WorkerLike {
	postMessage(msg: unknown, transfer?: Transferable[]): void;
	addEventListener(type: 'message', fn: (ev: MessageEvent) => void): void;
	addEventListener(type: 'error', fn: (ev: ErrorEvent) => void): void;
	terminate(): void;
}

interface Pending {
	kind: RequestKind;
	resolve: (v: unknown) => void;
	reject: (e: unknown) => void;
	onProgress?: (p: ProgressEvent) => void;
	channel?: string;
}

export interface RequestOptions {
	onProgress?: (p: ProgressEvent) => void;
	/** requests on the same channel supersede each other: only the newest one resolves */
	channel?: string;
}

export interface RequestHandle<T> {
	id: number;
	promise: Promise<T>;
	cancel(): void;
}

export class EngineClient {
	private nextId = 1;
	private pending = new Map<number, Pending>();
	private latestOnChannel = new Map<string, number>();

	constructor(private readonly worker: WorkerLike) {
		worker.addEventListener('message', (ev: MessageEvent) => this.onMessage(ev.data as FromWorker));
		worker.addEventListener('error', (ev: ErrorEvent) => {
			const err = new EngineError({ code: 'WORKER_CRASHED', message: ev.message || 'engine worker failed' });
			for (const [, p] of this.pending) p.reject(err);
			this.pending.clear();
		});
	}

	request<K extends RequestKind>(kind: K, payload: RequestMap[K]['req'], opts: RequestOptions = {}): RequestHandle<RequestMap[K]['res']> {
		const id = this.nextId++;
		if (opts.channel) {
			const prev = this.latestOnChannel.get(opts.channel);
			if (prev !== undefined) this.cancel(prev);
			this.latestOnChannel.set(opts.channel, id);
		}
		const promise = new Promise<RequestMap[K]['res']>((resolve, reject) => {
			this.pending.set(id, { kind, resolve: resolve as (v: unknown) => void, reject, onProgress: opts.onProgress, channel: opts.channel });
		});
		const msg = { type: 'request', id, kind, payload } as ToWorker;
		this.worker.postMessage(msg);
		return { id, promise, cancel: () => this.cancel(id) };
	}

	/** Rejects the request's promise now (CancelledError) and tells the worker to drop it. */
	cancel(id: number): void {
		const p = this.pending.get(id);
		if (!p) return;
		this.pending.delete(id);
		if (p.channel && this.latestOnChannel.get(p.channel) === id) this.latestOnChannel.delete(p.channel);
		this.worker.postMessage({ type: 'cancel', id } satisfies ToWorker);
		p.reject(new CancelledError());
	}

	cancelAll(): void {
		for (const id of [...this.pending.keys()]) this.cancel(id);
	}

	get pendingCount(): number {
		return this.pending.size;
	}

	terminate(): void {
		this.cancelAll();
		this.worker.terminate();
	}

	private onMessage(msg: FromWorker): void {
		const p = this.pending.get(msg.id);
		// Stale answers (cancelled or superseded) have no pending entry: dropped here.
		if (!p) return;
		if (msg.type === 'progress') {
			p.onProgress?.(msg.progress);
			return;
		}
		this.pending.delete(msg.id);
		if (p.channel && this.latestOnChannel.get(p.channel) === msg.id) this.latestOnChannel.delete(p.channel);
		if (msg.type === 'result') p.resolve(msg.payload);
		else if (msg.type === 'error') p.reject(new EngineError(msg.error));
		else p.reject(new CancelledError());
	}
}
