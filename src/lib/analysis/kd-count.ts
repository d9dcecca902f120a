/**
 * Exact counting of template matches for sample and approximate entropy without O(N²) time or
 * memory: a k-d tree over the templates, each node keeping its bounding box and size, so a query
 * box that contains a whole node adds its size without visiting its points (as sklearn's
 * KDTree.query_radius(count_only=True), which NeuroKit2 uses). Chebyshev distance, matches ≤ r.
 */
const LEAF = 16;

export class TemplateTree {
	/** Point coordinates, point-major: coords[p·dim + d]. */
	private readonly coords: Float64Array;
	private readonly order: Int32Array;
	private readonly lo: Float64Array[] = [];
	private readonly hi: Float64Array[] = [];
	private readonly start: number[] = [];
	private readonly end: number[] = [];
	private readonly left: number[] = [];
	private readonly right: number[] = [];

	/** Templates of `dim` consecutive values starting at 0..count-1 of `x`. */
	constructor(
		x: ArrayLike<number>,
		readonly dim: number,
		readonly count: number
	) {
		this.coords = new Float64Array(count * dim);
		for (let p = 0; p < count; p++)
			for (let d = 0; d < dim; d++) this.coords[p * dim + d] = x[p + d];
		this.order = new Int32Array(count);
		for (let p = 0; p < count; p++) this.order[p] = p;
		if (count > 0) this.build(0, count);
	}

	private build(s: number, e: number): number {
		const id = this.start.length;
		const { dim, coords, order } = this;
		const lo = new Float64Array(dim).fill(Infinity);
		const hi = new Float64Array(dim).fill(-Infinity);
		for (let i = s; i < e; i++) {
			const p = order[i] * dim;
			for (let d = 0; d < dim; d++) {
				const v = coords[p + d];
				if (v < lo[d]) lo[d] = v;
				if (v > hi[d]) hi[d] = v;
			}
		}
		this.lo.push(lo);
		this.hi.push(hi);
		this.start.push(s);
		this.end.push(e);
		this.left.push(-1);
		this.right.push(-1);
		if (e - s > LEAF) {
			let axis = 0;
			for (let d = 1; d < dim; d++) if (hi[d] - lo[d] > hi[axis] - lo[axis]) axis = d;
			const mid = (s + e) >> 1;
			this.select(s, e - 1, mid, axis);
			this.left[id] = this.build(s, mid);
			this.right[id] = this.build(mid, e);
		}
		return id;
	}

	/** Quickselect on `order` so that position k holds the k-th point along `axis`. */
	private select(l: number, r: number, k: number, axis: number): void {
		const { order, coords, dim } = this;
		const val = (i: number) => coords[order[i] * dim + axis];
		while (r > l) {
			const pivot = val((l + r) >> 1);
			let i = l;
			let j = r;
			while (i <= j) {
				while (val(i) < pivot) i++;
				while (val(j) > pivot) j--;
				if (i <= j) {
					const t = order[i];
					order[i] = order[j];
					order[j] = t;
					i++;
					j--;
				}
			}
			if (k <= j) r = j;
			else if (k >= i) l = i;
			else return;
		}
	}

	/** Number of templates within Chebyshev distance r of template p (itself included). */
	countNear(p: number, r: number): number {
		const { dim, coords } = this;
		const q = new Float64Array(dim);
		for (let d = 0; d < dim; d++) q[d] = coords[p * dim + d];
		return this.countNode(0, q, r);
	}

	private countNode(id: number, q: Float64Array, r: number): number {
		const lo = this.lo[id];
		const hi = this.hi[id];
		const { dim } = this;
		let inside = true;
		for (let d = 0; d < dim; d++) {
			if (lo[d] - q[d] > r || q[d] - hi[d] > r) return 0;
			if (q[d] - lo[d] > r || hi[d] - q[d] > r) inside = false;
		}
		if (inside) return this.end[id] - this.start[id];
		if (this.left[id] < 0) {
			let c = 0;
			const { coords, order } = this;
			for (let i = this.start[id]; i < this.end[id]; i++) {
				const p = order[i] * dim;
				let ok = true;
				for (let d = 0; d < dim && ok; d++) ok = Math.abs(coords[p + d] - q[d]) <= r;
				if (ok) c++;
			}
			return c;
		}
		return this.countNode(this.left[id], q, r) + this.countNode(this.right[id], q, r);
	}
}
