/**
 * Collision-free interning of tuples of small integers to dense ids, owned by
 * one model instance (never module-level). The brief asks for message data as
 * a digest of (sender, ssn, whole delivery history) that never collides: the
 * interned id of that tuple is exactly that. Ids depend on the order in which
 * tuples were first seen, so they are stable within one model instance only;
 * `tuple(id)` decodes an id for display.
 */
export class Interner {
  private readonly ids = new Map<string, number>();
  private readonly tuples: (readonly number[])[] = [];

  /** The id of `tuple`, assigning the next id (from 1) on first sight. */
  intern(tuple: readonly number[]): number {
    const key = tuple.join(',');
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    this.tuples.push(tuple.slice());
    const id = this.tuples.length;
    this.ids.set(key, id);
    return id;
  }

  tuple(id: number): readonly number[] {
    const t = this.tuples[id - 1];
    if (t === undefined) throw new RangeError(`unknown interned id ${id}`);
    return t;
  }

  get size(): number {
    return this.tuples.length;
  }
}
