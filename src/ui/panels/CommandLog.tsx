import { useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useController } from '../state/context.ts';
import { useSimStore } from '../state/store.ts';
import {
  type CommandTextContext,
  recordedCommandText,
  removeCommandLabel,
} from '../../worker/commandText.ts';
import './panels.css';

/** The run's command log in words; removing an entry replays the run without it. */
export function CommandLog() {
  const controller = useController();
  const titleId = useId();
  const commands = useSimStore((state) => state.commands);
  const meta = useSimStore((state) => state.view?.meta);
  const nodeIds = useSimStore(
    useShallow((state) => state.view?.topology.nodes.map((node) => node.id) ?? []),
  );
  const [isRemoving, setRemoving] = useState(false);
  const context: CommandTextContext = meta === undefined ? { nodeIds } : { nodeIds, meta };

  const remove = async (index: number): Promise<void> => {
    setRemoving(true);
    try {
      await controller.removeCommand(index);
    } finally {
      setRemoving(false);
    }
  };

  return (
    <section className="panel command-log" aria-labelledby={titleId}>
      <h2 id={titleId}>
        Command log <span className="muted heading-note">({commands.length})</span>
      </h2>
      {commands.length === 0 ? (
        <p className="muted hint">
          No commands yet. Faults and changes you make (kill a node, partition, link settings) are
          listed here with the time they took effect.
        </p>
      ) : (
        <>
          <ol className="command-list">
            {commands.map((entry, index) => (
              <li key={`${index}:${entry.atUs}:${entry.command.type}`}>
                <span className="command-text">{recordedCommandText(entry, context)}</span>
                <button
                  type="button"
                  className="small"
                  aria-label={removeCommandLabel(entry, context)}
                  title={
                    isRemoving
                      ? 'Replaying the run without the last removed entry…'
                      : 'Remove this entry; the run replays without it.'
                  }
                  disabled={isRemoving}
                  onClick={() => void remove(index)}
                >
                  Remove
                </button>
              </li>
            ))}
          </ol>
          <p className="help muted">Removing an entry replays the run from the start without it.</p>
        </>
      )}
    </section>
  );
}
