import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App.tsx';

const container = document.getElementById('root');
if (!container) {
  throw new Error('DistSim: index.html has no element with id "root" to render into.');
}

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
