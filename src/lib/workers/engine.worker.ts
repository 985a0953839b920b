/// <reference lib="webworker" />
/** Thin router: all logic lives in handlers/  (testable in Node) and router.ts. */
import { createHandlers } from './handlers/index';
import type { FromWorker, ToWorker } from './protocol';
import { WorkerRouter } from './router';
import { browserHighsSolver } from './solvers/highs-browser';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const router = new WorkerRouter(createHandlers({ fetch: (url) => fetch(url), solver: browserHighsSolver }), (msg: FromWorker, transfer?: Transferable[]) =>
	scope.postMessage(msg, transfer ?? [])
);
scope.addEventListener('message', (ev: MessageEvent<ToWorker>) => router.receive(ev.data));
