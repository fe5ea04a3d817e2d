import { useEffect, useId, useRef } from 'react';
import { useSimStore } from '../state/store.ts';
import { formatSimTime } from './format.ts';

/** Simulated time and the run's fingerprint (trace hash), always on screen. */
export function RunStatus() {
  const timeUs = useSimStore((state) => state.frame?.timeUs ?? 0);
  const traceHash = useSimStore((state) => state.frame?.traceHash ?? '');
  const eventCount = useSimStore((state) => state.frame?.eventCount ?? 0);
  return (
    <div className="run-status">
      <span className="visually-hidden">Simulated time: </span>
      <span className="sim-time" data-testid="sim-time" title={`${String(eventCount)} events`}>
        {formatSimTime(timeUs)}
      </span>
      <span className="fingerprint">
        <span className="fingerprint-label">Run fingerprint</span>{' '}
        <code data-testid="trace-hash" title="Trace hash: the same run gives the same fingerprint">
          {traceHash === '' ? '—' : traceHash}
        </code>
      </span>
    </div>
  );
}

interface ShareFallbackProps {
  readonly url: string;
  readonly onClose: () => void;
}

/** The share link in a text box, for when the clipboard cannot be written. */
export function ShareFallback({ url, onClose }: ShareFallbackProps) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [url]);
  return (
    <div className="share-fallback">
      <label htmlFor={id}>The clipboard is not available here. Copy this link:</label>
      <input
        ref={input}
        id={id}
        type="text"
        readOnly
        value={url}
        onFocus={(event) => {
          event.currentTarget.select();
        }}
      />
      <button type="button" onClick={onClose}>
        Close
      </button>
    </div>
  );
}
