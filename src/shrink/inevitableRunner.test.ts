import { describe, expect, it } from 'vitest';
import { chaosScheduleFor } from '../engine/chaos.ts';
import { leaderElection } from '../scenarios/leader-election/model.ts';
import { scenarioCatalogue } from '../worker/catalogue.ts';
import type { RunRequest } from '../worker/protocol.ts';
import { inevitable } from './inevitable.ts';
import type { InevitableReplyMessage } from './inevitableMessages.ts';
import { createInevitableRunner } from './inevitableRunner.ts';

/* The worker's message handling, in-process: progress per point, the result, cancel, refusals. */

const durationUs = leaderElection.defaultDurationUs;
const bully: RunRequest = {
  scenarioId: leaderElection.id,
  seed: 1,
  variant: 'baseline',
  params: {},
  commands: chaosScheduleFor(leaderElection, 1, 'baseline', {}, durationUs),
};
const input = { run: bully, durationUs, forks: 2, trials: 2 };
const noPause = () => Promise.resolve();

describe('createInevitableRunner', () => {
  it('posts progress once per measured fork, then the same result as in-process', async () => {
    const posted: InevitableReplyMessage[] = [];
    const handle = createInevitableRunner(
      scenarioCatalogue,
      (message) => posted.push(message),
      noPause,
    );
    await handle({ type: 'start', input });
    const progress = posted.filter((message) => message.type === 'progress');
    expect(progress.map((message) => message.progress.points.length)).toEqual([0, 1, 2]);
    expect(posted.at(-1)).toEqual({ type: 'done', result: inevitable(scenarioCatalogue, input) });
  });

  it('stops before its next run on cancel, with the points so far', async () => {
    const posted: InevitableReplyMessage[] = [];
    let handle: ReturnType<typeof createInevitableRunner> | null = null;
    let pauses = 0;
    handle = createInevitableRunner(
      scenarioCatalogue,
      (message) => posted.push(message),
      async () => {
        pauses++;
        if (pauses === 3) await handle?.({ type: 'cancel' });
      },
    );
    await handle({ type: 'start', input });
    expect(posted.at(-1)).toEqual({
      type: 'cancelled',
      progress: {
        points: [expect.objectContaining({ trials: 2 }) as object],
        runs: 2,
        runsTotal: 6,
        forksTotal: 3,
      },
    });
  });

  it('answers a refusal in words', async () => {
    const posted: InevitableReplyMessage[] = [];
    const handle = createInevitableRunner(
      scenarioCatalogue,
      (message) => posted.push(message),
      noPause,
    );
    await handle({ type: 'start', input: { ...input, run: { ...bully, commands: [] } } });
    expect(posted).toEqual([
      {
        type: 'failed',
        message: expect.stringMatching(/^The run does not violate any safety invariant/) as string,
      },
    ]);
  });
});
