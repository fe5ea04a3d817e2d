import { useState } from 'react';
import { describeValue } from './stateTree.ts';

interface StateTreeProps {
  readonly value: unknown;
  /** Branches at this depth or shallower start open. */
  readonly openDepth?: number;
}

/**
 * A node's state as a collapsible tree. Closed branches render nothing inside, so only what the
 * person opens costs anything, whatever the size of the state.
 */
export function StateTree({ value, openDepth = 1 }: StateTreeProps) {
  const item = describeValue(value);
  if (item.kind === 'leaf') return <code className="tree-leaf">{item.text}</code>;
  return (
    <ul className="tree">
      <TreeEntries value={value} depth={0} openDepth={openDepth} />
    </ul>
  );
}

interface TreeEntriesProps {
  readonly value: unknown;
  readonly depth: number;
  readonly openDepth: number;
}

function TreeEntries({ value, depth, openDepth }: TreeEntriesProps) {
  const item = describeValue(value);
  if (item.kind === 'leaf') return null;
  return (
    <>
      {item.entries.map(([key, child]) => (
        <TreeRow key={key} name={key} value={child} depth={depth} openDepth={openDepth} />
      ))}
      {item.hiddenCount > 0 ? (
        <li className="tree-more muted">… {item.hiddenCount} more not shown</li>
      ) : null}
    </>
  );
}

interface TreeRowProps {
  readonly name: string;
  readonly value: unknown;
  readonly depth: number;
  readonly openDepth: number;
}

function TreeRow({ name, value, depth, openDepth }: TreeRowProps) {
  const [isOpen, setOpen] = useState(depth < openDepth);
  const item = describeValue(value);
  if (item.kind === 'leaf') {
    return (
      <li>
        <span className="tree-key">{name}:</span> <code className="tree-leaf">{item.text}</code>
      </li>
    );
  }
  return (
    <li>
      <details
        open={isOpen}
        onToggle={(event) => {
          setOpen(event.currentTarget.open);
        }}
      >
        <summary>
          <span className="tree-key">{name}:</span> <span className="muted">{item.summary}</span>
        </summary>
        {isOpen ? (
          <ul className="tree">
            <TreeEntries value={value} depth={depth + 1} openDepth={openDepth} />
          </ul>
        ) : null}
      </details>
    </li>
  );
}
