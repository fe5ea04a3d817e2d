import { type ChildProcess, type Serializable, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/*
 * A pool of child processes that each run a list of tasks: the sweep's `--workers` and the soak's
 * chaos part. Child processes rather than worker threads: a run that exhausts its heap, or model
 * code that calls process.exit, ends only its own process, which the pool reports (with the task
 * it was running) instead of taking the whole sweep down; each child also has a heap limit of
 * its own. Starting one costs about a second (Node, the TypeScript loader and the registry),
 * which a sweep long enough to want several cores repays many times over.
 *
 * The protocol a child speaks is the simplest there is: for every message it receives it sends
 * back exactly one message, in the order received (bench/soak/chaosWorker.ts is a complete
 * child). So the pool knows which task a reply answers without numbering them.
 */

export interface PoolOptions<T, R> {
  /** The module each child runs (a .ts file is loaded through tsx). */
  readonly modulePath: string;
  /** Its command-line arguments. */
  readonly args?: readonly string[];
  readonly workerCount: number;
  readonly tasks: readonly T[];
  /**
   * Tasks sent ahead to each child (default 2), so that it never waits for the parent between
   * two short tasks; 1 balances long tasks best.
   */
  readonly tasksInFlight?: number;
  /**
   * Every reply, with the index of its task, in the order they arrive (not task order). Return
   * false to stop: the children are killed and the pool resolves without the remaining replies.
   */
  readonly onResult: (index: number, result: R) => boolean;
}

/** A child that exited, was killed or failed to start while it still had work. */
export class WorkerDiedError extends Error {
  /** The task it was running, or null when it died before taking one. */
  readonly taskIndex: number | null;
  constructor(message: string, taskIndex: number | null) {
    super(message);
    this.name = 'WorkerDiedError';
    this.taskIndex = taskIndex;
  }
}

/** Characters of a child's stderr kept to explain its death. */
const stderrTailChars = 4_000;

/**
 * The flags a child starts with: the parent's own (a CPU profile flag, a heap limit) when they
 * already load tsx, which they do under `npm run sim`; otherwise (under vitest, say) just tsx,
 * so the child can load TypeScript.
 */
export function childExecArgv(): string[] {
  if (process.execArgv.some((arg) => /[\\/]tsx[\\/]|^tsx$/.test(arg))) return [...process.execArgv];
  const loader = createRequire(import.meta.url).resolve('tsx');
  return ['--import', pathToFileURL(loader).href];
}

/** The last line of a child's stderr that looks like an error, for a one-line report. */
function lastErrorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const errorLine = lines.findLast((line) => /^\w*(Error|Exception)\b|^\w+Error:/.test(line));
  return errorLine ?? lines.at(-1) ?? '';
}

/** Runs every task on up to `workerCount` children; resolves when all replies are in. */
export function runPool<T, R>(options: PoolOptions<T, R>): Promise<void> {
  const { tasks } = options;
  const childCount = Math.min(options.workerCount, tasks.length);
  if (childCount === 0) return Promise.resolve();
  const execArgv = childExecArgv();
  const tasksInFlight = options.tasksInFlight ?? 2;
  return new Promise<void>((resolve, reject) => {
    let next = 0;
    let received = 0;
    let isSettled = false;
    const children: ChildProcess[] = [];

    /** Ends the pool: idle children are let go, busy ones (an early stop, a death) killed. */
    const settle = (error: Error | null): void => {
      if (isSettled) return;
      isSettled = true;
      for (const child of children) {
        if (!child.connected) continue;
        if (error === null && received === tasks.length) child.disconnect();
        else child.kill();
      }
      if (error === null) resolve();
      else reject(error);
    };

    const start = (): void => {
      const child = fork(options.modulePath, [...(options.args ?? [])], {
        execArgv,
        serialization: 'advanced',
        // The child's stderr is kept, not shown: the CLI prints one line per failure, never a
        // stack trace, so a child's dying words are summed up in the death report instead.
        stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      });
      children.push(child);
      const inFlight: number[] = [];
      let stderr = '';
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-stderrTailChars);
      });
      const feed = (): void => {
        while (inFlight.length < tasksInFlight && next < tasks.length) {
          const index = next++;
          inFlight.push(index);
          try {
            // Structured clone ('advanced' serialization): any plain data crosses.
            child.send(tasks[index] as Serializable);
          } catch {
            return; // The channel closed: the child is dying, and its exit reports it.
          }
        }
        if (inFlight.length === 0) child.disconnect();
      };
      child.on('message', (message) => {
        const result = message as R;
        const index = inFlight.shift();
        if (isSettled || index === undefined) return;
        received++;
        let isWanted: boolean;
        try {
          isWanted = options.onResult(index, result);
        } catch (error) {
          settle(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (!isWanted || received === tasks.length) settle(null);
        else feed();
      });
      const died = (how: string): void => {
        if (isSettled) return;
        const running = inFlight[0] ?? null;
        const why = lastErrorLine(stderr);
        settle(
          new WorkerDiedError(
            `a worker process (pid ${child.pid ?? '?'}) ${how}` +
              `${running === null ? ' before it took a task' : ''}${why === '' ? '' : `: ${why}`}`,
            running,
          ),
        );
      };
      child.on('error', (error) => {
        died(`failed (${error.message})`);
      });
      child.on('exit', (code, signal) => {
        // A child that finished its share disconnects and exits 0; any other exit is a death.
        if (code === 0 && inFlight.length === 0 && !child.connected) return;
        // stderr may still hold the last words: read them before reporting.
        const report = (): void => {
          died(signal !== null ? `was killed by ${signal}` : `exited with code ${code ?? '?'}`);
        };
        if (child.stderr === null || child.stderr.readableEnded) report();
        else child.stderr.once('close', report);
      });
      feed();
    };

    for (let i = 0; i < childCount; i++) start();
  });
}
