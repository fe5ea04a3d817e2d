import './app.css';
import { LiveRun } from './LiveRun.tsx';

type PatternStatus = 'in-progress' | 'coming-soon';

interface Pattern {
  name: string;
  summary: string;
  status: PatternStatus;
}

/** The eight patterns, in the order of SCENARIOS.md. A placeholder until the registry exists. */
const patterns: readonly Pattern[] = [
  {
    name: 'Ambassador',
    summary: 'A helper beside each client handles timeouts, retries and load balancing for it.',
    status: 'coming-soon',
  },
  {
    name: 'Circuit Breaker',
    summary: 'Stop calling a failing dependency, fail fast, and probe until it recovers.',
    status: 'coming-soon',
  },
  {
    name: 'CQRS',
    summary: 'Writes and reads take separate paths and scale apart, at the price of stale reads.',
    status: 'coming-soon',
  },
  {
    name: 'Event Sourcing',
    summary: 'Every change is an event in an append-only log; state is rebuilt by replaying it.',
    status: 'coming-soon',
  },
  {
    name: 'Leader Election',
    summary: 'Nodes agree on exactly one leader, and elect a new one when it fails.',
    status: 'in-progress',
  },
  {
    name: 'Pub/Sub',
    summary: 'Publishers send to a topic; every subscriber gets every message, decoupled.',
    status: 'coming-soon',
  },
  {
    name: 'Sharding',
    summary: 'Data is split across nodes by key, so each node holds and serves only a part.',
    status: 'coming-soon',
  },
  {
    name: 'Strangler Fig',
    summary: 'A facade moves traffic from a legacy system to its replacement, one slice at a time.',
    status: 'coming-soon',
  },
];

const statusLabel: Record<PatternStatus, string> = {
  'in-progress': 'In progress',
  'coming-soon': 'Coming soon',
};

export function App() {
  return (
    <div className="page">
      <header className="masthead">
        <h1>DistSim</h1>
        <p className="lede">
          See distributed systems work and fail. Pick a pattern, watch its messages flow between
          nodes, then break things on purpose: kill a node, cut the network, slow a link. See
          whether the pattern copes, and share a link that replays exactly what you saw.
        </p>
      </header>
      <main>
        <section aria-labelledby="patterns-heading">
          <h2 id="patterns-heading">Patterns</h2>
          <ul className="patterns">
            {patterns.map((pattern) => (
              <li key={pattern.name} className="pattern">
                <div className="pattern-title">
                  <h3>{pattern.name}</h3>
                  <span className={`status status-${pattern.status}`}>
                    {statusLabel[pattern.status]}
                  </span>
                </div>
                <p>{pattern.summary}</p>
              </li>
            ))}
          </ul>
        </section>
        <LiveRun />
      </main>
      <footer className="footer">
        <p>DistSim is in early development: the patterns arrive one at a time.</p>
      </footer>
    </div>
  );
}
