import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runInThisContext } from 'node:vm';

/**
 * SIM.JS (the `simjs` package, v2.0.3), the peer the engine is compared with, loaded for Node.
 *
 * The package is a browserify bundle built without `--standalone`: `require('simjs')` returns an
 * empty object, and its only export is `window.Sim = {…}` when a `window` exists. Rather than
 * faking a global `window` (which other code could notice), the bundle's source is compiled in
 * this same V8 context inside a function whose parameter is named `window`, and the bundle
 * assigns its exports to the object passed in. The code is the package's own, unmodified, and
 * runs with the same JIT as everything else in the process.
 */

/** A scheduled SIM.JS request (the object `setTimer` returns). */
export interface SimJsRequest {
  /** Adds a callback, called with the entity as `this` when the request fires. */
  done(callback: () => void): SimJsRequest;
  /** Attaches data that the callback reads from the entity's `callbackData`. */
  setData(data: unknown): SimJsRequest;
}

/** The part of SIM.JS's `Entity` the benchmarks use. */
export interface SimJsEntity {
  /** The current simulated time. */
  time(): number;
  /** Schedules a request `duration` after the current time. */
  setTimer(duration: number): SimJsRequest;
  /** Data of the request being delivered (set by SIM.JS around each callback). */
  callbackData: unknown;
}

/** A SIM.JS simulator. */
export interface SimJsSim {
  /** Constructs an entity of `klass`, calls its `start()` and returns it. */
  addEntity<E extends SimJsEntity>(klass: new (sim: SimJsSim, name?: string) => E): E;
  /** Fires events until none are left, one is after `endTime`, or `maxEvents` were removed. */
  simulate(endTime: number, maxEvents?: number): boolean;
}

/** The classes the bench needs from the bundle. */
export interface SimJsModule {
  readonly Sim: new () => SimJsSim;
  readonly Entity: new (sim: SimJsSim, name?: string) => SimJsEntity;
}

function loadSimJs(): SimJsModule {
  const require = createRequire(import.meta.url);
  const path = require.resolve('simjs');
  const source = readFileSync(path, 'utf8');
  // The newline keeps the bundle's trailing source-map comment from swallowing the brace.
  const factory = runInThisContext(`(function (window) {\n${source}\n})`, {
    filename: path,
  }) as (exports: { Sim?: SimJsModule }) => void;
  const exports: { Sim?: SimJsModule } = {};
  factory(exports);
  const module = exports.Sim;
  if (module === undefined || typeof module.Sim !== 'function') {
    throw new Error(`Could not load SIM.JS from ${path}: the bundle did not export Sim.`);
  }
  return module;
}

/** The loaded SIM.JS module. */
export const simjs: SimJsModule = loadSimJs();
