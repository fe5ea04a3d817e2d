import '../ui/app.css';
import { InstrumentPanel } from '../ui/instruments/InstrumentPanel.tsx';
import { formatSimTime } from '../ui/controls/format.ts';
import { ControllerContext } from '../ui/state/context.ts';
import type { SimController } from '../ui/state/controller.ts';
import { useSimStore } from '../ui/state/store.ts';
import { TopologyView } from '../ui/topology/TopologyView.tsx';
import { EmbedNarration } from './EmbedNarration.tsx';
import type { EmbedPlayer } from './player.ts';
import './embed.css';

interface EmbedAppProps {
  readonly controller: SimController;
  readonly player: EmbedPlayer;
  readonly caption: string;
}

/**
 * The embed: the run's topology, the pattern's instrument and the narration line, with Play or
 * Pause, Restart and a link that opens the full app at the same run and time. Nothing else of the
 * app (panels, charts, compare) is imported, so a page that frames it loads little.
 */
export function EmbedApp({ controller, player, caption }: EmbedAppProps) {
  const title = useSimStore((state) => state.view?.meta.title ?? 'DistSim');
  return (
    <ControllerContext.Provider value={controller}>
      <div className="embed">
        <header className="embed-header">
          <h1 className="embed-title">{title}</h1>
          {caption === '' ? null : <p className="embed-caption">{caption}</p>}
        </header>
        <EmbedNotices />
        <main className="embed-stage">
          <TopologyView />
          <InstrumentPanel />
        </main>
        <EmbedNarration />
        <EmbedControls controller={controller} player={player} />
      </div>
    </ControllerContext.Provider>
  );
}

function EmbedControls({ controller, player }: Omit<EmbedAppProps, 'caption'>) {
  const isPlaying = useSimStore((state) => state.frame?.isPlaying === true);
  const timeUs = useSimStore((state) => state.frame?.timeUs ?? 0);
  const hasRun = useSimStore((state) => state.view !== null);
  // Recomputed with every frame shown (the time is part of it), so the link is never stale.
  const openUrl = hasRun ? controller.shareUrl() : null;
  return (
    <div className="embed-controls" role="group" aria-label="Playback">
      <button
        type="button"
        className="primary"
        disabled={!hasRun}
        onClick={() => {
          if (isPlaying) player.pause();
          else player.play();
        }}
      >
        {isPlaying ? 'Pause' : 'Play'}
      </button>
      <button
        type="button"
        disabled={!hasRun}
        onClick={() => {
          void player.restart();
        }}
      >
        Restart
      </button>
      <span className="embed-time">{formatSimTime(timeUs)}</span>
      {openUrl === null ? null : (
        <a className="embed-open" href={openUrl} target="_blank" rel="noopener">
          Open in DistSim
        </a>
      )}
    </div>
  );
}

/** The app's notices (a link that could not be opened as it was…), as plain lines. */
function EmbedNotices() {
  const notices = useSimStore((state) => state.notices);
  if (notices.length === 0) return null;
  return (
    <div className="embed-notices">
      {notices.map((notice) => (
        <p
          key={notice.id}
          className={`embed-notice embed-notice-${notice.tone}`}
          role={notice.tone === 'error' ? 'alert' : 'status'}
        >
          {notice.text}
        </p>
      ))}
    </div>
  );
}

/** Shown instead of the run when the embed's own parameters are wrong: never a blank frame. */
export function EmbedProblem({
  problems,
  appUrl,
}: {
  readonly problems: readonly string[];
  readonly appUrl: string;
}) {
  return (
    <div className="embed embed-problem" role="alert">
      <h1 className="embed-title">This DistSim embed cannot play</h1>
      <p>Its link has a mistake:</p>
      <ul>
        {problems.map((problem) => (
          <li key={problem}>{problem}</li>
        ))}
      </ul>
      <p>
        <a href={appUrl} target="_blank" rel="noopener">
          Open DistSim
        </a>
      </p>
    </div>
  );
}
