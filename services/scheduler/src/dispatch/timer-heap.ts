/** Binary min-heap of armed jobs by fire time (ties: insertion order), with removal by id. */
export class TimerHeap<T extends { id: string; fireAt: number }> {
  private items: { item: T; seq: number }[] = [];
  private readonly ids = new Set<string>();
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  push(item: T): void {
    if (this.ids.has(item.id)) return;
    this.ids.add(item.id);
    this.items.push({ item, seq: this.seq++ });
    this.up(this.items.length - 1);
  }

  peek(): T | undefined {
    return this.items[0]?.item;
  }

  /** Removes and returns the items due at or before `nowMs` (at most `limit`), earliest first. */
  popDue(nowMs: number, limit = Infinity): T[] {
    const out: T[] = [];
    while (out.length < limit && this.items.length > 0 && this.items[0].item.fireAt <= nowMs) {
      const top = this.items[0].item;
      this.removeAt(0);
      out.push(top);
    }
    return out;
  }

  /** How many items are due at or before `untilMs`, counting at most `cap` (visits only those items). */
  countDue(untilMs: number, cap = Infinity): number {
    let n = 0;
    const stack = [0];
    while (stack.length > 0 && n < cap) {
      const i = stack.pop() as number;
      if (i >= this.items.length || this.items[i].item.fireAt > untilMs) continue;
      n++;
      stack.push(2 * i + 1, 2 * i + 2);
    }
    return Math.min(n, cap);
  }

  /** Drops items whose id is not in `keep` (lost leases); returns how many were dropped. */
  retain(keep: (item: T) => boolean): number {
    const before = this.items.length;
    this.items = this.items.filter((e) => keep(e.item));
    this.ids.clear();
    for (const e of this.items) this.ids.add(e.item.id);
    for (let i = Math.floor(this.items.length / 2); i >= 0; i--) this.down(i);
    return before - this.items.length;
  }

  /** The items matching `pred`, in no particular order (one pass, no copy of the rest). */
  filter(pred: (item: T) => boolean): T[] {
    const out: T[] = [];
    for (const e of this.items) if (pred(e.item)) out.push(e.item);
    return out;
  }

  clear(): void {
    this.items = [];
    this.ids.clear();
  }

  private removeAt(i: number): void {
    this.ids.delete(this.items[i].item.id);
    const last = this.items.pop();
    if (last && i < this.items.length) {
      this.items[i] = last;
      this.down(i);
      this.up(i);
    }
  }

  private less(a: number, b: number): boolean {
    const x = this.items[a];
    const y = this.items[b];
    return x.item.fireAt < y.item.fireAt || (x.item.fireAt === y.item.fireAt && x.seq < y.seq);
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      [this.items[i], this.items[p]] = [this.items[p], this.items[i]];
      i = p;
    }
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.items.length && this.less(l, m)) m = l;
      if (r < this.items.length && this.less(r, m)) m = r;
      if (m === i) return;
      [this.items[i], this.items[m]] = [this.items[m], this.items[i]];
      i = m;
    }
  }
}
