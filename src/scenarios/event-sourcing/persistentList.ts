/**
 * An immutable list that grows and changes by sharing: the store's log and streams and the
 * clients' ledgers. Copying a whole array on every append made each append cost the length of
 * the log (and every checkpoint keeps the old versions, so nothing could be appended in place);
 * here an append or an update copies one path of a tree of small arrays, so it costs about
 * 32 × depth (depth 3 up to 32,768 items, 4 up to a million), whatever the length.
 *
 * [1] Plain data, never mutated: a radix-32 tree of arrays. Leaves hold the items, in order;
 *     every inner node holds up to 32 children, each full except the last. Every version keeps
 *     its own root and length, and shares the untouched subtrees with the versions before it,
 *     which see exactly what they saw (node state and durable state are immutable values).
 * [2] A node never moves: the subtree at a given place in the tree always covers the same range
 *     of indexes, in every version that holds it. So a result computed from a node's items (a
 *     sum of balance changes, a fingerprint; see listFolds.ts) can be cached by the node itself.
 * [3] An array made by `sliceOf` remembers where its items came from (a WeakMap, so a pure fact
 *     about two immutable values): a fold over the array, such as a handler replaying the events
 *     a load sent it, can then be answered from the list's cached totals instead of item by item.
 */

const bits = 5;
const width = 1 << bits;
const mask = width - 1;

export interface PersistentList<T> {
  readonly length: number;
  /** [1] Levels of inner nodes above the leaves (0: the root is a leaf). */
  readonly height: number;
  readonly root: ListNode<T>;
}

/** A leaf (items) or an inner node (children); which one follows from its level. */
export type ListNode<T> = readonly (T | ListNode<T>)[];

const emptyRoot: ListNode<never> = [];

export function emptyList<T>(): PersistentList<T> {
  return { length: 0, height: 0, root: emptyRoot };
}

export function listOf<T>(items: readonly T[]): PersistentList<T> {
  let list = emptyList<T>();
  for (const item of items) list = push(list, item);
  return list;
}

/** How many items a tree of this height holds when full. */
function capacityOf(height: number): number {
  return 1 << (bits * (height + 1));
}

/** The list with `item` at the end. */
export function push<T>(list: PersistentList<T>, item: T): PersistentList<T> {
  const { length, height, root } = list;
  if (length === capacityOf(height)) {
    // The tree is full: a new root above it, with a path down to the new item beside it.
    return { length: length + 1, height: height + 1, root: [root, pathTo(height, item)] };
  }
  return { length: length + 1, height, root: pushInto(root, height, length, item) };
}

function pushInto<T>(node: ListNode<T>, level: number, index: number, item: T): ListNode<T> {
  const copy = node.slice();
  if (level === 0) {
    copy.push(item);
    return copy;
  }
  const slot = (index >>> (bits * level)) & mask;
  const child = copy[slot] as ListNode<T> | undefined;
  copy[slot] =
    child === undefined ? pathTo(level - 1, item) : pushInto(child, level - 1, index, item);
  return copy;
}

function pathTo<T>(level: number, item: T): ListNode<T> {
  return level === 0 ? [item] : [pathTo(level - 1, item)];
}

/** The item at `index`, or undefined outside the list. */
export function itemAt<T>(list: PersistentList<T>, index: number): T | undefined {
  if (!(index >= 0 && index < list.length)) return undefined;
  return leafOf(list, index)[index & mask] as T;
}

function leafOf<T>(list: PersistentList<T>, index: number): ListNode<T> {
  let node = list.root;
  for (let level = list.height; level > 0; level--)
    node = node[(index >>> (bits * level)) & mask] as ListNode<T>;
  return node;
}

/** The list with the item at `index` (inside the list) replaced. */
export function setAt<T>(list: PersistentList<T>, index: number, item: T): PersistentList<T> {
  if (!(index >= 0 && index < list.length)) throw new RangeError(`index ${index} out of range`);
  return {
    length: list.length,
    height: list.height,
    root: setInto(list.root, list.height, index, item),
  };
}

function setInto<T>(node: ListNode<T>, level: number, index: number, item: T): ListNode<T> {
  const copy = node.slice();
  const slot = (index >>> (bits * level)) & mask;
  copy[slot] = level === 0 ? item : setInto(copy[slot] as ListNode<T>, level - 1, index, item);
  return copy;
}

/** [3] Where a slice's items are in a list: `list`'s items `from` … `from` + length − 1. */
export interface SliceSource<T> {
  readonly list: PersistentList<T>;
  readonly from: number;
}

const sources = new WeakMap<readonly unknown[], SliceSource<unknown>>();

/** Items `from` … `to` − 1 (clamped to the list) as a new array, like `Array.slice`. */
export function sliceOf<T>(list: PersistentList<T>, from = 0, to = list.length): readonly T[] {
  const start = Math.max(0, from);
  const end = Math.min(list.length, to);
  const out: T[] = [];
  for (let index = start; index < end;) {
    const leaf = leafOf(list, index);
    const leafEnd = Math.min(end, (index & ~mask) + width);
    for (; index < leafEnd; index++) out.push(leaf[index & mask] as T);
  }
  if (out.length > 0) sources.set(out, { list, from: start });
  return out;
}

/** [3] The list an array was sliced from, if it was (and has not been changed since: never). */
export function sourceOf<T>(items: readonly T[]): SliceSource<T> | undefined {
  return sources.get(items) as SliceSource<T> | undefined;
}

/** Every item, in order. */
export function toArray<T>(list: PersistentList<T>): readonly T[] {
  return sliceOf(list, 0, list.length);
}

/** The first `count` items (rebuilt: only the deliberately broken store truncates). */
export function takeFirst<T>(list: PersistentList<T>, count: number): PersistentList<T> {
  return count >= list.length ? list : listOf(sliceOf(list, 0, count));
}

/** [2] Items a node at `level` spans when full (a leaf: 32). */
export function spanOf(level: number): number {
  return capacityOf(level);
}
