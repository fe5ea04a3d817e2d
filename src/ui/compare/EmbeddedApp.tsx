import '../app.css';
import './compare.css';
import { Notices } from '../controls/Notices.tsx';
import { RunStatus } from '../controls/RunStatus.tsx';
import { CommandLog } from '../panels/CommandLog.tsx';
import { EventLog } from '../panels/EventLog.tsx';
import { FaultTools } from '../panels/FaultTools.tsx';
import { Inspector } from '../panels/Inspector.tsx';
import { InvariantsPanel } from '../panels/InvariantsPanel.tsx';
import { ControllerContext } from '../state/context.ts';
import type { SimController } from '../state/controller.ts';
import { useSimStore } from '../state/store.ts';
import { TopologyView } from '../topology/TopologyView.tsx';
import type { SideName } from './protocol.ts';

interface EmbeddedAppProps {
  readonly controller: SimController;
  readonly side: SideName;
}

/**
 * One side of a comparison, inside the compare page's iframe: the topology and the panels to
 * inspect and break things, without playback, parameters, scenario picker or tour, which the
 * compare page owns (a side that played or reloaded on its own would leave the other behind).
 */
export function EmbeddedApp({ controller, side }: EmbeddedAppProps) {
  return (
    <ControllerContext.Provider value={controller}>
      <EmbeddedShell side={side} />
    </ControllerContext.Provider>
  );
}

function EmbeddedShell({ side }: { readonly side: SideName }) {
  const phase = useSimStore((state) => state.phase);
  const title = useSimStore((state) => state.view?.meta.title);
  const variant = useSimStore((state) => state.view?.run.variant);
  return (
    <div className="embedded-app">
      <header className="embedded-header">
        <h1 className="embedded-title">
          Side {side}
          <span className="app-subtitle">
            {title === undefined ? '' : ` · ${title}${variant === 'baseline' ? ' (baseline)' : ''}`}
          </span>
        </h1>
        <RunStatus />
      </header>
      {phase === 'crashed' ? (
        <p role="alert" className="crashed">
          The simulation worker of this side stopped. Reload the compare page to start again.
        </p>
      ) : null}
      <Notices />
      <main className="embedded-topology">
        <TopologyView />
      </main>
      <div className="embedded-panels">
        <Inspector />
        <FaultTools />
        <InvariantsPanel />
        <CommandLog />
        <EventLog />
      </div>
    </div>
  );
}
