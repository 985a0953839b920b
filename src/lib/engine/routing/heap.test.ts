import { describe, expect, it } from 'vitest';
import { NodeHeap } from './heap';
import { createRng } from './testing/random-graphs';

describe('NodeHeap', () => {
	it('pops in key order with decrease-key, against a plain map reference', () => {
		for (let s = 1; s <= 30; s++) {
			const rng = createRng(s);
			const n = 50 + Math.floor(rng() * 500);
			const heap = new NodeHeap(n, 4); // tiny initial capacity: exercises growth
			const ref = new Map<number, number>();
			for (let step = 0; step < 3000; step++) {
				const r = rng();
				if (r < 0.6 || ref.size === 0) {
					const v = Math.floor(rng() * n);
					const k = Math.floor(rng() * 100); // integer keys: many ties
					heap.push(v, k);
					const old = ref.get(v);
					if (old === undefined || k < old) ref.set(v, k);
				} else {
					const key = heap.peekKey();
					const v = heap.pop();
					const min = Math.min(...ref.values());
					expect(key).toBe(min);
					expect(ref.get(v)).toBe(min);
					ref.delete(v);
				}
				expect(heap.size).toBe(ref.size);
			}
			heap.clear();
			expect(heap.size).toBe(0);
			expect(heap.pos.every((p) => p === -1)).toBe(true);
		}
	});
});
