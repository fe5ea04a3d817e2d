import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SimClient } from './worker/client.ts';
import { createWorkerTransport } from './worker/workerTransport.ts';
import { App } from './ui/App.tsx';
import { browserBridgeEnv, startBridge } from './ui/compare/bridge.ts';
import { embeddedSideOf, isCompareFragment, pageKindOf } from './ui/compare/compareUrl.ts';
import { EmbeddedApp } from './ui/compare/EmbeddedApp.tsx';
import { mountCompare } from './ui/compare/mountCompare.tsx';
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

if (isCompareFragment(window.location.hash)) {
  // The compare page runs no simulation itself: each side is a page of its own in an iframe.
  mountCompare(container);
} else {
  // One simulation worker and controller per page, made outside React so that StrictMode's double
  // effects in development do not start two workers.
  const client = new SimClient(createWorkerTransport);
  const controller = new SimController(client);
  installTestHook(client, controller);
  const side = embeddedSideOf(window.location.hash);
  if (side !== null) startBridge(controller, browserBridgeEnv(side));
  void controller.start(window.location.hash);

  createRoot(container).render(
    <StrictMode>
      {side === null ? (
        <App controller={controller} />
      ) : (
        <EmbeddedApp controller={controller} side={side} />
      )}
    </StrictMode>,
  );
}
