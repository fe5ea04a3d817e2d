import { beforeEach, describe, expect, it } from 'vitest';
import { scenarios } from '../../scenarios/registry.ts';
import { SimClient } from '../../worker/client.ts';
import { scenarioCatalogue } from '../../worker/catalogue.ts';
import { ManualScheduler } from '../../worker/scheduler.ts';
import { decodeShareLink } from '../../worker/shareLink.ts';
import type { FromWorker } from '../../worker/protocol.ts';
import { type Transport, createInProcessTransport } from '../../worker/transport.ts';
import { type PageEnv, SimController, fragmentFor } from './controller.ts';
import { eventLogMax, seriesUpTo, useSimStore } from './store.ts';

class FakeEnv implements PageEnv {
  fragment = '';
  stored = new Map<string, string>();
  clock = 0;
  baseUrl = (): string => 'https://distsim.example/';
  currentFragment = (): string => this.fragment;
  /** Earlier history entries, oldest first (the current one is `fragment`). */
  history: string[] = [];
  replaceFragment = (fragment: string): void => {
    this.fragment = fragment;
  };
  pushFragment = (fragment: string): void => {
    this.history.push(this.fragment);
    this.fragment = fragment;
  };
  load = (key: string): string | null => this.stored.get(key) ?? null;
  save = (key: string, value: string): void => {
    this.stored.set(key, value);
  };
  nowMs = (): number => (this.clock += 5000);
}

function makeController(env = new FakeEnv()): { controller: SimController; env: FakeEnv } {
  const transport = createInProcessTransport(scenarioCatalogue, new ManualScheduler());
  return { controller: new SimController(new SimClient(transport), env), env };
}

const state = () => useSimStore.getState();

/** An in-process host whose "worker" can be made to crash, as a worker transport reports it. */
function crashableHost(): Transport & {
  readonly scheduler: ManualScheduler;
  crash(reason: string): void;
} {
  const scheduler = new ManualScheduler();
  const inner = createInProcessTransport(scenarioCatalogue, scheduler);
  const listeners = new Set<(message: FromWorker) => void>();
  const deliver = (message: FromWorker): void => {
    for (const listener of listeners) listener(message);
  };
  inner.subscribe(deliver);
  return {
    scheduler,
    send: (message) => {
      inner.send(message);
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      inner.close();
    },
    crash: (reason) => {
      deliver({ type: 'error', requestId: null, code: 'worker-crashed', message: reason });
    },
  };
}

