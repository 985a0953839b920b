/**
 * Indexed binary min-heap of graph nodes on typed arrays, with decrease-key.
 *
 * Keys live beside the nodes in the heap (contiguous Float64), so sifting never reads the graph's
 * label arrays; `pos[node]` (-1 = not in the heap) makes decrease-key O(log n) and avoids stale
 * duplicates. Only the nodes that pass through the heap are touched, so a small bounded search on a
 * big graph costs nothing per unvisited node (pos is back to all -1 whenever the heap is empty).
 */
export class NodeHeap {
	/** heap slot -> node */
	nodes: Int32Array;
	/** heap slot -> key */
	keys: Float64Array;
	/** node -> heap slot, -1 when absent */
	readonly pos: Int32Array;
	size = 0;

	constructor(nodeCount: number, initialCapacity = 1024) {
		const cap = Math.max(16, Math.min(initialCapacity, nodeCount + 1));
		this.nodes = new Int32Array(cap);
		this.keys = new Float64Array(cap);
		this.pos = new Int32Array(nodeCount).fill(-1);
	}

	get nodeCount(): number {
		return this.pos.length;
	}

	/** Insert `node` with `key`, or lower its key if it is already in the heap with a larger one. */
	push(node: number, key: number): void {
		let i = this.pos[node];
		if (i >= 0) {
			if (key >= this.keys[i]) return;
		} else {
			if (this.size === this.nodes.length) this.grow();
			i = this.size++;
		}
		this.siftUp(i, node, key);
	}

	/** Remove and return the node with the smallest key (the heap must not be empty). */
	pop(): number {
		const nodes = this.nodes;
		const top = nodes[0];
		this.pos[top] = -1;
		const last = --this.size;
		if (last > 0) this.siftDown(nodes[last], this.keys[last], last);
		return top;
	}

	/** Smallest key (the heap must not be empty). */
	peekKey(): number {
		return this.keys[0];
	}

	/** Empty the heap, resetting only the nodes it holds. */
	clear(): void {
		for (let i = 0; i < this.size; i++) this.pos[this.nodes[i]] = -1;
		this.size = 0;
	}

	private siftUp(i: number, node: number, key: number): void {
		const nodes = this.nodes,
			keys = this.keys,
			pos = this.pos;
		while (i > 0) {
			const p = (i - 1) >> 1;
			const pk = keys[p];
			if (pk <= key) break;
			const pn = nodes[p];
			nodes[i] = pn;
			keys[i] = pk;
			pos[pn] = i;
			i = p;
		}
		nodes[i] = node;
		keys[i] = key;
		pos[node] = i;
	}

	/** Place (node, key) starting from the root; `n` = number of slots in use. */
	private siftDown(node: number, key: number, n: number): void {
		const nodes = this.nodes,
			keys = this.keys,
			pos = this.pos;
		let i = 0;
		for (;;) {
			let c = 2 * i + 1;
			if (c >= n) break;
			let ck = keys[c];
			const r = c + 1;
			if (r < n) {
				const rk = keys[r];
				if (rk < ck) {
					c = r;
					ck = rk;
				}
			}
			if (ck >= key) break;
			const cn = nodes[c];
			nodes[i] = cn;
			keys[i] = ck;
			pos[cn] = i;
			i = c;
		}
		nodes[i] = node;
		keys[i] = key;
		pos[node] = i;
	}

	private grow(): void {
		const cap = Math.min(this.nodes.length * 2, this.pos.length + 1);
		const nodes = new Int32Array(Math.max(cap, this.nodes.length + 1));
		nodes.set(this.nodes);
		const keys = new Float64Array(nodes.length);
		keys.set(this.keys);
		this.nodes = nodes;
		this.keys = keys;
	}
}
