import { useId } from 'react';
import { useSimStore } from '../state/store.ts';
import { LinkInspector } from './LinkInspector.tsx';
import { NodeInspector } from './NodeInspector.tsx';
import './panels.css';

/** The selected node or link: its facts, the faults that apply to it, and its state. */
export function Inspector() {
  const selection = useSimStore((state) => state.selection);
  const titleId = useId();
  let body;
  if (selection === null) {
    body = (
      <p className="muted hint">
        Click a node to inspect it, or a link to change its latency and loss.
      </p>
    );
  } else if (selection.kind === 'node') {
    body = <NodeInspector key={selection.node} node={selection.node} />;
  } else {
    body = (
      <LinkInspector
        key={`${selection.from}-${selection.to}`}
        from={selection.from}
        to={selection.to}
      />
    );
  }
  return (
    <section className="panel inspector" aria-labelledby={titleId}>
      <h2 id={titleId}>Inspector</h2>
      {body}
    </section>
  );
}
