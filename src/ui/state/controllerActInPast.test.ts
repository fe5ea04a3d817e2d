import { beforeEach, describe, expect, it } from 'vitest';
import type { Command, RecordedCommand } from '../../engine/types.ts';
import { SimClient } from '../../worker/client.ts';
import { scenarioCatalogue } from '../../worker/catalogue.ts';
import { ManualScheduler } from '../../worker/scheduler.ts';
import { createInProcessTransport } from '../../worker/transport.ts';
import { dropQuestionText } from './actInPast.ts';
import { type PageEnv, SimController } from './controller.ts';
import { useSimStore } from './store.ts';

/**
 * Acting in the past through the controller and a real host (in process): the question before a
 * drop, Cancel, Drop and act, and Undo back to the same run, trace hash for trace hash.
 */

class FakeEnv implements PageEnv {
  fragment = '';
  stored = new Map<string, string>();
  session = new Map<string, string>();
  baseUrl = (): string => 'https://distsim.example/';
  currentFragment = (): string => this.fragment;
  replaceFragment = (fragment: string): void => {
    this.fragment = fragment;
  };
  pushFragment = (fragment: string): void => {
    this.fragment = fragment;
  };
  load = (key: string): string | null => this.stored.get(key) ?? null;
  save = (key: string, value: string): void => {
    this.stored.set(key, value);
  };
  loadSession = (key: string): string | null => this.session.get(key) ?? null;
  saveSession = (key: string, value: string): void => {
    this.session.set(key, value);
  };
  nowMs = (): number => 0;
}

const state = () => useSimStore.getState();

/**
 * Lets in-process replies (microtasks) and the end of an act (one task later) go by. Two commands
 * a test sends as separate acts need this between them, as a person's two clicks are two tasks.
 */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

const crashN2: Command = { type: 'node.crash', node: 'n2' };
const crashN3: Command = { type: 'node.crash', node: 'n3' };

/**
 * Leader election with n2 crashed at 1 s, run to 4 s (the frontier), then back at 0.5 s: acting
 * there drops 3.5 s and the crash of n2. Returns the trace hash and moments at the frontier.
 */
async function runAndSeekBack(env = new FakeEnv()) {
  const scheduler = new ManualScheduler();
  const transport = createInProcessTransport(scenarioCatalogue, scheduler);
  const controller = new SimController(new SimClient(transport), env);
  await controller.start('#/leader-election');
  await controller.step({ kind: 'until', timeUs: 1_000_000 });
  await controller.command(crashN2);
  await settle();
  await controller.step({ kind: 'until', timeUs: 4_000_000 });
  const frontierHash = state().frame?.traceHash ?? '';
  const moments = state().moments;
  const commands = state().commands;
  await controller.seek(500_000);
  state().select({ kind: 'node', node: 0 });
  return { controller, env, scheduler, frontierHash, moments, commands };
}

/** Counts how often the question opens while `body` runs. */
async function countQuestions(body: () => Promise<void>): Promise<number> {
  let asked = 0;
  const stop = useSimStore.subscribe((next, previous) => {
    if (next.dropQuestion !== null && previous.dropQuestion === null) asked++;
  });
  try {
    await body();
  } finally {
    stop();
  }
  return asked;
}

const noticeTexts = (): string[] => state().notices.map((notice) => notice.text);

