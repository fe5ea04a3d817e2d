import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { parseCompareFragment, sideFrameSrc } from './compareUrl.ts';
import { CompareCoordinator, type CompareEnv } from './coordinator.ts';
import { CompareLinkError, ComparePage } from './ComparePage.tsx';
import { envelope, openEnvelope, type FromSide, type SideName } from './protocol.ts';

/**
 * Mounts the compare page into `container`: reads both runs from the URL, makes the coordinator
 * and routes messages from the two side iframes to it (same origin, from those frames only).
 */
export function mountCompare(container: HTMLElement): void {
  const root = createRoot(container);
  const baseUrl = window.location.href.split('#')[0] ?? '';
  const parsed = parseCompareFragment(window.location.hash);
  if (!parsed.ok) {
    root.render(<CompareLinkError message={parsed.message} baseUrl={baseUrl} />);
    return;
  }
  const frames = new Map<SideName, HTMLIFrameElement>();
  const coordinator = new CompareCoordinator(browserCompareEnv(frames), parsed.payloads);
  window.addEventListener('message', (event) => {
    if (event.origin !== window.location.origin) return;
    const opened = openEnvelope(event.data);
    if (opened === null || frames.get(opened.side)?.contentWindow !== event.source) return;
    coordinator.receive(opened.side, opened.message as FromSide);
  });
  const frameSrc = {
    a: sideFrameSrc(baseUrl, parsed.payloads.a, 'a'),
    b: sideFrameSrc(baseUrl, parsed.payloads.b, 'b'),
  };
  root.render(
    <StrictMode>
      <ComparePage
        coordinator={coordinator}
        baseUrl={baseUrl}
        frameSrc={frameSrc}
        onFrame={(side, frame) => {
          if (frame === null) frames.delete(side);
          else frames.set(side, frame);
        }}
      />
    </StrictMode>,
  );
}

function browserCompareEnv(frames: ReadonlyMap<SideName, HTMLIFrameElement>): CompareEnv {
  return {
    post: (side, message) => {
      frames.get(side)?.contentWindow?.postMessage(envelope(side, message), window.location.origin);
    },
    nowMs: () => performance.now(),
    onNextFrame: (callback) => {
      const handle = window.requestAnimationFrame(callback);
      return () => {
        window.cancelAnimationFrame(handle);
      };
    },
    after: (delayMs, callback) => {
      const handle = window.setTimeout(callback, delayMs);
      return () => {
        window.clearTimeout(handle);
      };
    },
    replaceFragment: (fragment) => {
      if (window.location.hash !== fragment) window.history.replaceState(null, '', fragment);
    },
  };
}
