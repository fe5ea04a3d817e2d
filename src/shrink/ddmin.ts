/*
 * Delta debugging (Zeller and Hildebrandt, "Simplifying and Isolating Failure-Inducing Input",
 * 2002): the ddmin algorithm, generic over the items and the test. Generators, so that whoever
 * drives the search gets control back before every test (progress, cancellation, a worker
 * answering its messages) without the algorithm knowing about any of it.
 */

/**
 * A test of a candidate: yields while it works (at least once per real run) and returns whether
 * the candidate still fails. `S` is what it yields.
 */
export type FailureTest<T, S> = (candidate: readonly T[]) => Generator<S, boolean>;

/** Reports the size of the current failing set whenever it shrinks. */
export type SizeListener = (size: number) => void;

/**
 * Reduces `items`, which fail, to a 1-minimal failing subset: removing any single remaining item
 * makes the test pass. Items keep their order. The empty set must pass (the caller checks it
 * first: when nothing at all is needed, there is nothing to search).
 */
export function* ddmin<T, S>(
  items: readonly T[],
  fails: FailureTest<T, S>,
  onSize: SizeListener = () => undefined,
): Generator<S, T[]> {
  let current = items.slice();
  let granularity = 2;
  while (current.length >= 2) {
    const chunks = split(current, granularity);
    let next: T[] | null = null;
    // Reduce to a subset: one chunk alone still fails.
    for (const chunk of chunks) {
      if (yield* fails(chunk)) {
        next = chunk;
        granularity = 2;
        break;
      }
    }
    // Reduce to a complement: everything but one chunk still fails. With two chunks the
    // complements are the chunks themselves, already tested.
    if (next === null && granularity > 2) {
      for (let i = 0; i < chunks.length; i++) {
        const complement = chunks.filter((_, j) => j !== i).flat();
        if (yield* fails(complement)) {
          next = complement;
          granularity = Math.max(granularity - 1, 2);
          break;
        }
      }
    }
    if (next !== null) {
      current = next;
      onSize(current.length);
      continue;
    }
    // Nothing smaller fails at this granularity: split finer, or stop once every chunk is a
    // single item (then every complement was one removal, and each one passed).
    if (granularity >= current.length) break;
    granularity = Math.min(current.length, granularity * 2);
  }
  return current;
}

/** `items` in `count` contiguous chunks of nearly equal size (the first ones one larger). */
export function split<T>(items: readonly T[], count: number): T[][] {
  const chunks: T[][] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const size = Math.floor(items.length / count) + (i < items.length % count ? 1 : 0);
    chunks.push(items.slice(start, start + size));
    start += size;
  }
  return chunks.filter((chunk) => chunk.length > 0);
}
