import type { Frame } from '../worker/protocol.ts';
import { useSimStore } from '../ui/state/store.ts';
import type { EmbedCommand, EmbedEvent } from './messages.ts';
import type { EmbedOptions } from './params.ts';

/** How often, at most, a playing embed tells its host the time (wall time). */
export const timeEventIntervalMs = 250;

/** The controller calls the player makes (SimController has them all). */
export interface PlayerController {
  play(): void;
  pause(): void;
  seek(timeUs: number): Promise<void>;
  setSpeed(speed: number): void;
}

export interface PlayerEnv {
  /** Sends an event to the host page (nothing when the embed is not framed). */
  post(event: EmbedEvent): void;
  nowMs(): number;
  /** The person asked for less motion: the embed waits for Play. */
  prefersReducedMotion: boolean;
}

/**
 * Plays the embed's window of the run: from `from` to `to`, then back to `from` when it loops,
 * or a pause at `to` when it does not. It also turns frames into the host page's events (the
 * time, throttled, and every moment passed while playing) and the host's commands into calls.
 * It reads the page's store, where the controller mirrors the worker's frames.
 */
export class EmbedPlayer {
  private readonly controller: PlayerController;
  private readonly options: EmbedOptions;
  private readonly env: PlayerEnv;
  private startUs = 0;
  /** Set while going back to the start: frames still on their way past `to` are not news. */
  private isWrapping = false;
  private lastTimeUs = -1;
  private lastTimePostMs = Number.NEGATIVE_INFINITY;
  private lastPlaying = false;
  private lastPostedUs = -1;
  private stopWatching: (() => void) | null = null;

  constructor(controller: PlayerController, options: EmbedOptions, env: PlayerEnv) {
    this.controller = controller;
    this.options = options;
    this.env = env;
  }

  /** Where the window starts: `from`, or where the link put the run. */
  get fromUs(): number {
    return this.options.fromUs ?? this.startUs;
  }

  /** Called once the run is open: goes to the window's start, says so, and plays. */
  async begin(): Promise<void> {
    const state = useSimStore.getState();
    this.startUs = state.frame?.timeUs ?? 0;
    if (this.options.speed !== null) this.controller.setSpeed(this.options.speed);
    if (this.options.fromUs !== null) await this.controller.seek(this.options.fromUs);
    const view = useSimStore.getState().view;
    this.lastTimeUs = useSimStore.getState().frame?.timeUs ?? this.fromUs;
    this.stopWatching = useSimStore.subscribe((next, previous) => {
      if (next.frame !== previous.frame && next.frame !== null) this.onFrame(next.frame);
    });
    this.env.post({
      type: 'distsim:ready',
      scenarioId: view?.meta.id ?? '',
      title: view?.meta.title ?? '',
      instrument: view?.meta.instrumentTitle ?? '',
      timeUs: this.lastTimeUs,
      fromUs: this.fromUs,
      toUs: this.options.toUs,
    });
    if (!this.env.prefersReducedMotion) this.play();
  }

  dispose(): void {
    this.stopWatching?.();
    this.stopWatching = null;
  }

  /** Play: from the start again when the window was played to its end. */
  play(): void {
    const timeUs = useSimStore.getState().frame?.timeUs ?? 0;
    const { toUs } = this.options;
    if (toUs !== null && timeUs >= toUs) {
      void this.restart();
      return;
    }
    this.controller.play();
  }

  pause(): void {
    this.controller.pause();
  }

  /** Back to the window's start, playing. */
  async restart(): Promise<void> {
    this.isWrapping = true;
    try {
      this.controller.pause();
      await this.controller.seek(this.fromUs);
      this.lastTimeUs = this.fromUs;
      this.controller.play();
    } finally {
      this.isWrapping = false;
    }
  }

  /** A command from the host page. */
  run(command: EmbedCommand): void {
    switch (command.type) {
      case 'distsim:play':
        this.play();
        return;
      case 'distsim:pause':
        this.pause();
        return;
      case 'distsim:seek':
        void this.controller.seek(command.timeUs);
        return;
      default: {
        const unknownCommand: never = command;
        throw new Error(`Unknown embed command ${JSON.stringify(unknownCommand)}.`);
      }
    }
  }

  private onFrame(frame: Frame): void {
    if (this.isWrapping) return;
    this.postMoments(frame);
    this.postTime(frame);
    const { toUs } = this.options;
    if (toUs === null || !frame.isPlaying || frame.timeUs < toUs) return;
    if (this.options.loop) {
      void this.restart();
      return;
    }
    // Frames come a slice at a time, so playback may have gone a little past `to`: it stops at
    // `to` exactly, where the window ends.
    this.controller.pause();
    void this.controller.seek(toUs);
  }

  /** Every moment playback passed since the previous frame (not those a seek jumped over). */
  private postMoments(frame: Frame): void {
    const previous = this.lastTimeUs;
    this.lastTimeUs = frame.timeUs;
    if (!frame.isPlaying || frame.timeUs <= previous) return;
    const { moments, view } = useSimStore.getState();
    const labels = new Map((view?.meta.moments ?? []).map((spec) => [spec.id, spec.label]));
    for (const moment of moments) {
      if (moment.timeUs <= previous || moment.timeUs > frame.timeUs) continue;
      this.env.post({
        type: 'distsim:moment',
        timeUs: moment.timeUs,
        kind: moment.kind,
        label: labels.get(moment.kind) ?? moment.kind,
        text: moment.text,
      });
    }
  }

  /** The time: at most every `timeEventIntervalMs` while playing; each new time when paused. */
  private postTime(frame: Frame): void {
    const nowMs = this.env.nowMs();
    const isNews =
      frame.isPlaying !== this.lastPlaying ||
      (frame.isPlaying
        ? nowMs - this.lastTimePostMs >= timeEventIntervalMs
        : frame.timeUs !== this.lastPostedUs);
    if (!isNews) return;
    this.lastPlaying = frame.isPlaying;
    this.lastTimePostMs = nowMs;
    this.lastPostedUs = frame.timeUs;
    this.env.post({ type: 'distsim:time', timeUs: frame.timeUs, isPlaying: frame.isPlaying });
  }
}
