import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SimClient, afterNextPaint } from './worker/client.ts';
import { createWorkerTransport } from './worker/workerTransport.ts';
import { App } from './ui/App.tsx';
import { embeddedSideOf, isCompareFragment, pageKindOf } from './ui/compare/compareUrl.ts';
import { SimController } from './ui/state/controller.ts';
import { installTestHook } from './ui/testHook.ts';

const container = document.getElementById('root');
if (!container) {
  throw new Error('DistSim: index.html has no element with id "root" to render into.');
}

// The page kind (single run, compare, one side of a compare) is read once, at load; following a
// link to another kind reloads the page so it starts as that kind.
const pageKind = pageKindOf(window.location.hash);
window.addEventListener('hashchange', () => {
  if (pageKindOf(window.location.hash) !== pageKind) window.location.reload();
});

/** Shown when a page kind's code cannot be fetched (offline before the first full visit…). */
function showLoadFailure(root: HTMLElement, error: unknown): void {
  const message = document.createElement('p');
  message.setAttribute('role', 'alert');
  message.className = 'load-failure';
  message.textContent = `DistSim could not load part of its code (${String(error)}). Check the connection and reload the page.`;
  root.replaceChildren(message);
}

if (isCompareFragment(window.location.hash)) {
  // The compare page runs no simulation itself: each side is a page of its own in an iframe.
  // Its code is a separate chunk, so the single-run page does not download it.
  import('./ui/compare/mountCompare.tsx').then(
    ({ mountCompare }) => {
      mountCompare(container);
    },
    (error: unknown) => {
      showLoadFailure(container, error);
    },
  );
} else {
  // One simulation worker and controller per page, made outside React so that StrictMode's double
  // effects in development do not start two workers.
  const client = new SimClient(createWorkerTransport, { afterFrameShown: afterNextPaint });
  const controller = new SimController(client);
  installTestHook(client, controller);
  const side = embeddedSideOf(window.location.hash);
  if (side === null) {
    // A link pasted into the address bar, Back and Forward: the page opens the run they name.
    window.addEventListener('hashchange', () => {
      if (pageKindOf(window.location.hash) === pageKind) {
        void controller.followUrl(window.location.hash);
      }
    });
    void controller.start(window.location.hash);
    createRoot(container).render(
      <StrictMode>
        <App controller={controller} />
      </StrictMode>,
    );
  } else {
    // One side of a comparison: the bridge (a chunk of its own) starts before the run does.
    Promise.all([import('./ui/compare/bridge.ts'), import('./ui/compare/EmbeddedApp.tsx')]).then(
      ([{ browserBridgeEnv, startBridge }, { EmbeddedApp }]) => {
        startBridge(controller, browserBridgeEnv(side));
        void controller.start(window.location.hash);
        createRoot(container).render(
          <StrictMode>
            <EmbeddedApp controller={controller} side={side} />
          </StrictMode>,
        );
      },
      (error: unknown) => {
        showLoadFailure(container, error);
      },
    );
  }
}