/** Lets queued microtasks and timers run (in-process replies arrive on microtasks). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

describe('SimController', () => {
  beforeEach(() => {
    useSimStore.setState({ notices: [] });
  });

  it('opens the first scenario and keeps the run in the URL fragment', async () => {
    const { controller, env } = makeController();
    await controller.start('');
    expect(state().phase).toBe('ready');
    const first = scenarios.find((scenario) => !scenario.isHidden);
    expect(state().view?.meta.id).toBe(first?.id);
    expect(env.fragment).toMatch(new RegExp(`^#/${first?.id ?? ''}\\?run=`));
    expect(state().catalogue.map((entry) => entry.id)).toContain('leader-election');
    controller.dispose();
  });

  it('records commands, mirrors frames and replays to the same hash from its share URL', async () => {
    const { controller } = makeController();
    await controller.start('#/leader-election');
    await controller.step({ kind: 'until', timeUs: 1_000_000 });
    await controller.command({ type: 'node.crash', node: 'n2' });
    await controller.step({ kind: 'until', timeUs: 2_000_000 });
    expect(state().commands).toHaveLength(1);
    expect(state().events.length).toBeGreaterThan(100);
    expect(Object.keys(state().series).length).toBeGreaterThan(0);
    const hash = state().frame?.traceHash;
    const url = controller.shareUrl();
    const decoded = decodeShareLink(url, scenarioCatalogue);
    expect(decoded.ok).toBe(true);
    const other = makeController();
    await other.controller.start(url.slice(url.indexOf('#')));
    expect(state().frame?.timeUs).toBe(2_000_000);
    expect(state().frame?.traceHash).toBe(hash);
    expect(state().commands).toHaveLength(1);
    await other.controller.removeCommand(0);
    expect(state().commands).toHaveLength(0);
    expect(state().frame?.traceHash).not.toBe(hash);
    controller.dispose();
    other.controller.dispose();
  });

  it('opens the default run with a notice for a malformed link or an unknown scenario', async () => {
    const { controller } = makeController();
    await controller.start('#/leader-election?run=AAAA-not-a-real-payload');
    expect(state().phase).toBe('ready');
    expect(
      state()
        .notices.map((notice) => notice.text)
        .join(' '),
    ).toMatch(/could not be unpacked.*Opened Leader Election/);
    useSimStore.setState({ notices: [] });
    await controller.start('#/warp-drive');
    expect(state().notices[0]?.text).toMatch(/no scenario "warp-drive"/);
    controller.dispose();
  });

  it('applies live parameters as commands and others by reloading', async () => {
    const { controller } = makeController();
    await controller.start('#/leader-election');
    await controller.setParam('heartbeatIntervalMs', 80);
    expect(state().commands.map((record) => record.command.type)).toEqual(['param.set']);
    await controller.setParam('nodeCount', 7);
    expect(state().view?.topology.nodes.filter((node) => node.role === 'node')).toHaveLength(7);
    expect(state().view?.run.params.nodeCount).toBe(7);
    controller.dispose();
  });

  it('drops future event rows after a seek backwards and caps the log', async () => {
    const { controller } = makeController();
    await controller.start('#/leader-election');
    await controller.step({ kind: 'until', timeUs: 3_000_000 });
    const before = state().events.length;
    await controller.seek(500_000);
    const last = state().events[state().events.length - 1];
    expect(state().events.length).toBeLessThan(before);
    expect(last === undefined || last.timeUs <= 500_000).toBe(true);
    controller.setSpeed(1000);
    await controller.step({ kind: 'until', timeUs: 120_000_000 });
    expect(state().events.length).toBeLessThanOrEqual(eventLogMax);
    controller.dispose();
  });

  it('keeps the whole event history and series up to the seek target, and cuts them on a fork', async () => {
    const { controller } = makeController();
    await controller.start('#/leader-election');
    await controller.step({ kind: 'until', timeUs: 3_000_000 });
    const straightEvents = state().events.filter((event) => event.timeUs <= 1_000_000);
    const straightSeries = seriesUpTo(state().series, 1_000_000);
    await controller.seek(1_000_000);
    // The log holds the same events as a straight run to 1 s, from the start, without gaps.
    expect(state().events).toEqual(straightEvents);
    expect(state().eventsDropped).toBe(0);
    // The series still reach the frontier (3 s), and up to 1 s they equal the straight run's.
    expect(seriesUpTo(state().series, 1_000_000)).toEqual(straightSeries);
    expect(state().seriesKnownUs).toBe(3_000_000);
    await controller.seek(2_500_000);
    expect(state().events.at(-1)?.timeUs).toBeLessThanOrEqual(2_500_000);
    expect(state().events[0]?.index).toBe(0);
    await controller.seek(1_000_000);
    // A command in the past asks before it drops the rest of the run (see
    // controllerActInPast.test.ts): go on.
    const forking = controller.command({ type: 'node.crash', node: 'n1' });
    await settle();
    controller.answerDropQuestion(true);
    await forking;
    expect(state().frame?.frontierUs).toBe(1_000_000);
    const latest = Object.values(state().series).map((entry) => entry.times.at(-1) ?? 0);
    expect(Math.max(...latest)).toBeLessThanOrEqual(1_000_000);
    controller.dispose();
  });

  it('remembers the speed chosen for each scenario and pause-on-violation across reloads', async () => {
    const env = new FakeEnv();
    const first = makeController(env);
    await first.controller.start('#/leader-election');
    first.controller.setSpeed(10);
    first.controller.setPauseOnViolation(true);
    first.controller.dispose();
    const second = makeController(env);
    await second.controller.start('#/leader-election');
    expect(second.controller.speed).toBe(10);
    expect(state().frame?.speed).toBe(10);
    expect(state().pauseOnViolation).toBe(true);
    // Another scenario starts at its own default, and keeps the first one's choice apart.
    await second.controller.selectScenario('circuit-breaker');
    expect(second.controller.speed).toBe(scenarioCatalogue.get('circuit-breaker')?.defaultSpeed);
    await second.controller.selectScenario('leader-election');
    expect(second.controller.speed).toBe(10);
    second.controller.dispose();
  });

  it('starts each scenario at its default speed, ignoring the single speed older pages saved', async () => {
    const env = new FakeEnv();
    env.save('distsim.preferences', JSON.stringify({ speed: 0.1, pauseOnViolation: true }));
    const { controller } = makeController(env);
    await controller.start('#/circuit-breaker');
    const expected = scenarioCatalogue.get('circuit-breaker')?.defaultSpeed ?? 0;
    expect(expected).toBeGreaterThanOrEqual(1);
    expect(controller.speed).toBe(expected);
    expect(state().frame?.speed).toBe(expected);
    expect(state().pauseOnViolation).toBe(true);
    controller.dispose();
  });

  it('reopens the run from the freshly synced fragment, with its commands, after a crash', async () => {
    // A clock that stands still: while playing, the URL is never synced on its own.
    const env = new FakeEnv();
    env.nowMs = () => 0;
    const hosts: ReturnType<typeof crashableHost>[] = [];
    const client = new SimClient(
      () => {
        const host = crashableHost();
        hosts.push(host);
        return host;
      },
      { scheduler: new ManualScheduler() },
    );
    const controller = new SimController(client, env);
    await controller.start('#/leader-election');
    controller.setSpeed(2);
    await controller.step({ kind: 'until', timeUs: 1_000_000 });
    await controller.command({ type: 'node.crash', node: 'n2' });
    const syncedBeforePlay = env.fragment;
    controller.play();
    hosts[0]?.scheduler.advance(400);
    await settle();
    const lastFrame = state().frame;
    expect(lastFrame?.isPlaying).toBe(true);
    expect(lastFrame?.timeUs).toBeGreaterThan(1_000_000);
    expect(env.fragment).toBe(syncedBeforePlay);
    hosts[0]?.crash('it threw "Uncaught Error: test"');
    await settle();
    expect(hosts).toHaveLength(2);
    // The fragment was synced as the crash was handled, and the new worker opened the run there.
    const synced = decodeShareLink(env.fragment, scenarioCatalogue);
    expect(synced.ok && synced.shared.positionUs).toBe(lastFrame?.timeUs);
    expect(state().frame?.timeUs).toBe(lastFrame?.timeUs);
    expect(state().frame?.traceHash).toBe(lastFrame?.traceHash);
    expect(state().phase).toBe('ready');
    expect(state().commands.map((record) => record.command)).toEqual([
      { type: 'node.crash', node: 'n2' },
    ]);
    expect(state().view?.run.seed).toBe(1);
    const seconds = ((lastFrame?.timeUs ?? 0) / 1_000_000).toFixed(3);
    expect(state().notices.map((notice) => notice.text)).toContain(
      `The simulation worker stopped (it threw "Uncaught Error: test"). DistSim restarted it and reopened your run at t = ${seconds} s; nothing was lost.`,
    );
    // The speed was restored too (a new host starts at 1×).
    expect(state().frame?.speed).toBe(2);
    controller.dispose();
  });

  it('shows the crashed phase with the reason when the worker keeps crashing', async () => {
    const hosts: ReturnType<typeof crashableHost>[] = [];
    const client = new SimClient(
      () => {
        const host = crashableHost();
        hosts.push(host);
        return host;
      },
      { scheduler: new ManualScheduler() },
    );
    const controller = new SimController(client, new FakeEnv());
    await controller.start('#/leader-election');
    hosts[0]?.crash('first');
    // The second crash comes while the run is being reopened.
    hosts[1]?.crash('second');
    await settle();
    expect(state().phase).toBe('crashed');
    expect(controller.crashReason).toMatch(
      /^The simulation worker stopped \(second\)\. It stopped again while DistSim was reopening your run/,
    );
    controller.dispose();
  });

  it('follows its URL: a pasted link or Back opens the run it names; picking a pattern adds an entry', async () => {
    const { controller, env } = makeController();
    await controller.start('#/circuit-breaker');
    const breakerFragment = env.fragment;
    await controller.selectScenario('sharding');
    expect(state().view?.meta.id).toBe('sharding');
    expect(env.history).toEqual([breakerFragment]);
    // A fragment the controller wrote itself is not news.
    await controller.followUrl(env.fragment);
    expect(state().view?.meta.id).toBe('sharding');
    // Back: the browser shows the earlier entry and says so with a hashchange.
    env.fragment = env.history.pop() ?? '';
    await controller.followUrl(env.fragment);
    expect(state().view?.meta.id).toBe('circuit-breaker');
    // A link to another run pasted into the address bar.
    const pasted = fragmentFor(
      {
        scenarioId: 'pub-sub',
        scenarioVersion: scenarios.find((each) => each.id === 'pub-sub')?.version ?? 0,
        seed: 9,
        variant: 'baseline',
        params: {},
        commands: [],
      },
      0,
    );
    env.fragment = pasted;
    await controller.followUrl(pasted);
    expect(state().view?.run).toMatchObject({
      scenarioId: 'pub-sub',
      seed: 9,
      variant: 'baseline',
    });
    controller.dispose();
  });

  it('builds fragments that name the scenario', () => {
    const run = {
      scenarioId: 'leader-election',
      scenarioVersion: 1,
      seed: 3,
      variant: 'pattern' as const,
      params: {},
      commands: [],
    };
    expect(fragmentFor(run, 0)).toMatch(/^#\/leader-election\?run=[A-Za-z0-9_-]+$/);
  });
});
