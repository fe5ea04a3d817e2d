import { useLayoutEffect, useRef, useState } from 'react';
import type { TraceEvent } from '../../engine/trace.ts';
import {
  eventDetailText,
  eventKindOfType,
  eventPartiesText,
  eventTimeText,
} from './eventFilters.ts';
import { firstAtOrAfter, isAtBottom, rowWindow } from './virtualRows.ts';

/** Fixed row height: two lines, (time, type, nodes) over the detail; panels.css matches it. */
export const eventRowHeightPx = 36;
const overscanRows = 8;

interface EventRowsProps {
  readonly events: readonly TraceEvent[];
  readonly nodeIds: readonly string[];
  readonly label: string;
}

/**
 * The event table, virtualized: a fixed-height scroll box renders only the rows in view. It
 * follows the newest event while scrolled to the bottom; scrolled up, it stays on the same
 * events while new ones arrive and old ones are trimmed.
 */
export function EventRows({ events, nodeIds, label }: EventRowsProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(240);
  const viewportHeightRef = useRef(240);
  const scrollTopRef = useRef(0);
  const isFollowing = useRef(true);
  // The ref drives scrolling inside effects; the state mirrors it for rendering the button.
  const [isFollowingShown, setFollowingShown] = useState(true);
  const anchor = useRef<{ index: number; offsetPx: number } | null>(null);

  // The box's height only changes on resize: measure it then, not on every batch of events
  // (reading layout after each render forced a full layout per frame, measured in the browser
  // benchmark as the page's largest single cost while a busy scenario played).
  useLayoutEffect(() => {
    const box = scrollRef.current;
    if (box === null) return;
    const measure = (): void => {
      viewportHeightRef.current = box.clientHeight;
      setViewportHeight(box.clientHeight);
    };
    measure();
    // Every browser the app targets has ResizeObserver; test DOMs may not.
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    return () => {
      observer.disconnect();
    };
  }, []);

  useLayoutEffect(() => {
    const box = scrollRef.current;
    if (box === null) return;
    // Rows have a fixed height, so scroll positions are computed rather than read back.
    const contentPx = events.length * eventRowHeightPx;
    let top = scrollTopRef.current;
    if (isFollowing.current) {
      top = Math.max(0, contentPx - viewportHeightRef.current);
    } else if (anchor.current !== null) {
      const row = firstAtOrAfter(events, (event) => event.index, anchor.current.index);
      top = Math.max(
        0,
        Math.min(
          contentPx - viewportHeightRef.current,
          row * eventRowHeightPx + anchor.current.offsetPx,
        ),
      );
    }
    if (top !== scrollTopRef.current) {
      box.scrollTop = top;
      scrollTopRef.current = top;
      setScrollTop(top);
    }
  }, [events]);

  const onScroll = (): void => {
    const box = scrollRef.current;
    if (box === null) return;
    isFollowing.current = isAtBottom(
      box.scrollTop,
      box.clientHeight,
      box.scrollHeight,
      eventRowHeightPx / 2,
    );
    setFollowingShown(isFollowing.current);
    const top = Math.floor(box.scrollTop / eventRowHeightPx);
    const first = events[top];
    anchor.current =
      first === undefined
        ? null
        : { index: first.index, offsetPx: box.scrollTop - top * eventRowHeightPx };
    scrollTopRef.current = box.scrollTop;
    setScrollTop(box.scrollTop);
  };

  const jumpToNewest = (): void => {
    const box = scrollRef.current;
    if (box === null) return;
    isFollowing.current = true;
    setFollowingShown(true);
    box.scrollTop = box.scrollHeight;
  };

  const visible = rowWindow({
    scrollTop,
    viewportHeight,
    rowHeight: eventRowHeightPx,
    rowCount: events.length,
    overscan: overscanRows,
  });
  const rows = [];
  for (let row = visible.start; row < visible.end; row++) {
    const event = events[row];
    if (event !== undefined)
      rows.push(<EventRow key={event.index} event={event} row={row} nodeIds={nodeIds} />);
  }

  return (
    <div className="event-table" role="table" aria-label={label} aria-rowcount={events.length + 1}>
      <div role="rowgroup" className="event-head">
        <div role="row" aria-rowindex={1} className="event-row">
          <span role="columnheader" className="cell-time">
            Time (ms)
          </span>
          <span role="columnheader" className="cell-type">
            Type
          </span>
          <span role="columnheader" className="cell-node">
            Nodes
          </span>
          <span role="columnheader" className="cell-detail">
            Detail
          </span>
        </div>
      </div>
      <div
        ref={scrollRef}
        role="rowgroup"
        className="event-scroll"
        tabIndex={0}
        aria-label="Events, newest at the bottom"
        onScroll={onScroll}
      >
        <div className="event-spacer" style={{ height: visible.totalHeight }}>
          {rows}
        </div>
      </div>
      {isFollowingShown || events.length === 0 ? null : (
        <button type="button" className="small jump-newest" onClick={jumpToNewest}>
          Jump to newest
        </button>
      )}
    </div>
  );
}

interface EventRowProps {
  readonly event: TraceEvent;
  readonly row: number;
  readonly nodeIds: readonly string[];
}

function EventRow({ event, row, nodeIds }: EventRowProps) {
  const detail = eventDetailText(event);
  return (
    <div
      role="row"
      aria-rowindex={row + 2}
      className={`event-row kind-${eventKindOfType[event.type]}${row % 2 === 1 ? ' striped' : ''}`}
      style={{ top: row * eventRowHeightPx }}
    >
      <span role="cell" className="cell-time mono">
        {eventTimeText(event.timeUs)}
      </span>
      <span role="cell" className="cell-type">
        {event.type}
      </span>
      <span role="cell" className="cell-node">
        {eventPartiesText(event, nodeIds)}
      </span>
      <span role="cell" className="cell-detail" title={detail}>
        {detail}
      </span>
    </div>
  );
}
