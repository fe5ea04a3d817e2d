import '../app.css';
import '../controls/controls.css';
import '../charts/charts.css';
import './compare.css';
import { CompareControls } from './CompareControls.tsx';
import { CompareNotices } from './CompareNotices.tsx';
import { useCompareStore } from './compareStore.ts';
import type { CompareCoordinator } from './coordinator.ts';
import { MetricComparison } from './MetricComparison.tsx';
import { sideNames, type SideName } from './protocol.ts';
import { SideBPicker } from './SideBPicker.tsx';
import { SidePanel } from './SidePanel.tsx';

interface ComparePageProps {
  readonly coordinator: CompareCoordinator;
  /** The page's address without its fragment. */
  readonly baseUrl: string;
  /** The address each side's iframe opens. */
  readonly frameSrc: Readonly<Record<SideName, string>>;
  readonly onFrame: (side: SideName, frame: HTMLIFrameElement | null) => void;
}

/**
 * The compare page: one set of playback controls, the choice of what side b runs, both sides
 * next to each other (each a full DistSim page with its own inspector and faults), and their
 * metrics side by side.
 */
export function ComparePage({ coordinator, baseUrl, frameSrc, onFrame }: ComparePageProps) {
  const title = useCompareStore((state) => state.sides.a.info?.meta.title);
  const scenarioId = useCompareStore((state) => state.sides.a.info?.run.scenarioId);
  const payload = useCompareStore((state) => state.sides.a.payload);
  return (
    <div className="compare-page">
      <header className="compare-header">
        <h1 className="app-title">
          DistSim
          <span className="app-subtitle"> · Compare{title === undefined ? '' : `: ${title}`}</span>
        </h1>
        {scenarioId === undefined || payload === '' ? null : (
          <a className="back-link" href={`${baseUrl}#/${scenarioId}?run=${payload}`}>
            Back to single run
          </a>
        )}
        <CompareControls coordinator={coordinator} />
      </header>
      <CompareNotices />
      <SideBPicker coordinator={coordinator} />
      <p className="compare-hint muted">
        Both sides run the same seed and command log. A fault you inject on one side (click a node
        in its topology) is applied to the other side at the same time where that node exists.
      </p>
      <div className="compare-sides">
        {sideNames.map((side) => (
          <SidePanel key={side} side={side} src={frameSrc[side]} onFrame={onFrame} />
        ))}
      </div>
      <MetricComparison />
    </div>
  );
}

/** The compare page when its link cannot be used: what is wrong and a way back. */
export function CompareLinkError({
  message,
  baseUrl,
}: {
  readonly message: string;
  readonly baseUrl: string;
}) {
  return (
    <main className="compare-page compare-link-error">
      <h1 className="app-title">DistSim · Compare</h1>
      <p role="alert">{message}</p>
      <p>
        <a href={`${baseUrl}#/`}>Open DistSim</a>
      </p>
    </main>
  );
}
