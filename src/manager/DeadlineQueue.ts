/**
 * A min-heap of (due time, item) with lazy removal: one timer can then serve any number of
 * dormant sessions, however many there are.
 */
export class DeadlineQueue<T> {
  readonly #heap: { due: number; item: T; seq: number }[] = [];
  readonly #current = new Map<T, number>();
  #seq = 0;

  /** Schedules (or reschedules) an item. */
  add(item: T, due: number): void {
    this.#seq += 1;
    this.#current.set(item, this.#seq);
    this.#heap.push({ due, item, seq: this.#seq });
    this.#up(this.#heap.length - 1);
  }

  /** Unschedules an item. */
  remove(item: T): void {
    this.#current.delete(item);
  }

  /** How many items are scheduled. */
  get size(): number {
    return this.#current.size;
  }

  /** The earliest due time, or `undefined` when empty. */
  peek(): number | undefined {
    this.#drop();
    return this.#heap[0]?.due;
  }

  /** Removes and returns every item due at or before `now`. */
  takeDue(now: number): T[] {
    const due: T[] = [];
    for (
      this.#drop();
      this.#heap.length > 0 && (this.#heap[0]?.due ?? Number.POSITIVE_INFINITY) <= now;
      this.#drop()
    ) {
      const top = this.#pop();
      if (top) {
        this.#current.delete(top.item);
        due.push(top.item);
      }
    }
    return due;
  }

  /** Drops stale tops (removed or rescheduled items). */
  #drop(): void {
    for (
      let top = this.#heap[0];
      top && this.#current.get(top.item) !== top.seq;
      top = this.#heap[0]
    )
      this.#pop();
  }

  #pop(): { due: number; item: T; seq: number } | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      this.#down(0);
    }
    return top;
  }

  #up(index: number): void {
    const heap = this.#heap;
    for (let i = index; i > 0; ) {
      const parent = (i - 1) >> 1;
      const a = heap[i];
      const b = heap[parent];
      if (!a || !b || b.due <= a.due) break;
      heap[i] = b;
      heap[parent] = a;
      i = parent;
    }
  }

  #down(index: number): void {
    const heap = this.#heap;
    for (let i = index; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (
        (heap[l]?.due ?? Number.POSITIVE_INFINITY) <
        (heap[smallest]?.due ?? Number.POSITIVE_INFINITY)
      )
        smallest = l;
      if (
        (heap[r]?.due ?? Number.POSITIVE_INFINITY) <
        (heap[smallest]?.due ?? Number.POSITIVE_INFINITY)
      )
        smallest = r;
      if (smallest === i) return;
      const a = heap[i];
      const b = heap[smallest];
      if (!a || !b) return;
      heap[i] = b;
      heap[smallest] = a;
      i = smallest;
    }
  }
}
