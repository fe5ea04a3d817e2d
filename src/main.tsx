import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SimClient } from './worker/client.ts';
import { createWorkerTransport } from './worker/workerTransport.ts';
import { App } from './ui/App.tsx';
import { SimController } from './ui/state/controller.ts';
import { installTestHook } from './ui/testHook.ts';

const container = document.getElementById('root');
if (!container) {
  throw new Error('DistSim: index.html has no element with id "root" to render into.');
}

// One simulation worker and controller per page, made outside React so that StrictMode's double
// effects in development do not start two workers.
const client = new SimClient(createWorkerTransport());
const controller = new SimController(client);
installTestHook(client, controller);
void controller.start(window.location.hash);

createRoot(container).render(
  <StrictMode>
    <App controller={controller} />
  </StrictMode>,
);
