import type { Scheduler } from './scheduler.ts';

/** Timing of the liveness check, in wall-clock milliseconds. */
export interface LivenessTiming {
  /** Silence from a host that owes a word (a reply, a frame) before it is pinged. */
  readonly silenceMs: number;
  /** How long a ping may go unanswered before the host is declared dead. */
  readonly pingAnswerMs: number;
  /** The same while the host may legitimately be busy for long (replaying a run). */
  readonly busyAnswerMs: number;
}

/** What the check needs to know about, and do to, the host it watches. */
export interface LivenessSubject {
  /** Whether the host owes a word: a request is pending or it is playing. */
  isOwedWord(): boolean;
  /** Whether a pending request may keep the host busy for long. */
  isBusy(): boolean;
  /** Sends a request the host answers at once. */
  ping(): void;
  /** The host said nothing before the ping's deadline; `silentMs` since it last spoke. */
  onSilent(silentMs: number): void;
}

/**
 * Notices a worker that was terminated or hangs, which fires no event. While the host owes a
 * word, silence longer than `silenceMs` gets a ping; no word before the ping's deadline means the
 * host is dead. A host busy with a long request is given `busyAnswerMs` instead. The timer runs
 * only while something is owed: `watch` restarts it after each request or play.
 */
export class LivenessCheck {
  private readonly scheduler: Scheduler;
  private readonly timing: LivenessTiming;
  private readonly subject: LivenessSubject;
  private lastHeardMs: number;
  /** When the outstanding ping was sent, if one is. */
  private pingSentMs: number | null = null;
  private cancelTimer: (() => void) | null = null;

  constructor(scheduler: Scheduler, timing: LivenessTiming, subject: LivenessSubject) {
    this.scheduler = scheduler;
    this.timing = timing;
    this.subject = subject;
    this.lastHeardMs = scheduler.now();
  }

  /** The host said something: it is alive. */
  heard(): void {
    this.lastHeardMs = this.scheduler.now();
    this.pingSentMs = null;
  }

  /** Starts the timer if the host owes a word and it is not running yet. */
  watch(): void {
    if (this.cancelTimer !== null || !this.subject.isOwedWord()) return;
    this.schedule(this.timing.silenceMs);
  }

  /** Stops watching (a new host starts with a clean slate). */
  stop(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.pingSentMs = null;
    this.lastHeardMs = this.scheduler.now();
  }

  private schedule(delayMs: number): void {
    this.cancelTimer = this.scheduler.schedule(
      () => {
        this.cancelTimer = null;
        this.check();
      },
      Math.max(1, delayMs),
    );
  }

  private check(): void {
    const now = this.scheduler.now();
    if (this.pingSentMs !== null) {
      const answerMs = this.subject.isBusy() ? this.timing.busyAnswerMs : this.timing.pingAnswerMs;
      const waitedMs = now - this.pingSentMs;
      if (waitedMs < answerMs) {
        this.schedule(answerMs - waitedMs);
        return;
      }
      this.pingSentMs = null;
      this.subject.onSilent(now - this.lastHeardMs);
      return;
    }
    if (!this.subject.isOwedWord()) return;
    const silentMs = now - this.lastHeardMs;
    if (silentMs < this.timing.silenceMs) {
      this.schedule(this.timing.silenceMs - silentMs);
      return;
    }
    this.pingSentMs = now;
    this.subject.ping();
    this.schedule(this.timing.pingAnswerMs);
  }
}
