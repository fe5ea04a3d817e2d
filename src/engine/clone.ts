/**
 * Deep copy of plain data (objects, arrays, Map, Set, typed arrays, primitives) for checkpoints.
 * Node states are plain data by contract; a function or class instance inside one is a scenario
 * bug and is reported rather than silently shared.
 */
export function cloneData<T>(value: T): T {
  return cloneValue(value, 0) as T;
}

const depthMax = 64;

function cloneValue(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function') throw new TypeError('cloneData: functions are not data');
    return value;
  }
  if (depth > depthMax) throw new RangeError(`cloneData: nesting deeper than ${depthMax}`);
  if (Array.isArray(value)) return value.map((item: unknown) => cloneValue(item, depth + 1));
  if (value instanceof Map) {
    const copy = new Map<unknown, unknown>();
    for (const [key, item] of value) copy.set(key, cloneValue(item, depth + 1));
    return copy;
  }
  if (value instanceof Set) {
    const copy = new Set<unknown>();
    for (const item of value) copy.add(cloneValue(item, depth + 1));
    return copy;
  }
  if (ArrayBuffer.isView(value)) {
    return (value as unknown as { slice(): unknown }).slice();
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    throw new TypeError('cloneData: class instances are not plain data');
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    copy[key] = cloneValue((value as Record<string, unknown>)[key], depth + 1);
  }
  return copy;
}
