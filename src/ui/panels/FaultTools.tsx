import { useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useController } from '../state/context.ts';
import { useSimStore } from '../state/store.ts';
import './panels.css';

/**
 * Network-wide faults: partition the picked nodes from the rest, isolate the selected node, heal.
 * Nodes are picked with Shift+click in the topology or with the checkboxes here (the keyboard
 * path); both edit the same partition draft.
 */
export function FaultTools() {
  const controller = useController();
  const titleId = useId();
  const hintId = useId();
  const nodeIds = useSimStore(
    useShallow((state) => state.view?.topology.nodes.map((node) => node.id) ?? []),
  );
  const draft = useSimStore((state) => state.partitionDraft);
  const selection = useSimStore((state) => state.selection);
  const clearPartitionDraft = (): void => {
    useSimStore.getState().clearPartitionDraft();
  };
  const picked = nodeIds.filter((_, index) => draft.includes(index));
  const selectedId = selection?.kind === 'node' ? nodeIds[selection.node] : undefined;
  const partitionProblem =
    picked.length === 0
      ? 'Pick at least one node first (Shift+click it, or tick it below).'
      : picked.length === nodeIds.length
        ? 'Leave at least one node out: a partition splits the picked nodes from the rest.'
        : null;

  const partition = async (): Promise<void> => {
    await controller.command({ type: 'net.partition', groups: [picked] });
    clearPartitionDraft();
  };

  return (
    <section className="panel fault-tools" aria-labelledby={titleId}>
      <h2 id={titleId}>Network faults</h2>
      <p id={hintId} className="help muted">
        Shift+click nodes in the topology (or tick them here) to pick a group, then cut it off from
        the rest.
      </p>
      <fieldset className="node-picks">
        <legend>Partition group</legend>
        {nodeIds.map((id, index) => (
          <label key={id} className="check node-pick">
            <input
              type="checkbox"
              checked={draft.includes(index)}
              onChange={() => {
                useSimStore.getState().togglePartitionNode(index);
              }}
            />
            {id}
          </label>
        ))}
      </fieldset>
      <p className="draft-summary" aria-live="polite">
        {picked.length === 0 ? 'No nodes picked.' : `Picked: ${picked.join(', ')}`}
      </p>
      <div className="button-row">
        <button
          type="button"
          className="primary"
          disabled={partitionProblem !== null}
          title={partitionProblem ?? `Cut ${picked.join(', ')} off from the other nodes.`}
          aria-describedby={hintId}
          onClick={() => void partition()}
        >
          Partition selected nodes
        </button>
        <button
          type="button"
          disabled={picked.length === 0}
          title={picked.length === 0 ? 'No nodes are picked.' : 'Unpick every node.'}
          onClick={clearPartitionDraft}
        >
          Clear picks
        </button>
      </div>
      <div className="button-row">
        <button
          type="button"
          disabled={selectedId === undefined}
          title={
            selectedId === undefined
              ? 'Select a node first (click it in the topology).'
              : `Cut ${selectedId} off from every other node.`
          }
          onClick={() => {
            if (selectedId !== undefined)
              void controller.command({ type: 'net.isolate', node: selectedId });
          }}
        >
          Isolate node
        </button>
        <button
          type="button"
          title="Undo every partition, cut, held link and link setting."
          onClick={() => void controller.command({ type: 'net.heal' })}
        >
          Heal network
        </button>
      </div>
    </section>
  );
}
