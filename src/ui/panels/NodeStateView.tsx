import { StateTree } from './StateTree.tsx';
import { useInspection } from './useInspection.ts';

interface NodeStateViewProps {
  readonly node: number;
}

/** The node's full state as the worker reports it, refreshed while the run moves. */
export function NodeStateView({ node }: NodeStateViewProps) {
  const inspection = useInspection(node);
  if (inspection === null) return <p className="muted help">Reading the node’s state…</p>;
  return (
    <div className="node-state">
      <div className="subsection">
        <h3>State</h3>
        <p className="local-clock">
          Local clock: <span className="mono">{(inspection.localTimeUs / 1000).toFixed(3)} ms</span>
        </p>
        {inspection.status === 'crashed' ? (
          <p className="muted help">None: a crashed node keeps only its durable state.</p>
        ) : (
          <StateTree value={inspection.state} />
        )}
      </div>
      <div className="subsection">
        <h3>
          Durable state <span className="muted heading-note">(survives a crash)</span>
        </h3>
        <StateTree value={inspection.durable} />
      </div>
    </div>
  );
}
