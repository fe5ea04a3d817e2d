import { useId } from 'react';
import { useSimStore } from '../state/store.ts';
import { threeColumnQuery, useMediaQuery } from '../state/useMediaQuery.ts';
import { LinkInspector } from './LinkInspector.tsx';
import { NodeInspector } from './NodeInspector.tsx';
import './panels.css';

/**
 * The selected node or link: its facts, the faults that apply to it, and its state. On one
 * column (a phone, a narrow window) the panels are far below the topology, so a selection opens
 * the inspector as a sheet over the bottom of the screen, with a Close button: the tapped node
 * stays in view above it and the page does not move.
 */
export function Inspector() {
  const selection = useSimStore((state) => state.selection);
  const isOneColumn = !useMediaQuery(threeColumnQuery, true);
  const titleId = useId();
  const isSheet = isOneColumn && selection !== null;
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
    <section
      className={isSheet ? 'panel inspector is-sheet' : 'panel inspector'}
      aria-labelledby={titleId}
      onKeyDown={
        isSheet
          ? (event) => {
              if (event.key === 'Escape') useSimStore.getState().select(null);
            }
          : undefined
      }
    >
      <div className="inspector-head">
        <h2 id={titleId}>Inspector</h2>
        {isSheet ? (
          <button
            type="button"
            className="small"
            aria-label="Close the inspector"
            onClick={() => {
              useSimStore.getState().select(null);
            }}
          >
            Close
          </button>
        ) : null}
      </div>
      {body}
    </section>
  );
}
