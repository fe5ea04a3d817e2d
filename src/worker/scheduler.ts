/**
 * Wall-clock pacing for the host, injected so that tests drive the host on a manual clock and
 * the engine never sees real time (the host only decides how far to advance simulated time).
 */
export interface Scheduler {
  /** Milliseconds from some fixed origin. */
  now(): number;
  /** Runs `task` after about `delayMs`; returns a function that cancels it. */
  schedule(task: () => void, delayMs: number): () => void;
}

/** The real clock and timers (worker or main thread). */
export const realScheduler: Scheduler = {
  now: () => performance.now(),
  schedule: (task, delayMs) => {
    const handle = setTimeout(task, delayMs);
    return () => {
      clearTimeout(handle);
    };
  },
};

/** A clock that moves only when told to, for tests. */
export class ManualScheduler implements Scheduler {
  private timeMs = 0;
  private tasks: { dueMs: number; task: () => void; id: number }[] = [];
  private nextId = 0;

  now(): number {
    return this.timeMs;
  }

  schedule(task: () => void, delayMs: number): () => void {
    const id = this.nextId++;
    this.tasks.push({ dueMs: this.timeMs + delayMs, task, id });
    return () => {
      this.tasks = this.tasks.filter((entry) => entry.id !== id);
    };
  }

  /** Moves the clock forward, running due tasks in order. */
  advance(ms: number): void {
    const target = this.timeMs + ms;
    for (;;) {
      this.tasks.sort((a, b) => a.dueMs - b.dueMs || a.id - b.id);
      const next = this.tasks[0];
      if (next === undefined || next.dueMs > target) break;
      this.tasks.shift();
      this.timeMs = Math.max(this.timeMs, next.dueMs);
      next.task();
    }
    this.timeMs = target;
  }

  get pendingCount(): number {
    return this.tasks.length;
  }
}
