/** Progress and cancellation seams for long loops (see PlanControl). */
import { PlanCancelled, type PlanControl, type PlanProgress } from './types';

/** Checkpoints at most every `everyMs` milliseconds, so tight loops pay almost nothing for being cancellable. */
export class Ticker {
	private last = 0;
	constructor(
		private readonly control: PlanControl | undefined,
		private readonly everyMs = 50
	) {}

	/** true when a tick is due: the caller then awaits tick(). */
	due(): boolean {
		if (!this.control) return false;
		return Date.now() - this.last >= this.everyMs;
	}

	async tick(p?: PlanProgress): Promise<void> {
		this.last = Date.now();
		const c = this.control;
		if (!c) return;
		if (p) c.onProgress?.(p);
		if (c.signal?.aborted) throw new PlanCancelled();
		if (c.checkpoint) await c.checkpoint();
		if (c.signal?.aborted) throw new PlanCancelled();
	}
}
