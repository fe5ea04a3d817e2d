// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InvariantResult } from '../../engine/invariants.ts';
import { FixedSizeObserver } from '../testing/dom.ts';
import { initialCompareState, useCompareStore } from './compareStore.ts';
import { ComparePage } from './ComparePage.tsx';
import { CompareCoordinator, sideStartMsMax, type CompareEnv } from './coordinator.ts';
import type { FromSide, SideName, ToSide } from './protocol.ts';
import { sideInfoFixture } from './testInfo.ts';

/** A browser stand-in: requests to the sides are recorded; timers and frames run on demand. */
function fakeEnv() {
  const posted: [SideName, ToSide][] = [];
  const timers: { atMs: number; callback: () => void }[] = [];
  const frames: (() => void)[] = [];
  const fragments: string[] = [];
  let nowMs = 0;
  const env: CompareEnv = {
    post: (side, message) => posted.push([side, message]),
    nowMs: () => nowMs,
    onNextFrame: (callback) => {
      frames.push(callback);
      return () => frames.splice(frames.indexOf(callback), 1);
    },
    after: (delayMs, callback) => {
      const timer = { atMs: nowMs + delayMs, callback };
      timers.push(timer);
      return () => timers.splice(timers.indexOf(timer), 1);
    },
    replaceFragment: (fragment) => fragments.push(fragment),
  };
  const advance = (ms: number) => {
    nowMs += ms;
    for (const timer of timers.filter((entry) => entry.atMs <= nowMs)) {
      timers.splice(timers.indexOf(timer), 1);
      timer.callback();
    }
    for (const frame of frames.splice(0)) frame();
  };
  return { env, posted, fragments, advance };
}

const violated: InvariantResult = {
  id: 'no-calls-while-open',
  kind: 'safety',
  description: '',
  status: 'violated',
  violations: 1,
  firstViolation: null,
};

function setup() {
  const fake = fakeEnv();
  const coordinator = new CompareCoordinator(fake.env, { a: 'AAA', b: 'BBB' });
  render(
    <ComparePage
      coordinator={coordinator}
      baseUrl="http://host/"
      frameSrc={{ a: 'about:blank#a', b: 'about:blank#b' }}
      onFrame={() => undefined}
    />,
  );
  const send = (side: SideName, message: FromSide) => {
    act(() => {
      coordinator.receive(side, message);
    });
  };
  const startSides = () => {
    send('a', { type: 'hello' });
    send('b', { type: 'hello' });
    send('a', {
      type: 'frame',
      timeUs: 20_000_000,
      frontierUs: 20_000_000,
      traceHash: 'a1',
      invariants: [],
    });
    send('b', {
      type: 'frame',
      timeUs: 20_000_000,
      frontierUs: 20_000_000,
      traceHash: 'b1',
      invariants: [violated],
    });
    send('a', { type: 'loaded', info: sideInfoFixture('pattern') });
    send('b', { type: 'loaded', info: sideInfoFixture('baseline', false) });
    send('a', {
      type: 'series',
      delta: { afterUs: -1, samples: { rejections: { times: [5e6, 6e6], values: [2, 3] } } },
    });
    send('b', {
      type: 'series',
      delta: { afterUs: -1, samples: { rejections: { times: [5e6], values: [40] } } },
    });
    send('a', { type: 'link', payload: 'A2' });
    send('b', { type: 'link', payload: 'B2' });
    act(() => {
      fake.advance(300);
    });
  };
  return { ...fake, coordinator, send, startSides };
}

describe('ComparePage', () => {
  beforeEach(() => {
    vi.stubGlobal('ResizeObserver', FixedSizeObserver);
    useCompareStore.setState(initialCompareState);
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('shows both sides by name with their invariants and their metrics side by side', () => {
    const page = setup();
    page.startSides();
    expect(screen.getByRole('heading', { name: 'Side a: Fixture Pattern' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Side b: Baseline: direct calls' })).toBeTruthy();
    expect(screen.getByTitle('Side b: Baseline: direct calls').tagName).toBe('IFRAME');
    expect(screen.getByText('Safety ok; liveness ok')).toBeTruthy();
    expect(screen.getByText('Safety violated: no-calls-while-open')).toBeTruthy();
    const row = screen.getByRole('row', { name: /^rejections/ });
    const cells = within(row).getAllByRole('cell');
    expect(cells.map((cell) => cell.textContent)).toEqual(['5 requests', '40 requests']);
    // Only metrics both sides have are compared.
    expect(screen.queryByRole('row', { name: /^trips/ })).toBeNull();
    expect(
      screen.getByRole('img', {
        name: /^rejections: side a \(Fixture Pattern\) 5 requests; side b/,
      }),
    ).toBeTruthy();
    expect(page.fragments.at(-1)).toBe('#/compare?a=A2&b=B2');
    expect(screen.getByRole('link', { name: 'Back to single run' }).getAttribute('href')).toBe(
      'http://host/#/fixture?run=A2',
    );
  });

  it('plays both sides to the same time with one Play button', () => {
    const page = setup();
    page.startSides();
    fireEvent.click(screen.getByRole('button', { name: 'Play' }));
    act(() => {
      page.advance(16);
    });
    const moves = page.posted.filter(([, message]) => message.type === 'step-until');
    expect(
      moves.map(([side, message]) => [side, message.type === 'step-until' && message.timeUs]),
    ).toEqual([
      ['a', 20_016_000],
      ['b', 20_016_000],
    ]);
    expect(screen.getByRole('button', { name: 'Pause' })).toBeTruthy();
  });

  it('mirrors a command to the other side, or says why it could not', () => {
    const page = setup();
    page.startSides();
    page.send('b', {
      type: 'user-command',
      recorded: { atUs: 20_000_000, event: 5, command: { type: 'node.crash', node: 'service' } },
    });
    expect(page.posted.at(-1)).toEqual([
      'a',
      {
        type: 'mirror',
        requestId: expect.any(Number) as number,
        command: { type: 'node.crash', node: 'service' },
        atUs: 20_000_000,
      },
    ]);
    const before = page.posted.length;
    page.send('a', {
      type: 'user-command',
      recorded: { atUs: 20_000_000, event: 9, command: { type: 'node.crash', node: 'dependency' } },
    });
    expect(page.posted).toHaveLength(before);
    const notices = screen.getAllByRole('status').map((notice) => notice.textContent);
    expect(notices).toContain(
      'Warning: Side b: "crash dependency" was not applied here: it has no node dependency.Dismiss',
    );
  });

  it('says clearly when a side fails or never loads', () => {
    const page = setup();
    page.send('a', { type: 'hello' });
    page.send('a', { type: 'failed', message: 'Its simulation worker stopped.' });
    act(() => {
      page.advance(sideStartMsMax);
    });
    const alerts = screen.getAllByRole('alert').map((alert) => alert.textContent);
    expect(alerts).toEqual([
      'Side a failed: Its simulation worker stopped.',
      'Side b failed: Its page did not load. Reload the page to try again.',
    ]);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Play' }).disabled).toBe(true);
  });
});
