import { cleanup, render, type RenderResult } from '@testing-library/react';
import { createElement, type ReactElement } from 'react';
import type { Frame, NodeFrame, ScenarioMeta, TopologyMeta } from '../../worker/protocol.ts';
import { ControllerContext } from '../state/context.ts';
import type { SimController } from '../state/controller.ts';
import { initialState, useSimStore, type RunView, type SimStoreState } from '../state/store.ts';

/**
 * Shared data for component tests: a realistic loaded run (three servers, one live and one
 * restart-only parameter, one scenario fault, a two-step tour whose first step asks a question),
 * a frame builder, and a render helper that provides a fake controller. The fakes implement only
 * what a component calls, so a component that starts calling something new fails loudly.
 */

export const fixtureMeta: ScenarioMeta = {
  id: 'fixture-cluster',
  version: 1,
  title: 'Fixture cluster',
  summary: 'Three servers elect a leader.',
  baselineLabel: 'no terms',
  instrumentTitle: null,
  defaultSpeed: 1,
  baselineSummary: 'Servers elect without terms.',
  params: {
    heartbeatMs: {
      label: 'Heartbeat interval',
      default: 50,
      min: 10,
      max: 500,
      step: 10,
      unit: 'ms',
      help: 'How often the leader says it is alive.',
      isLive: true,
    },
    nodeCount: {
      label: 'Servers',
      default: 3,
      min: 3,
      max: 9,
      step: 2,
      unit: '',
      help: 'How many servers the cluster has.',
    },
  },
  metrics: [
    { name: 'leaders', unit: '', description: 'Servers that think they lead.', aggregate: 'max' },
  ],
  invariants: [
    { id: 'one-leader', kind: 'safety', description: 'At most one leader per term.' },
    { id: 'leader-elected', kind: 'liveness', description: 'A leader is elected after healing.' },
    { id: 'log-matches', kind: 'safety', description: 'Committed logs agree.' },
  ],
  faults: [
    {
      id: 'slow-disk',
      label: 'Slow disk',
      help: 'Every write to disk takes this long.',
      roles: ['server'],
      args: {
        delayMs: {
          label: 'Delay',
          default: 50,
          min: 1,
          max: 1000,
          step: 1,
          unit: 'ms',
          help: 'Extra time per write.',
        },
      },
    },
  ],
  moments: [
    { id: 'leader-elected', label: 'Leader elected' },
    { id: 'leader-lost', label: 'Leader lost' },
  ],
  tour: [
    {
      id: 'kill-leader',
      title: 'Kill the leader',
      narration: 'The leader n1 is killed. Watch the followers.',
      hasActions: true,
      waitFor: { description: 'a new leader is elected', timeoutMs: 5000 },
      question: {
        prompt: 'What happens next?',
        choices: ['Nothing', 'A follower times out and is elected'],
        answerIndex: 1,
        explanation: 'Followers stop hearing heartbeats, time out and start an election.',
      },
      speed: 2,
      comparesWithBaseline: false,
    },
    {
      id: 'recap',
      title: 'Recap',
      narration: 'Terms keep two leaders from acting at once.',
      hasActions: false,
      waitFor: null,
      question: null,
      speed: null,
      comparesWithBaseline: true,
    },
  ],
};

export const fixtureTopology: TopologyMeta = {
  nodes: [
    { id: 'n1', role: 'server', layout: { x: 0.5, y: 0 } },
    { id: 'n2', role: 'server', layout: { x: 0, y: 1 } },
    { id: 'n3', role: 'server', layout: { x: 1, y: 1 } },
  ],
  links: [
    [0, 1],
    [1, 0],
    [0, 2],
    [2, 0],
    [1, 2],
    [2, 1],
  ],
};

export const fixtureView: RunView = {
  meta: fixtureMeta,
  topology: fixtureTopology,
  run: {
    scenarioId: 'fixture-cluster',
    scenarioVersion: 1,
    seed: 7,
    variant: 'pattern',
    params: {},
    commands: [],
  },
};

/** n1 leads term 2, n2 follows, n3 is crashed. */
export const fixtureNodes: readonly NodeFrame[] = [
  { status: 'up', label: 'leader', badge: 'term 2', health: 'ok' },
  { status: 'up', label: 'follower', badge: 'term 2', health: 'ok' },
  { status: 'crashed', label: '', badge: '', health: 'bad' },
];

/** A frame with empty bulk arrays; override what a test is about. */
export function makeFrame(overrides: Partial<Frame> = {}): Frame {
  const timeUs = overrides.timeUs ?? 2_456_789;
  return {
    seq: 1,
    timeUs,
    frontierUs: Math.max(timeUs, overrides.frontierUs ?? 0),
    eventCount: 120,
    traceHash: '0123456789abcdef',
    isPlaying: false,
    speed: 1,
    nodes: fixtureNodes,
    inFlight: new Float64Array(0),
    inFlightTypes: [],
    trace: {
      firstIndex: 0,
      times: new Float64Array(0),
      values: new Float64Array(0),
      messageIds: new Float64Array(0),
      ints: new Int32Array(0),
      labels: [],
    },
    traceTotal: 120,
    metricSamples: new Float64Array(0),
    invariants: [],
    commandCount: 0,
    commandsApplied: 0,
    cutLinks: new Int32Array(0),
    usualLink: {
      latency: { kind: 'uniform', minUs: 800, maxUs: 1200 },
      lossProbability: 0,
      duplicateProbability: 0,
    },
    linkSettings: [],
    tour: null,
    violationStop: null,
    moments: null,
    instrument: null,
    ...overrides,
  };
}

/** Resets the store to its initial state, then loads the fixture run and a first frame. */
export function seedStore(overrides: Partial<SimStoreState> = {}): void {
  useSimStore.setState({
    ...initialState,
    phase: 'ready',
    view: fixtureView,
    frame: makeFrame(),
    ...overrides,
  });
}

/** Unmounts what a test rendered and puts the store back as the page starts. */
export function resetAfterTest(): void {
  cleanup();
  useSimStore.setState(initialState);
}

/**
 * Renders `ui` under a ControllerContext holding `fake`. The cast is the point: the fake has
 * only the methods the component under test calls.
 */
export function renderWithController(ui: ReactElement, fake: object): RenderResult {
  return render(
    createElement(ControllerContext.Provider, { value: fake as unknown as SimController }, ui),
  );
}
