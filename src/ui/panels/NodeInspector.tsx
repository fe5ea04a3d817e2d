import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { pauseMsMax } from '../../engine/commandApply.ts';
import { useController } from '../state/context.ts';
import { useSimStore } from '../state/store.ts';
import { hasUnreadableNumber, parseOptionalNumber } from './formValues.ts';
import { type NodeFacts, statusWords } from './nodeFacts.ts';
import { ScenarioFaults, SkewForm } from './NodeFaultForms.tsx';
import { NodeStateView } from './NodeStateView.tsx';
import { NumberField } from './NumberField.tsx';

function useNodeFacts(index: number): NodeFacts | null {
  return useSimStore(
    useShallow((state) => {
      const meta = state.view?.topology.nodes[index];
      if (meta === undefined) return null;
      const frame = state.frame?.nodes[index];
      return {
        index,
        id: meta.id,
        role: meta.role,
        status: frame?.status ?? 'up',
        label: frame?.label ?? '',
        badge: frame?.badge ?? '',
      };
    }),
  );
}

interface NodeInspectorProps {
  readonly node: number;
}

/** The selected node: who it is, what can be done to it, and its full state. */
export function NodeInspector({ node }: NodeInspectorProps) {
  const facts = useNodeFacts(node);
  if (facts === null) return <p className="muted">That node is not part of this run.</p>;
  const status = statusWords[facts.status];
  const shows = [facts.label, facts.badge].filter((part) => part !== '').join(', ');
  return (
    <div className="inspector-body">
      <dl className="facts">
        <dt>Node</dt>
        <dd>
          <strong>{facts.id}</strong>
        </dd>
        <dt>Role</dt>
        <dd>{facts.role}</dd>
        <dt>Status</dt>
        <dd className={`status status-${facts.status}`}>
          <span aria-hidden="true">{status.icon}</span> {status.text}
        </dd>
        {shows === '' ? null : (
          <>
            <dt>Shows</dt>
            <dd>{shows}</dd>
          </>
        )}
      </dl>
      <NodeActions facts={facts} />
      <SkewForm nodeId={facts.id} />
      <ScenarioFaults facts={facts} />
      <NodeStateView node={node} />
    </div>
  );
}

function NodeActions({ facts }: { readonly facts: NodeFacts }) {
  const controller = useController();
  const { id, status } = facts;
  const isDown = status === 'crashed';
  const [pauseMs, setPauseMs] = useState('500');
  const [pauseError, setPauseError] = useState<string | undefined>(undefined);
  const pause = (): void => {
    const parsed = parseOptionalNumber(pauseMs, {
      label: 'Pause duration',
      min: 1,
      max: pauseMsMax,
      unit: 'ms',
    });
    if (!parsed.isValid) {
      setPauseError(parsed.error);
      return;
    }
    setPauseError(undefined);
    void controller.command(
      parsed.value === null
        ? { type: 'node.pause', node: id }
        : { type: 'node.pause', node: id, durationMs: parsed.value },
    );
  };
  return (
    <div className="node-actions">
      <div className="button-row">
        <button
          type="button"
          disabled={isDown}
          title={
            isDown
              ? `${id} is already down.`
              : `Crash ${id}: it stops and forgets all but its durable state.`
          }
          onClick={() => void controller.command({ type: 'node.crash', node: id })}
        >
          Kill node
        </button>
        <button
          type="button"
          disabled={status === 'up'}
          title={
            status === 'up'
              ? `${id} is running; kill or pause it first.`
              : `Start ${id} again from its durable state.`
          }
          onClick={() => void controller.command({ type: 'node.restart', node: id })}
        >
          Restart node
        </button>
        <button
          type="button"
          disabled={status !== 'paused'}
          title={status === 'paused' ? `Let ${id} run again.` : `${id} is not paused.`}
          onClick={() => void controller.command({ type: 'node.resume', node: id })}
        >
          Resume node
        </button>
      </div>
      <form
        noValidate
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (!hasUnreadableNumber(event.currentTarget)) pause();
        }}
      >
        <NumberField
          label="Pause for"
          unit="ms"
          value={pauseMs}
          onChange={setPauseMs}
          min={1}
          max={pauseMsMax}
          step={10}
          placeholder="until resumed"
          help="Leave blank to pause until resumed."
          error={pauseError}
        />
        <button
          type="submit"
          disabled={status !== 'up'}
          title={
            status === 'up'
              ? `Freeze ${id} (a long GC pause): it keeps its state but handles nothing.`
              : `${id} is not running.`
          }
        >
          Pause node
        </button>
      </form>
    </div>
  );
}