describe('acting in the past', () => {
  beforeEach(() => {
    useSimStore.setState({ notices: [] });
  });

  it('asks first, with the real figures, and Cancel applies nothing and loses nothing', async () => {
    const { controller, frontierHash, commands } = await runAndSeekBack();
    const acting = controller.command(crashN3);
    await settle();
    const question = state().dropQuestion;
    expect(question).toEqual({
      atUs: 500_000,
      droppedUs: 3_500_000,
      commands: [expect.objectContaining({ command: crashN2 }) as RecordedCommand],
      isUndoOffered: true,
    });
    if (question !== null)
      expect(dropQuestionText(question)).toBe(
        'Acting here drops 3.5 s of the run and 1 recorded command after t = 0.500 s. Go on?',
      );
    controller.answerDropQuestion(false);
    await acting;
    expect(state().dropQuestion).toBeNull();
    expect(state().commands).toEqual(commands);
    expect(state().frame?.timeUs).toBe(500_000);
    expect(state().frame?.frontierUs).toBe(4_000_000);
    expect(state().notices).toEqual([]);
    await controller.seek(4_000_000);
    expect(state().frame?.traceHash).toBe(frontierHash);
    controller.dispose();
  });

  it('drops on "Drop and act", and Undo gives the same trace hash at the old frontier', async () => {
    const { controller, frontierHash, moments, commands } = await runAndSeekBack();
    const acting = controller.command(crashN3);
    await settle();
    controller.answerDropQuestion(true);
    await acting;
    // The fork: n3 crashed at 0.5 s, the crash of n2 and the old future are gone.
    expect(state().commands.map((record) => record.command)).toEqual([crashN3]);
    expect(state().frame?.frontierUs).toBe(500_000);
    expect(noticeTexts()).toEqual([
      'Dropped 3.5 s of the run and 1 recorded command after t = 0.500 s.',
    ]);
    expect(state().undoNoticeId).toBe(state().notices[0]?.id);

    await controller.undoDrop();
    expect(state().commands).toEqual(commands);
    expect(state().frame?.timeUs).toBe(500_000);
    expect(state().frame?.frontierUs).toBe(4_000_000);
    expect(state().moments).toEqual(moments);
    expect(state().selection).toEqual({ kind: 'node', node: 0 });
    expect(state().undoNoticeId).toBeNull();
    expect(noticeTexts()).toEqual([
      'Undone: the run is back as it was before you acted, at t = 0.500 s.',
    ]);
    await controller.seek(4_000_000);
    expect(state().frame?.traceHash).toBe(frontierHash);
    controller.dispose();
  });

  it('asks once for a gesture that sends several commands, and undoes them together', async () => {
    const { controller, commands } = await runAndSeekBack();
    // Holding a link both ways sends one command after the other, as the link inspector does.
    const holdBothWays = async (): Promise<void> => {
      const holds: Command[] = [
        { type: 'link.hold', from: 'n1', to: 'n4' },
        { type: 'link.hold', from: 'n4', to: 'n1' },
      ];
      for (const command of holds) await controller.command(command);
    };
    const cancelled = await countQuestions(async () => {
      const gesture = holdBothWays();
      await settle();
      controller.answerDropQuestion(false);
      await gesture;
    });
    expect(cancelled).toBe(1);
    expect(state().commands).toEqual(commands);
    await settle();

    const confirmed = await countQuestions(async () => {
      const gesture = holdBothWays();
      await settle();
      controller.answerDropQuestion(true);
      await gesture;
    });
    expect(confirmed).toBe(1);
    expect(state().commands.map((record) => record.command.type)).toEqual([
      'link.hold',
      'link.hold',
    ]);
    expect(state().notices).toHaveLength(1);
    expect(state().undoNoticeId).not.toBeNull();
    await controller.undoDrop();
    expect(state().commands).toEqual(commands);
    controller.dispose();
  });

  it('offers Undo only until the next act or run change', async () => {
    const { controller } = await runAndSeekBack();
    const acting = controller.command(crashN3);
    await settle();
    controller.answerDropQuestion(true);
    await acting;
    await settle();
    expect(state().undoNoticeId).not.toBeNull();
    // The next act (at the frontier now: nothing to ask) ends the offer, and its notice goes.
    await controller.command({ type: 'node.restart', node: 'n3' });
    await settle();
    expect(state().undoNoticeId).toBeNull();
    expect(state().notices).toEqual([]);
    expect(state().commands).toHaveLength(2);
    await controller.undoDrop();
    expect(state().commands).toHaveLength(2);

    await controller.seek(100_000);
    const again = controller.command(crashN2);
    await settle();
    controller.answerDropQuestion(true);
    await again;
    expect(state().undoNoticeId).not.toBeNull();
    await controller.reset();
    expect(state().undoNoticeId).toBeNull();
    expect(state().notices).toEqual([]);
    controller.dispose();
  });

  it('stops asking in this tab when told, and still offers Undo', async () => {
    const env = new FakeEnv();
    const first = await runAndSeekBack(env);
    const acting = first.controller.command(crashN3);
    await settle();
    first.controller.answerDropQuestion(true, false);
    await acting;
    expect(env.session.size).toBe(1);
    await settle();
    await first.controller.undoDrop();
    const asked = await countQuestions(() => first.controller.command(crashN3));
    expect(asked).toBe(0);
    expect(state().commands.map((record) => record.command)).toEqual([crashN3]);
    expect(state().undoNoticeId).not.toBeNull();
    first.controller.dispose();
    // Another page in the same tab (the session storage) does not ask either.
    const second = await runAndSeekBack(env);
    expect(await countQuestions(() => second.controller.command(crashN3))).toBe(0);
    second.controller.dispose();
  });

  it('follows a mirrored command without asking, and a side of a comparison offers no Undo', async () => {
    const { controller } = await runAndSeekBack();
    controller.setUndoOffered(false);
    const acting = controller.command(crashN3);
    await settle();
    expect(state().dropQuestion?.isUndoOffered).toBe(false);
    controller.answerDropQuestion(true);
    await acting;
    expect(noticeTexts()).toEqual([
      'Dropped 3.5 s of the run and 1 recorded command after t = 0.500 s.',
    ]);
    expect(state().undoNoticeId).toBeNull();
    await settle();
    // The other side's act, mirrored here: answered there, so not asked again.
    await controller.seek(200_000);
    const asked = await countQuestions(() =>
      controller.command({ type: 'node.crash', node: 'n4' }, { isMirrored: true }),
    );
    expect(asked).toBe(0);
    expect(state().commands.map((record) => record.command)).toEqual([
      { type: 'node.crash', node: 'n4' },
    ]);
    controller.dispose();
  });

  it('pauses a run playing on from the past while it asks, and plays on after the act', async () => {
    const { controller, scheduler } = await runAndSeekBack();
    controller.play();
    scheduler.advance(100);
    await settle();
    const shown = state().frame;
    expect(shown?.isPlaying).toBe(true);
    const acting = controller.command(crashN3);
    await settle();
    // The question names where the run stopped, and the run waits there for the answer.
    expect(state().frame?.isPlaying).toBe(false);
    expect(state().dropQuestion?.atUs).toBe(state().frame?.timeUs);
    expect(state().dropQuestion?.droppedUs).toBe(4_000_000 - (state().frame?.timeUs ?? 0));
    controller.answerDropQuestion(true);
    await acting;
    // Playing sends its first frame on the next slice.
    scheduler.advance(50);
    await settle();
    expect(state().frame?.isPlaying).toBe(true);
    expect(state().commands.map((record) => record.command)).toEqual([crashN3]);
    controller.dispose();
  });
});
