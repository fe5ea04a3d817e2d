import { useEffect, useRef, useState } from 'react';
import type { Command } from '../engine/types.ts';
import { HostError, SimClient, type Loaded } from '../worker/client.ts';
import type { Frame } from '../worker/protocol.ts';
import { createWorkerTransport } from '../worker/workerTransport.ts';
import { installTestHook } from './testHook.ts';

/**
 * A first, plain view of a real run: Leader Election simulated in the Web Worker, with its
 * nodes' roles and terms, the simulated time and the run's fingerprint. The full app (topology,
 * animation, fault tools, tours) replaces it.
 */
export function LiveRun() {
  const clientRef = useRef<SimClient | null>(null);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [frame, setFrame] = useState<Frame | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const client = new SimClient(createWorkerTransport());
    clientRef.current = client;
    installTestHook(client);
    const stopFrames = client.onFrame(setFrame);
    const stopErrors = client.onError((failure) => {
      setError(failure.message);
    });
    client
      .load({
        scenarioId: 'leader-election',
        seed: 1,
        variant: 'pattern',
        params: {},
        commands: [],
      })
      .then((result) => {
        setLoaded(result);
        client.play();
      })
      .catch((failure: unknown) => {
        setError(failure instanceof HostError ? failure.message : String(failure));
      });
    return () => {
      stopFrames();
      stopErrors();
      client.close();
      clientRef.current = null;
    };
  }, []);

  const send = (command: Command): void => {
    clientRef.current?.command(command).catch((failure: unknown) => {
      setError(failure instanceof Error ? failure.message : String(failure));
    });
  };

  if (error !== null) {
    return (
      <p role="alert" className="live-error">
        The simulation stopped: {error}
      </p>
    );
  }
  if (loaded === null || frame === null) return <p aria-live="polite">Starting the simulation…</p>;

  const nodes = loaded.topology.nodes.map((node, index) => ({ ...node, ...frame.nodes[index] }));
  const leader = nodes.find((node) => node.label === 'leader' && node.status === 'up');
  const down = nodes.filter((node) => node.status === 'crashed');
  return (
    <section aria-labelledby="live-heading" className="live">
      <h2 id="live-heading">Live: {loaded.meta.title}</h2>
      <p>{loaded.meta.summary}</p>
      <div className="live-controls">
        <button
          type="button"
          onClick={() => {
            if (frame.isPlaying) clientRef.current?.pause();
            else clientRef.current?.play();
          }}
        >
          {frame.isPlaying ? 'Pause' : 'Play'}
        </button>
        <button
          type="button"
          disabled={leader === undefined}
          onClick={() => {
            if (leader !== undefined) send({ type: 'node.crash', node: leader.id });
          }}
        >
          Kill the leader
        </button>
        <button
          type="button"
          disabled={down.length === 0}
          onClick={() => {
            for (const node of down) send({ type: 'node.restart', node: node.id });
          }}
        >
          Restart crashed nodes
        </button>
      </div>
      <dl className="live-facts">
        <dt>Simulated time</dt>
        <dd data-testid="sim-time">{(frame.timeUs / 1000).toFixed(1)} ms</dd>
        <dt>Events</dt>
        <dd>{frame.eventCount}</dd>
        <dt>Run fingerprint</dt>
        <dd data-testid="trace-hash">
          <code>{frame.traceHash}</code>
        </dd>
      </dl>
      <ul className="live-nodes" aria-label="Nodes">
        {nodes.map((node) => (
          <li
            key={node.id}
            className={`live-node health-${node.status === 'crashed' ? 'down' : (node.health ?? 'ok')}`}
          >
            {node.id}, {node.status === 'crashed' ? 'down' : node.label}
            {node.badge ? `, ${node.badge}` : ''}
          </li>
        ))}
      </ul>
      <ul className="live-invariants" aria-label="Invariants">
        {frame.invariants.map((result) => (
          <li key={result.id}>
            {result.violations > 0 ? '✗' : '✓'} {result.description}
          </li>
        ))}
      </ul>
    </section>
  );
}
