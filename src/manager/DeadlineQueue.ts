/**
 * What a {@link DeadlineQueue} keeps on each of its items: the ticket of the item's current
 * place in the heap (0: not queued). Older places of a rescheduled item hold older tickets.
 */
export interface Queued {
  queueTicket: number;
}

/**
 * A min-heap of (due time, item) with lazy removal: one timer can then serve any number of
 * dormant sessions, however many there are.
 *
 * Built for memory at 100 000 dormant sessions: three parallel arrays, not an object per node
 * (a node and its boxed due time cost about 75 bytes, the arrays about 24, the due times
 * unboxed in a double array), and each item's ticket on the item, not in a map (about 40 bytes).
 */
export class DeadlineQueue<T extends Queued> {
  readonly #due: number[] = [];
  readonly #items: T[] = [];
  readonly #tickets: number[] = [];
  #lastTicket = 0;
  #size = 0;

  /** Schedules (or reschedules) an item. */
  add(item: T, due: number): void {
    if (item.queueTicket === 0) this.#size += 1;
    this.#lastTicket += 1;
    item.queueTicket = this.#lastTicket;
    this.#due.push(due);
    this.#items.push(item);
    this.#tickets.push(this.#lastTicket);
    this.#up(this.#due.length - 1);
  }

  /** Unschedules an item. */
  remove(item: T): void {
    if (item.queueTicket === 0) return;
    item.queueTicket = 0;
    this.#size -= 1;
  }

  /** How many items are scheduled. */
  get size(): number {
    return this.#size;
  }

  /** The earliest due time, or `undefined` when empty. */
  peek(): number | undefined {
    this.#drop();
    return this.#due[0];
  }

  /** Removes and returns every item due at or before `now`. */
  takeDue(now: number, limit = Number.POSITIVE_INFINITY): T[] {
    const due: T[] = [];
    for (
      this.#drop();
      due.length < limit && this.#due.length > 0 && (this.#due[0] as number) <= now;
      this.#drop()
    ) {
      const item = this.#items[0] as T;
      this.#pop();
      this.remove(item);
      due.push(item);
    }
    return due;
  }

  /** Drops stale tops (removed or rescheduled items). */
  #drop(): void {
    while (this.#items.length > 0 && (this.#items[0] as T).queueTicket !== this.#tickets[0])
      this.#pop();
  }

  /** Removes the top: the last node takes its place and sinks. */
  #pop(): void {
    const due = this.#due.pop() as number;
    const item = this.#items.pop() as T;
    const ticket = this.#tickets.pop() as number;
    if (this.#due.length === 0) return;
    this.#due[0] = due;
    this.#items[0] = item;
    this.#tickets[0] = ticket;
    this.#down(0);
  }

  #swap(i: number, j: number): void {
    const due = this.#due[i] as number;
    this.#due[i] = this.#due[j] as number;
    this.#due[j] = due;
    const item = this.#items[i] as T;
    this.#items[i] = this.#items[j] as T;
    this.#items[j] = item;
    const ticket = this.#tickets[i] as number;
    this.#tickets[i] = this.#tickets[j] as number;
    this.#tickets[j] = ticket;
  }

  #up(index: number): void {
    const due = this.#due;
    for (let i = index; i > 0; ) {
      const parent = (i - 1) >> 1;
      if ((due[parent] as number) <= (due[i] as number)) break;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #down(index: number): void {
    const due = this.#due;
    const n = due.length;
    for (let i = index; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < n && (due[l] as number) < (due[smallest] as number)) smallest = l;
      if (r < n && (due[r] as number) < (due[smallest] as number)) smallest = r;
      if (smallest === i) return;
      this.#swap(i, smallest);
      i = smallest;
    }
  }
}
