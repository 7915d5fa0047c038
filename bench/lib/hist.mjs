// Latency histogram in microseconds: log buckets, 32 per power of two (≈2 % resolution), exact count,
// min, max and sum. Fixed size (1,536 buckets up to ~2^48 µs), so memory never grows with samples, and
// histograms from several generator processes merge by adding buckets.
const SUB = 32;
const SIZE = 48 * SUB;

export class Hist {
  constructor() {
    this.counts = new Float64Array(SIZE);
    this.n = 0;
    this.sum = 0;
    this.min = Infinity;
    this.max = 0;
  }

  record(us) {
    if (!(us >= 0)) us = 0; // NaN or a negative clock difference counts as 0
    const i = us < 1 ? 0 : Math.min(SIZE - 1, Math.floor(Math.log2(us) * SUB) + 1);
    this.counts[i]++;
    this.n++;
    this.sum += us;
    if (us < this.min) this.min = us;
    if (us > this.max) this.max = us;
  }

  /** Value (µs) at quantile q (0..1): the upper edge of the bucket holding it, capped by max. */
  quantile(q) {
    if (this.n === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.n));
    let seen = 0;
    for (let i = 0; i < SIZE; i++) {
      seen += this.counts[i];
      if (seen >= rank) return i === 0 ? Math.min(1, this.max) : Math.min(this.max, Math.max(this.min, 2 ** (i / SUB)));
    }
    return this.max;
  }

  mean() {
    return this.n ? this.sum / this.n : NaN;
  }

  merge(other) {
    const o = other instanceof Hist ? other : Hist.fromJSON(other);
    for (let i = 0; i < SIZE; i++) this.counts[i] += o.counts[i];
    this.n += o.n;
    this.sum += o.sum;
    if (o.min < this.min) this.min = o.min;
    if (o.max > this.max) this.max = o.max;
    return this;
  }

  /** Sparse form for IPC. */
  toJSON() {
    const b = [];
    for (let i = 0; i < SIZE; i++) if (this.counts[i]) b.push(i, this.counts[i]);
    return { b, n: this.n, sum: this.sum, min: this.n ? this.min : null, max: this.max };
  }

  static fromJSON(j) {
    const h = new Hist();
    if (!j) return h;
    for (let k = 0; k < j.b.length; k += 2) h.counts[j.b[k]] = j.b[k + 1];
    h.n = j.n;
    h.sum = j.sum;
    h.min = j.min ?? Infinity;
    h.max = j.max;
    return h;
  }

  static merged(list) {
    const h = new Hist();
    for (const x of list) if (x) h.merge(x);
    return h;
  }
}

/** Microseconds on CLOCK_MONOTONIC: the same clock in every process on this machine, so a timestamp
 *  taken by a sender process can be compared with one taken by a receiver process. */
performance.now(); // the first call initialises perf_hooks (~1 ms); calibrate after it
const b1 = process.hrtime.bigint();
const basePerf = performance.now();
const b2 = process.hrtime.bigint();
const baseUs = Number((b1 + b2) / 2n) / 1000;
export const nowUs = () => baseUs + (performance.now() - basePerf) * 1000;
