import { useState } from 'react';
import { fallbackColour } from './messageLayer.ts';

export interface LegendProps {
  /** Message types seen in this run so far. */
  readonly types: readonly string[];
  readonly colours: Readonly<Record<string, string>>;
  /**
   * Whether the open legend would leave every node and caption clear. It is open exactly then,
   * following the layout as it changes, until the person opens or closes it themselves.
   */
  readonly hasRoom: boolean;
}

/**
 * Room the open legend takes from the topology's left edge. Where the nodes come closer than
 * this it would cover them, so it starts closed: one line, "Messages", that opens on a click.
 */
export const legendRoomPx = 170;

/** Message types the scenario colours first, in its order; any others after, by name. */
function orderTypes(types: readonly string[], colours: Readonly<Record<string, string>>): string[] {
  const known = Object.keys(colours).filter((type) => types.includes(type));
  const others = types.filter((type) => !(type in colours));
  others.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [...known, ...others];
}

/**
 * What the dots mean: the colour of each message type seen in this run, and the marks for
 * duplicates and drops. Collapsible; open at first where there is room for it.
 */
export function Legend({ types, colours, hasRoom }: LegendProps) {
  const [chosen, setChosen] = useState<boolean | null>(null);
  const isOpen = chosen ?? hasRoom;
  const ordered = orderTypes(types, colours);
  return (
    <details
      className="topology-legend"
      open={isOpen}
      onToggle={(event) => {
        // The toggle event also follows a change of `open` made here: only a real change of
        // state is the person's choice.
        if (event.currentTarget.open !== isOpen) setChosen(event.currentTarget.open);
      }}
    >
      <summary>Messages</summary>
      <ul>
        {ordered.map((type) => (
          <li key={type}>
            <span
              className="legend-dot"
              style={{ background: colours[type] ?? fallbackColour }}
              aria-hidden="true"
            />
            {type}
          </li>
        ))}
        {ordered.length === 0 ? <li className="muted">None sent yet</li> : null}
        <li>
          <span className="legend-dot legend-duplicate" aria-hidden="true" />
          duplicate
        </li>
        <li>
          <span className="legend-cross" aria-hidden="true">
            ×
          </span>
          dropped
        </li>
      </ul>
    </details>
  );
}
