import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SimClient, afterNextPaint } from '../worker/client.ts';
import { createWorkerTransport } from '../worker/workerTransport.ts';
import { SimController, type PageEnv } from '../ui/state/controller.ts';
import { useSimStore } from '../ui/state/store.ts';
import { EmbedApp, EmbedProblem } from './EmbedApp.tsx';
import { readCommand, type EmbedEvent } from './messages.ts';
import { parseEmbedFragment } from './params.ts';
import { EmbedPlayer } from './player.ts';

const container = document.getElementById('root');
if (!container) {
  throw new Error('DistSim: embed.html has no element with id "root" to render into.');
}

/** The full app: index.html next to this page. */
const appBase = new URL('index.html', window.location.href).href.split('#')[0] ?? '';

/**
 * The embed's view of the page: its address never changes (a host page chose it, and the fragment
 * holds the embed's options too), and it keeps no preferences, so an embed on someone's blog
 * changes nothing in the visitor's own DistSim. "Open in DistSim" uses `baseUrl`.
 */
function embedEnv(runFragment: string): PageEnv {
  return {
    baseUrl: () => appBase,
    currentFragment: () => runFragment,
    replaceFragment: () => undefined,
    pushFragment: () => undefined,
    load: () => null,
    save: () => undefined,
    nowMs: () => performance.now(),
  };
}

/** Events go to the page that frames the embed; an embed opened on its own has no one to tell. */
function post(event: EmbedEvent): void {
  if (window.parent !== window) window.parent.postMessage(event, '*');
}

// Other options are another embed: start it afresh.
window.addEventListener('hashchange', () => {
  window.location.reload();
});

const parsed = parseEmbedFragment(window.location.hash);
const root = createRoot(container);
if (!parsed.ok) {
  root.render(
    <StrictMode>
      <EmbedProblem problems={parsed.problems} appUrl={`${appBase}${parsed.runFragment}`} />
    </StrictMode>,
  );
} else {
  const { options } = parsed;
  const client = new SimClient(createWorkerTransport, { afterFrameShown: afterNextPaint });
  const controller = new SimController(client, embedEnv(options.runFragment));
  const player = new EmbedPlayer(controller, options, {
    post,
    nowMs: () => performance.now(),
    prefersReducedMotion: window.matchMedia('(prefers-reduced-motion: reduce)').matches,
  });
  let isReady = false;
  window.addEventListener('message', (event: MessageEvent) => {
    if (event.source === window) return;
    const read = readCommand(event.data);
    if (read === null) return;
    if (!read.ok) {
      post({ type: 'distsim:error', message: read.message });
      return;
    }
    if (!isReady) {
      post({ type: 'distsim:error', message: 'The run is still loading: wait for distsim:ready.' });
      return;
    }
    player.run(read.command);
  });
  void controller.start(options.runFragment).then(async () => {
    if (useSimStore.getState().view === null) return;
    await player.begin();
    isReady = true;
  });
  root.render(
    <StrictMode>
      <EmbedApp controller={controller} player={player} caption={options.caption} />
    </StrictMode>,
  );
}
