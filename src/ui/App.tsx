import { lazy, Suspense } from 'react';
import './app.css';
import { CommandLog } from './panels/CommandLog.tsx';
import { EventLog } from './panels/EventLog.tsx';
import { FaultTools } from './panels/FaultTools.tsx';
import { Inspector } from './panels/Inspector.tsx';
import { InvariantsPanel } from './panels/InvariantsPanel.tsx';
import { NarrationLog } from './panels/Narration.tsx';
import { InstrumentPanel } from './instruments/InstrumentPanel.tsx';
import { MetricsPanel } from './charts/MetricsPanel.tsx';
import { HelpOverlay } from './controls/HelpOverlay.tsx';
import { Notices } from './controls/Notices.tsx';
import { ParamsPanel } from './controls/ParamsPanel.tsx';
import { ScenarioPicker } from './controls/ScenarioPicker.tsx';
import { Timeline } from './controls/Timeline.tsx';
import { Toolbar } from './controls/Toolbar.tsx';
import { UpdatePrompt } from './controls/UpdatePrompt.tsx';
import { ControllerContext, useController } from './state/context.ts';
import type { SimController } from './state/controller.ts';
import { useSimStore } from './state/store.ts';
import { threeColumnQuery, useMediaQuery } from './state/useMediaQuery.ts';
import { usePresentationStore } from './state/presentation.ts';
import { usePresentationEffects } from './controls/presenter.ts';
import { SideToggle } from './controls/SideToggle.tsx';
import { SpacetimeDiagram } from './spacetime/SpacetimeDiagram.tsx';
import { TopologyView } from './topology/TopologyView.tsx';
import { TourPanel } from './tour/TourPanel.tsx';

/** Seed batches are opened by few people: their panel (pool, histogram) is a chunk of its own. */
const ExplorePanel = lazy(() =>
  import('./explore/ExplorePanel.tsx').then((module) => ({ default: module.ExplorePanel })),
);
/** Experiments too: their panel, figure and worker load when the page first shows the panel. */
const ExperimentsPanel = lazy(() =>
  import('./experiments/ExperimentsPanel.tsx').then((module) => ({
    default: module.ExperimentsPanel,
  })),
);

/**
 * The one screen: scenario picker and tour on the left, the topology in the middle, playback on
 * top, panels on the right. The controller (and its worker) is made once per page in main.tsx;
 * components only render store state and call controller methods.
 */
export function App({ controller }: { readonly controller: SimController }) {
  return (
    <ControllerContext.Provider value={controller}>
      <Shell />
    </ControllerContext.Provider>
  );
}

function Shell() {
  const phase = useSimStore((state) => state.phase);
  const title = useSimStore((state) => state.view?.meta.title);
  // Three columns: the instrument heads the explaining column, leaving the topology the whole
  // stage. One column: it sits right under the topology, not a screenful below it.
  const isWide = useMediaQuery(threeColumnQuery, true);
  const isPresenting = usePresentationStore((state) => state.isPresenting);
  const folded = usePresentationStore((state) => state.folded);
  usePresentationEffects();
  // Presenter mode always shows the instrument beside the topology, in the side column; with
  // the panels folded away it goes back under the topology.
  const isInstrumentInAside = isPresenting || (isWide && !folded.right);
  const classes = [
    'app',
    isPresenting ? 'is-presenting' : '',
    folded.left ? 'left-folded' : '',
    folded.right ? 'right-folded' : '',
  ];
  return (
    <div className={classes.filter((name) => name !== '').join(' ')}>
      <header className="app-header">
        <h1 className="app-title">
          DistSim<span className="app-subtitle">{title === undefined ? '' : ` · ${title}`}</span>
        </h1>
        <Toolbar />
      </header>
      <div className="app-notices">
        {phase === 'crashed' ? <CrashedBanner /> : null}
        <Notices />
        <UpdatePrompt />
      </div>
      <nav className="app-left" id="app-left" aria-label="Scenarios and tour">
        <SideToggle side="left" controls="app-left" />
        <ScenarioPicker />
        <TourPanel />
      </nav>
      <main className="app-main">
        <div className="app-stage">
          <div className="stage-row">
            <TopologyView />
            {isInstrumentInAside ? null : <InstrumentPanel />}
          </div>
          <Timeline />
        </div>
        <SpacetimeDiagram />
      </main>
      <aside className="app-right" id="app-right" aria-label="Panels">
        <SideToggle side="right" controls="app-right" />
        {isInstrumentInAside ? <InstrumentPanel /> : null}
        <NarrationLog />
        <Inspector />
        <FaultTools />
        <InvariantsPanel />
        <Suspense
          fallback={
            <details className="panel explore">
              <summary>Explore seeds</summary>
            </details>
          }
        >
          <ExplorePanel />
        </Suspense>
        <Suspense
          fallback={
            <details className="panel experiments">
              <summary>Experiments</summary>
            </details>
          }
        >
          <ExperimentsPanel />
        </Suspense>
        <MetricsPanel />
        <ParamsPanel />
        <CommandLog />
        <EventLog />
      </aside>
      <HelpOverlay />
    </div>
  );
}

/** The worker was given up on: says why, and offers the reload that starts a new one. */
function CrashedBanner() {
  const controller = useController();
  return (
    <div role="alert" className="crashed">
      <p>
        {controller.crashReason ??
          'The simulation worker stopped. Reload the page to start it again; the URL still holds your run.'}
      </p>
      <button
        type="button"
        onClick={() => {
          window.location.reload();
        }}
      >
        Reload
      </button>
    </div>
  );
}
