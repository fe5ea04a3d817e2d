import { type ListNode, type PersistentList, spanOf } from './persistentList.ts';

/**
 * Sums over the first n items of a persistent list in a few steps, whatever n: what the
 * invariants need after every event ("the balance that replaying a stream up to version v
 * gives", "a fingerprint of the first v events"), without a copy of the log in their memory
 * (the engine copies invariant memories into every checkpoint) and without folding from the
 * start each time.
 *
 * [1] Each node of the list's tree [persistentList.ts 1] gets, once, the running totals of its
 *     children (or items): `sums[k]` is the total of the first k. A prefix total then takes one
 *     entry per level on the way down to item n. Nodes are immutable, so the totals are cached
 *     by node (a WeakMap: a pure result, dropped with the node); an append makes new nodes only
 *     along one path, so only those are summed again.
 * [2] A value may depend on the item's index (a fingerprint does, so that moving an event
 *     changes it). A node always covers the same indexes [persistentList.ts 2]; the cache keeps
 *     the first index it was summed from anyway, and sums again should it ever differ.
 * [3] `add` must be associative and exact (whole numbers well below 2^53, or 32-bit wrapping),
 *     so the totals do not depend on how the tree groups the items.
 * [4] "Does any item in this range have this key?" the same way: each full node (whose items
 *     never change) gets, once, the set of its items' keys; a range is a few full nodes and
 *     the items at its two ends.
 */

interface Totals {
  readonly from: number;
  readonly sums: Float64Array;
}

/** The total of `value(item, index)` over a list's first `count` items. */
export type PrefixTotal<T> = (list: PersistentList<T>, count: number) => number;

export function prefixTotal<T>(
  value: (item: T, index: number) => number,
  add: (a: number, b: number) => number,
): PrefixTotal<T> {
  const cache = new WeakMap<ListNode<T>, Totals>();

  /** [1] Running totals of a node's children (level > 0) or items (level 0). */
  function sumsOf(node: ListNode<T>, level: number, from: number): Float64Array {
    const cached = cache.get(node);
    if (cached?.from === from) return cached.sums;
    const sums = new Float64Array(node.length + 1);
    const span = level === 0 ? 1 : spanOf(level - 1);
    let total = 0;
    for (let slot = 0; slot < node.length; slot++) {
      const first = from + slot * span;
      const part =
        level === 0
          ? value(node[slot] as T, first)
          : totalOf(node[slot] as ListNode<T>, level - 1, first);
      total = add(total, part);
      sums[slot + 1] = total;
    }
    cache.set(node, { from, sums });
    return sums;
  }

  function totalOf(node: ListNode<T>, level: number, from: number): number {
    return sumsOf(node, level, from)[node.length] as number;
  }

  return (list, count) => {
    const end = Math.min(count, list.length);
    let node = list.root;
    let level = list.height;
    let from = 0;
    let total = 0;
    while (end > from) {
      const sums = sumsOf(node, level, from);
      const span = level === 0 ? 1 : spanOf(level - 1);
      const slot = Math.floor((end - from) / span);
      total = add(total, sums[Math.min(slot, node.length)] as number);
      if (level === 0 || slot >= node.length) break;
      node = node[slot] as ListNode<T>;
      from += slot * span;
      level--;
    }
    return total;
  };
}

/** Whether any of a list's items `from` … `to` − 1 has `key` (see [4]). */
export type RangeIncludes<T> = (
  list: PersistentList<T>,
  from: number,
  to: number,
  key: string,
) => boolean;

export function rangeIncludes<T>(keyOf: (item: T) => string): RangeIncludes<T> {
  const cache = new WeakMap<ListNode<T>, ReadonlySet<string>>();

  /** [4] The keys of a full node's items. */
  function keysOf(node: ListNode<T>, level: number): ReadonlySet<string> {
    let keys = cache.get(node);
    if (keys === undefined) {
      const built = new Set<string>();
      for (const child of node) {
        if (level === 0) built.add(keyOf(child as T));
        else for (const key of keysOf(child as ListNode<T>, level - 1)) built.add(key);
      }
      keys = built;
      cache.set(node, keys);
    }
    return keys;
  }

  function includes(
    node: ListNode<T>,
    level: number,
    first: number,
    from: number,
    to: number,
    key: string,
  ): boolean {
    // A node whose whole span lies in the range is full: its keys are cached.
    if (from <= first && first + spanOf(level) <= to) return keysOf(node, level).has(key);
    const span = level === 0 ? 1 : spanOf(level - 1);
    const last = Math.min(node.length - 1, Math.floor((to - 1 - first) / span));
    for (let slot = Math.max(0, Math.floor((from - first) / span)); slot <= last; slot++) {
      const child = node[slot];
      const isMatch =
        level === 0
          ? keyOf(child as T) === key
          : includes(child as ListNode<T>, level - 1, first + slot * span, from, to, key);
      if (isMatch) return true;
    }
    return false;
  }

  return (list, from, to, key) => {
    const start = Math.max(0, from);
    const end = Math.min(list.length, to);
    return start < end && includes(list.root, list.height, 0, start, end, key);
  };
}
