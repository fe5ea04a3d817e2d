import { getScenarioView } from '../../scenarios/viewRegistry.ts';
import { formatSimTime } from '../controls/format.ts';
import { legendEntriesOf, type LegendEntry } from '../controls/viewExport.ts';
import type { SimController } from '../state/controller.ts';
import { useSimStore } from '../state/store.ts';
import type { AnimationHost } from './exportAnimation.ts';

/*
 * The export's view of the page: the controller seeks and plays, the store says which frame the
 * page holds, and the picture is the SVG download's (exportActions.ts) with a heading that puts
 * the frame's time first and a legend fixed for the whole export.
 */

export async function pageHost(controller: SimController): Promise<AnimationHost> {
  // Fetched as the export menu fetches it (a static import would make the bundler split the
  // modules it shares with the page into extra chunks that the page then loads first).
  const { currentView } = await import('../controls/exportActions.ts');
  // Fixed when the export starts: the page's own legend grows as messages are seen, which
  // would make the frames (and two exports of one run) differ.
  let legend: readonly LegendEntry[] | null = null;
  return {
    position() {
      const frame = useSimStore.getState().frame;
      return frame === null ? null : { timeUs: frame.timeUs, isPlaying: frame.isPlaying };
    },
    seek: (timeUs) => controller.seek(timeUs),
    shownTimeUs: () => useSimStore.getState().frame?.timeUs ?? null,
    afterRender: () =>
      // The store's change is committed by React in a microtask; the next paint is after it.
      new Promise((resolve) => {
        requestAnimationFrame(() => {
          setTimeout(resolve, 0);
        });
      }),
    picture(timeUs) {
      const { view, frame } = useSimStore.getState();
      if (view === null) return null;
      legend ??= animationLegend(view.meta.id);
      const baseline = view.run.variant === 'baseline' ? ` (baseline)` : '';
      return currentView({
        title: `${view.meta.title}, seed ${view.run.seed}, ${formatSimTime(timeUs)}`,
        heading: {
          title: `${formatSimTime(timeUs)} · ${view.meta.title}${baseline}`,
          detail: `DistSim · seed ${view.run.seed} · run fingerprint ${frame?.traceHash ?? '—'}`,
        },
        legend,
      });
    },
    pause: () => {
      controller.pause();
    },
    play: () => {
      controller.play();
    },
  };
}

/** Every message type the scenario colours, then the page's marks for duplicates and drops. */
function animationLegend(scenarioId: string): LegendEntry[] {
  const colours = getScenarioView(scenarioId)?.messageColours ?? {};
  const types: LegendEntry[] = Object.entries(colours).map(([label, colour]) => ({
    label,
    mark: 'dot',
    colour,
  }));
  return [...types, ...legendEntriesOf().filter((entry) => entry.mark !== 'dot')];
}
