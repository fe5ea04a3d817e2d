import { useCallback, useMemo, useState, type KeyboardEvent } from 'react';
import type { ScenarioViewHints } from '../../scenarios/viewHints.ts';
import { useNodes } from '../state/selectors.ts';
import { useSimStore } from '../state/store.ts';
import type { Point } from './layout.ts';
import type { CaptionPlace } from './captionRoom.ts';
import { NodeGlyph } from './NodeGlyph.tsx';
import { focusSibling } from './roving.ts';
import { captionCharsMax, glyphCharsFor, glyphFontPx, glyphLabels } from './shapes.ts';

const belowFull = { side: 'below', chars: captionCharsMax } as const;

export interface NodeGlyphsProps {
  readonly points: readonly Point[];
  readonly radius: number;
  /** Where each node's caption goes and how much of it fits (captionRoom.ts). */
  readonly captions: readonly CaptionPlace[];
  readonly hints: ScenarioViewHints | undefined;
  readonly draftNoteId: string;
}

/**
 * The nodes. Keyboard: one tab stop for the group (roving tabindex); arrow keys move to the
 * next or previous node in topology order (wrapping), Home and End to the first and last; Enter
 * or Space selects the node, Shift+Enter or Shift+click adds it to or removes it from the
 * partition draft.
 */
export function NodeGlyphs({ points, radius, captions, hints, draftNoteId }: NodeGlyphsProps) {
  const nodes = useNodes();
  const selection = useSimStore((state) => state.selection);
  const draft = useSimStore((state) => state.partitionDraft);
  const highlighted = useSimStore((state) => state.highlighted);
  const [active, setActive] = useState(0);
  const count = nodes.length;

  const onActivate = useCallback((node: number, isTogglingDraft: boolean) => {
    const store = useSimStore.getState();
    if (isTogglingDraft) store.togglePartitionNode(node);
    else store.select({ kind: 'node', node });
  }, []);
  const onKeyDown = useCallback(
    (event: KeyboardEvent<SVGGElement>, node: number) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        event.stopPropagation();
        onActivate(node, event.shiftKey);
        return;
      }
      focusSibling(event, node, count, 'data-node-index');
    },
    [count, onActivate],
  );

  const ids = useMemo(() => nodes.map((node) => node.id).join('\n'), [nodes]);
  const glyphTexts = useMemo(
    () =>
      glyphLabels(ids === '' ? [] : ids.split('\n'), glyphCharsFor(radius, glyphFontPx(radius))),
    [ids, radius],
  );

  const tabStop = Math.min(active, Math.max(0, count - 1));
  return (
    <g className="topology-nodes" role="group" aria-label="Nodes">
      {nodes.map((node) => {
        const point = points[node.index];
        if (point === undefined) return null;
        return (
          <NodeGlyph
            key={node.id}
            index={node.index}
            id={node.id}
            glyphText={glyphTexts[node.index] ?? node.id}
            label={node.label}
            badge={node.badge}
            status={node.status}
            health={node.health}
            accessibleName={node.accessibleName}
            x={point.x}
            y={point.y}
            radius={radius}
            caption={captions[node.index] ?? belowFull}
            shape={hints?.roles[node.role]?.shape ?? 'circle'}
            fill={hints?.stateColours[node.label]}
            isSelected={selection?.kind === 'node' && selection.node === node.index}
            isInDraft={draft.includes(node.index)}
            isHighlighted={highlighted.includes(node.index)}
            tabIndex={node.index === tabStop ? 0 : -1}
            draftNoteId={draftNoteId}
            onActivate={onActivate}
            onKeyDown={onKeyDown}
            onFocus={setActive}
          />
        );
      })}
    </g>
  );
}
