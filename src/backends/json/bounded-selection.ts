/**
 * Keeps the `limit` first items of a stream in a comparator's order, in O(limit) memory: a max-heap
 * whose root is the worst item kept, replaced whenever a better one arrives.
 */
export class BoundedSelection<T> {
  readonly #limit: number;
  readonly #compare: (a: T, b: T) => number;
  readonly #heap: T[] = [];

  constructor(limit: number, compare: (a: T, b: T) => number) {
    this.#limit = limit;
    this.#compare = compare;
  }

  offer(item: T): void {
    const heap = this.#heap;
    if (heap.length < this.#limit) {
      heap.push(item);
      this.#siftUp(heap.length - 1);
    } else if (heap.length > 0 && this.#compare(item, heap[0] as T) < 0) {
      heap[0] = item;
      this.#siftDown(0);
    }
  }

  /** The items kept, in order. */
  sorted(): T[] {
    return [...this.#heap].sort(this.#compare);
  }

  #siftUp(start: number): void {
    const heap = this.#heap;
    let index = start;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (this.#compare(heap[index] as T, heap[parent] as T) <= 0) return;
      this.#swap(index, parent);
      index = parent;
    }
  }

  #siftDown(start: number): void {
    const heap = this.#heap;
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let largest = index;
      if (left < heap.length && this.#compare(heap[left] as T, heap[largest] as T) > 0) largest = left;
      if (right < heap.length && this.#compare(heap[right] as T, heap[largest] as T) > 0) largest = right;
      if (largest === index) return;
      this.#swap(index, largest);
      index = largest;
    }
  }

  #swap(a: number, b: number): void {
    const heap = this.#heap;
    const item = heap[a] as T;
    heap[a] = heap[b] as T;
    heap[b] = item;
  }
}
