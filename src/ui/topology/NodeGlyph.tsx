import { memo, type KeyboardEvent, type MouseEvent } from 'react';
import type { NodeFrame } from '../../worker/protocol.ts';
import {
  captionCharPx,
  type CaptionPlace,
  type CaptionSide,
  sideCaptionGapPx,
} from './captionRoom.ts';
import { clipped, glyphFontPx, inkOn, shapePath, type NodeShape } from './shapes.ts';

export interface NodeGlyphProps {
  readonly index: number;
  readonly id: string;
  /** The id as it fits inside the glyph (`glyphLabels`, unique within the view). */
  readonly glyphText: string;
  readonly label: string;
  readonly badge: string;
  readonly status: NodeFrame['status'];
  readonly health: NodeFrame['health'];
  /** "n3, leader, term 4" */
  readonly accessibleName: string;
  readonly x: number;
  readonly y: number;
  readonly radius: number;
  /** Where the caption goes and how many of its characters fit there (captionRoom.ts). */
  readonly caption: CaptionPlace;
  readonly shape: NodeShape;
  /** Fill from the scenario's state colours; undefined draws the neutral fill. */
  readonly fill: string | undefined;
  readonly isSelected: boolean;
  readonly isInDraft: boolean;
  readonly isHighlighted: boolean;
  readonly tabIndex: 0 | -1;
  /** Id of the hidden text that says a node is in the partition draft. */
  readonly draftNoteId: string;
  readonly onActivate: (node: number, isTogglingDraft: boolean) => void;
  readonly onKeyDown: (event: KeyboardEvent<SVGGElement>, node: number) => void;
  readonly onFocus: (node: number) => void;
}

/**
 * One node: its role's shape filled by its state colour, a health ring, the id inside and the
 * label and badge underneath. It is a button for assistive technology, named by the node's
 * accessible name ("n3, leader, term 4"). Props are plain values so that a frame that leaves
 * a node unchanged does not re-render it.
 */
export const NodeGlyph = memo(function NodeGlyph(props: NodeGlyphProps) {
  const { index, radius, shape, fill, isSelected, isInDraft, isHighlighted } = props;
  const classes = [
    'topology-node',
    `health-${props.health}`,
    props.status === 'crashed' ? 'is-crashed' : '',
    props.status === 'paused' ? 'is-paused' : '',
    isSelected ? 'is-selected' : '',
    isInDraft ? 'is-in-draft' : '',
    isHighlighted ? 'is-highlighted' : '',
  ].join(' ');
  const caption = [props.label, props.badge, props.status === 'paused' ? 'paused' : '']
    .filter((part) => part !== '')
    .join(' · ');
  const onClick = (event: MouseEvent<SVGGElement>) => {
    event.stopPropagation();
    props.onActivate(index, event.shiftKey);
  };
  return (
    <g
      className={classes}
      transform={`translate(${props.x},${props.y})`}
      role="button"
      tabIndex={props.tabIndex}
      aria-label={props.accessibleName}
      aria-current={isSelected ? 'true' : undefined}
      aria-describedby={isInDraft ? props.draftNoteId : undefined}
      data-node-index={index}
      onClick={onClick}
      onKeyDown={(event) => {
        props.onKeyDown(event, index);
      }}
      onFocus={() => {
        props.onFocus(index);
      }}
    >
      <path className="node-focus" d={shapePath(shape, radius + 16)} />
      {isHighlighted ? <path className="node-glow" d={shapePath(shape, radius + 6)} /> : null}
      {isInDraft ? <path className="node-draft" d={shapePath(shape, radius + 11)} /> : null}
      {isSelected ? <path className="node-selected" d={shapePath(shape, radius + 9)} /> : null}
      <path className="node-health" d={shapePath(shape, radius + 2.5)} />
      {/* An opaque backing, so links do not show through a dimmed (crashed) node. */}
      <path className="node-backing" d={shapePath(shape, radius)} />
      <path
        className={fill === undefined ? 'node-body node-body-neutral' : 'node-body'}
        d={shapePath(shape, radius)}
        style={fill === undefined ? undefined : { fill }}
      />
      {/* A crashed node's fill is dimmed, so its id takes the theme's text colour instead. */}
      <NodeId
        text={props.glyphText}
        radius={radius}
        ink={fill === undefined || props.status === 'crashed' ? undefined : inkOn(fill)}
      />
      {props.status === 'paused' ? <PauseMark radius={radius} /> : null}
      {/* Keeps the id and the caption apart in the text content, as they are in the name. */}{' '}
      {caption !== '' && (props.caption.side === 'left' || props.caption.side === 'right') ? (
        <CaptionHitArea side={props.caption.side} radius={radius} chars={props.caption.chars} />
      ) : null}
      {caption === '' ? null : (
        // One line, cut with an ellipsis where it would run into a neighbour's caption or glyph;
        // the full text is in the title and the accessible name.
        <text className="node-caption" {...captionPosition(props.caption.side, radius)}>
          <title>{caption}</title>
          {clipped(caption, props.caption.chars)}
        </text>
      )}
    </g>
  );
});

/** The caption's anchor: centred under the node, or beside it, level with its centre. */
function captionPosition(side: CaptionSide, radius: number) {
  if (side === 'below') return { y: radius + 20, textAnchor: 'middle' } as const;
  if (side === 'lower') return { y: radius + 37, textAnchor: 'middle' } as const;
  const x = radius + sideCaptionGapPx;
  return side === 'left'
    ? ({ x: -x, y: 4, textAnchor: 'end' } as const)
    : ({ x, y: 4, textAnchor: 'start' } as const);
}

/** A transparent strip from the node's edge to the end of a caption beside it. */
function CaptionHitArea(props: {
  readonly side: 'left' | 'right';
  readonly radius: number;
  readonly chars: number;
}) {
  const width = sideCaptionGapPx + props.chars * captionCharPx;
  const x = props.side === 'right' ? props.radius : -props.radius - width;
  return <rect className="node-caption-hit" x={x} y={-10} width={width} height={20} />;
}

interface NodeIdProps {
  readonly text: string;
  readonly radius: number;
  readonly ink: string | undefined;
}

/**
 * The id inside the node, at one size for every node of the view (the radius is shared), never
 * below a readable 10 px: an id too long for its glyph comes shortened (`glyphLabels`); the full
 * id is in the node's accessible name.
 */
function NodeId({ text, radius, ink }: NodeIdProps) {
  const fontSize = glyphFontPx(radius);
  return (
    // Hidden from assistive technology: the node's name already says the full id, and a
    // shortened one would read as a different word.
    <text
      className="node-id"
      aria-hidden="true"
      textAnchor="middle"
      dominantBaseline="central"
      fontSize={fontSize}
      style={ink === undefined ? undefined : { fill: ink }}
    >
      {text}
    </text>
  );
}

/** Two bars at the node's top right: the node is paused. */
function PauseMark({ radius }: { readonly radius: number }) {
  const size = Math.max(8, radius * 0.55);
  const x = radius * 0.75;
  const y = -radius * 0.75 - size / 2;
  return (
    <g className="node-pause" transform={`translate(${x},${y})`}>
      <rect className="node-pause-back" x={-2} y={-2} width={size + 4} height={size + 4} rx={3} />
      <rect x={size * 0.12} y={0} width={size * 0.28} height={size} rx={1} />
      <rect x={size * 0.6} y={0} width={size * 0.28} height={size} rx={1} />
    </g>
  );
}
