import { useCallback } from 'react';
import { useController } from '../state/context.ts';
import type { SimController } from '../state/controller.ts';
import { useSimStore } from '../state/store.ts';
import './controls.css';
import { useHelpStore } from './helpStore.ts';
import { restartWithPendingParams } from './runActions.ts';
import { RunStatus, ShareFallback } from './RunStatus.tsx';
import { fasterSpeed, roundSpeed, slowerSpeed } from './speedScale.ts';
import { CompareButton } from '../compare/CompareButton.tsx';
import { ExportMenu } from './ExportMenu.tsx';
import { SeedInput, SpeedControl, VariantToggle } from './ToolbarFields.tsx';
import { ShareButton } from './ShareDialog.tsx';
import { useCopyLink } from './useCopyLink.ts';
import { useAchievedSpeed } from './useAchievedSpeed.ts';
import { useKeyboardShortcuts } from './useKeyboardShortcuts.ts';
import { exitPresenter, togglePresenter, turnSlide } from './presenter.ts';
import { ViewControls } from './ViewControls.tsx';

/**
 * Playback controls in the page header: the simulated time, run fingerprint and help button on
 * the title's line, then play, step, speed, reset, seed, variant and share on the next. It also
 * owns the keyboard shortcuts, so they work wherever focus is (outside text fields).
 */
export function Toolbar() {
  const controller = useController();
  const isPlaying = useSimStore((state) => state.frame?.isPlaying === true);
  const seed = useSimStore((state) => state.view?.run.seed);
  const isHelpOpen = useHelpStore((state) => state.isOpen);
  const toggleHelp = useHelpStore((state) => state.toggle);
  const closeHelp = useHelpStore((state) => state.close);
  // The worker's frames say the speed it plays at, whoever changed it (this toolbar, a
  // keyboard shortcut, a test hook): no copy here that could go stale.
  const frameSpeed = useSimStore((state) => state.frame?.speed);
  const speed = roundSpeed(frameSpeed ?? controller.speed);
  const running = useAchievedSpeed();
  const copyLink = useCopyLink(controller);
  const hasRun = seed !== undefined;

  const changeSpeed = useCallback(
    (next: number) => {
      controller.setSpeed(next);
    },
    [controller],
  );

  useKeyboardShortcuts({
    togglePlay: () => {
      controller.togglePlay();
    },
    stepEvent: () => {
      void controller.step({ kind: 'events', count: 1 });
    },
    stepInteresting: () => {
      void controller.step({ kind: 'interesting' });
    },
    faster: () => {
      changeSpeed(fasterSpeed(speed));
    },
    slower: () => {
      changeSpeed(slowerSpeed(speed));
    },
    reset: () => {
      void restartWithPendingParams(controller);
    },
    copyLink: copyLink.copy,
    toggleHelp,
    closeHelp,
    togglePresenter,
    exitPresenter,
    nextSlide: () => {
      turnSlide('next');
    },
    previousSlide: () => {
      turnSlide('back');
    },
  });

  return (
    <div className="toolbar">
      <RunStatus />
      <button
        type="button"
        className="help-button"
        aria-label="Help and keyboard shortcuts"
        aria-haspopup="dialog"
        aria-expanded={isHelpOpen}
        aria-keyshortcuts="?"
        onClick={toggleHelp}
      >
        ?
      </button>
      <div className="toolbar-controls">
        <PlaybackButtons controller={controller} isPlaying={isPlaying} isDisabled={!hasRun} />
        <SpeedControl speed={speed} running={running} onChange={changeSpeed} />
        <div className="toolbar-group" role="group" aria-label="Run">
          <button
            type="button"
            disabled={!hasRun}
            aria-keyshortcuts="R"
            onClick={() => {
              void restartWithPendingParams(controller);
            }}
          >
            Reset
          </button>
          <SeedInput key={seed ?? -1} seed={seed ?? 1} isDisabled={!hasRun} />
          <VariantToggle isDisabled={!hasRun} />
        </div>
        <div className="toolbar-group copy-group">
          <button type="button" disabled={!hasRun} aria-keyshortcuts="L" onClick={copyLink.copy}>
            Copy link
          </button>
          <span className="copy-status" role="status">
            {copyLink.status}
          </span>
        </div>
        <ShareButton />
        <CompareButton />
        <ExportMenu />
        <ViewControls />
      </div>
      {copyLink.fallbackUrl === null ? null : (
        <ShareFallback url={copyLink.fallbackUrl} onClose={copyLink.dismissFallback} />
      )}
    </div>
  );
}

interface PlaybackButtonsProps {
  readonly controller: SimController;
  readonly isPlaying: boolean;
  readonly isDisabled: boolean;
}

function PlaybackButtons({ controller, isPlaying, isDisabled }: PlaybackButtonsProps) {
  return (
    <div className="toolbar-group playback-group" role="group" aria-label="Playback">
      <button
        type="button"
        className="primary play-button"
        disabled={isDisabled}
        aria-keyshortcuts="Space"
        onClick={() => {
          controller.togglePlay();
        }}
      >
        {isPlaying ? 'Pause' : 'Play'}
      </button>
      <button
        type="button"
        disabled={isDisabled}
        aria-keyshortcuts="ArrowRight"
        title="Step one event"
        onClick={() => {
          void controller.step({ kind: 'events', count: 1 });
        }}
      >
        Step
      </button>
      <button
        type="button"
        disabled={isDisabled}
        aria-keyshortcuts="Shift+ArrowRight"
        onClick={() => {
          void controller.step({ kind: 'interesting' });
        }}
      >
        Next interesting event
      </button>
    </div>
  );
}
