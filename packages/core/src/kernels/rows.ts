/**
 * Walks the flat row-major range [start, end) of a shape as runs along the innermost dimension,
 * tracking one element offset per operand. Kernels loop over each run with fixed strides, so the
 * per-element work is a load, the op and a store: no divide or modulo per element.
 *
 * Adjacent dims that are laid out contiguously in every operand are merged first, so a
 * contiguous tensor (or a contiguous tensor broadcast against a scalar) is one run.
 */
export class Rows {
  /** Length of the current run. */
  n = 0;
  /** Offset of the current run's first element, per operand. */
  o0 = 0; o1 = 0; o2 = 0; o3 = 0;
  /** Innermost stride, per operand. */
  s0 = 0; s1 = 0; s2 = 0; s3 = 0;

  private nd = 0;
  private shape: number[] = [];
  private strides: number[][] = [];
  private idx: number[] = [];
  private remaining = 0;
  private first = true;

  /**
   * Starts a walk over `shape` for up to four operands, each given by its strides and its
   * starting offset. Returns `this` for chaining.
   */
  init(shape: readonly number[], strides: readonly (readonly number[])[], offsets: readonly number[], start: number, end: number): this {
    const nops = strides.length;
    if (this.flat(shape, strides, offsets, start, end)) return this;
    // Merge dims: drop size-1 dims, then fuse d into d+1 when every operand allows it.
    const sh: number[] = [];
    const st: number[][] = [];
    for (let k = 0; k < nops; k++) st.push([]);
    for (let d = 0; d < shape.length; d++) {
      const size = shape[d]!;
      if (size === 1) continue;
      const last = sh.length - 1;
      let fuse = last >= 0;
      for (let k = 0; fuse && k < nops; k++) if (st[k]![last] !== strides[k]![d]! * size) fuse = false;
      if (fuse) {
        sh[last] = sh[last]! * size;
        for (let k = 0; k < nops; k++) st[k]![last] = strides[k]![d]!;
      } else {
        sh.push(size);
        for (let k = 0; k < nops; k++) st[k]!.push(strides[k]![d]!);
      }
    }
    if (sh.length === 0) {
      sh.push(1);
      for (let k = 0; k < nops; k++) st[k]!.push(0);
    }
    const nd = sh.length;
    this.nd = nd;
    this.shape = sh;
    this.strides = st;
    // Decompose `start` into a multi-index once.
    const idx = new Array<number>(nd);
    let rem = start;
    const offs = [offsets[0] ?? 0, offsets[1] ?? 0, offsets[2] ?? 0, offsets[3] ?? 0];
    for (let d = nd - 1; d >= 0; d--) {
      const size = sh[d]!;
      const i = rem % size;
      rem = (rem - i) / size;
      idx[d] = i;
      for (let k = 0; k < nops; k++) offs[k]! += i * st[k]![d]!;
    }
    this.idx = idx;
    this.o0 = offs[0]!; this.o1 = offs[1]!; this.o2 = offs[2]!; this.o3 = offs[3]!;
    this.s0 = st[0]?.[nd - 1] ?? 0; this.s1 = st[1]?.[nd - 1] ?? 0;
    this.s2 = st[2]?.[nd - 1] ?? 0; this.s3 = st[3]?.[nd - 1] ?? 0;
    this.remaining = end - start;
    this.n = 0;
    this.first = true;
    return this;
  }

  private readonly unitShape = [0];
  private readonly unitIdx = [0];

  /** Starts a walk over a single run of `n` elements from `offset` by `stride`, allocation-free. */
  run(offset: number, stride: number, n: number): this {
    this.nd = 1;
    this.unitShape[0] = n;
    this.unitIdx[0] = 0;
    this.shape = this.unitShape;
    this.idx = this.unitIdx;
    this.o0 = offset;
    this.s0 = stride;
    this.remaining = n;
    this.n = 0;
    this.first = true;
    return this;
  }

  /**
   * The common case without allocation: every operand is either contiguous or a broadcast
   * scalar (all strides 0), so the whole range is one run with strides 1 or 0.
   */
  private flat(shape: readonly number[], strides: readonly (readonly number[])[], offsets: readonly number[], start: number, end: number): boolean {
    const nops = strides.length;
    let unit = 0; // bit k set: operand k is contiguous (else broadcast scalar)
    for (let k = 0; k < nops; k++) {
      const st = strides[k]!;
      let expected = 1, contiguous = true, zero = true;
      for (let d = shape.length - 1; d >= 0; d--) {
        const size = shape[d]!, sd = st[d]!;
        if (sd !== 0) zero = false;
        if (size !== 1 && sd !== expected) contiguous = false;
        expected *= size;
      }
      if (contiguous) unit |= 1 << k;
      else if (!zero) return false;
    }
    this.run(0, 0, end - start);
    this.o0 = (offsets[0] ?? 0) + (unit & 1 ? start : 0); this.s0 = unit & 1;
    this.o1 = (offsets[1] ?? 0) + (unit & 2 ? start : 0); this.s1 = (unit >> 1) & 1;
    this.o2 = (offsets[2] ?? 0) + (unit & 4 ? start : 0); this.s2 = (unit >> 2) & 1;
    this.o3 = (offsets[3] ?? 0) + (unit & 8 ? start : 0); this.s3 = (unit >> 3) & 1;
    return true;
  }

  /** Moves to the next run; false when the range is exhausted. */
  next(): boolean {
    if (this.remaining <= 0) return false;
    const nd = this.nd, inner = this.shape[nd - 1]!, idx = this.idx;
    if (!this.first) {
      const n = this.n;
      this.o0 += n * this.s0; this.o1 += n * this.s1; this.o2 += n * this.s2; this.o3 += n * this.s3;
      let col = idx[nd - 1]! + n;
      if (col === inner) {
        col = 0;
        this.o0 -= inner * this.s0; this.o1 -= inner * this.s1; this.o2 -= inner * this.s2; this.o3 -= inner * this.s3;
        this.carry(nd - 2);
      }
      idx[nd - 1] = col;
    }
    this.first = false;
    const n = Math.min(inner - idx[nd - 1]!, this.remaining);
    this.n = n;
    this.remaining -= n;
    return true;
  }

  private carry(d: number): void {
    const idx = this.idx, st = this.strides, nops = st.length;
    for (; d >= 0; d--) {
      const s0 = st[0]![d]!, s1 = nops > 1 ? st[1]![d]! : 0, s2 = nops > 2 ? st[2]![d]! : 0, s3 = nops > 3 ? st[3]![d]! : 0;
      if (++idx[d]! < this.shape[d]!) {
        this.o0 += s0; this.o1 += s1; this.o2 += s2; this.o3 += s3;
        return;
      }
      const back = idx[d]! - 1;
      idx[d] = 0;
      this.o0 -= back * s0; this.o1 -= back * s1; this.o2 -= back * s2; this.o3 -= back * s3;
    }
  }
}
