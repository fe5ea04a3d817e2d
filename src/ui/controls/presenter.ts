import { useEffect } from 'react';
import { applyPresentation, usePresentationStore } from '../state/presentation.ts';

/*
 * Entering and leaving presenter mode. Full screen is asked for on the way in (it needs the
 * click or key press that asked for presenter mode, so it happens here and not in an effect)
 * and is optional: a browser that refuses it still gets the presenter layout. Leaving full
 * screen with the browser's own Escape leaves presenter mode too, so the two never disagree.
 */

let hasEnteredFullscreen = false;

export function enterPresenter(): void {
  usePresentationStore.getState().setPresenting(true);
  const root = document.documentElement;
  if (document.fullscreenElement == null && typeof root.requestFullscreen === 'function') {
    root.requestFullscreen().then(
      () => {
        hasEnteredFullscreen = true;
      },
      () => {
        // Refused (no user gesture, an embedding frame without permission): layout only.
      },
    );
  }
}

export function exitPresenter(): void {
  usePresentationStore.getState().setPresenting(false);
  if (hasEnteredFullscreen && document.fullscreenElement != null) {
    hasEnteredFullscreen = false;
    void document.exitFullscreen().catch(() => undefined);
  }
}

export function togglePresenter(): void {
  if (usePresentationStore.getState().isPresenting) exitPresenter();
  else enterPresenter();
}

/** Clicks the tour's visible "next" or "back" control: a slide change is exactly a button press. */
export function turnSlide(direction: 'next' | 'back'): void {
  const button = document.querySelector<HTMLButtonElement>(
    `.tour [data-slide="${direction}"]:not(:disabled)`,
  );
  button?.click();
}

/** Keeps the document element in step with the presentation state, and full screen with it. */
export function usePresentationEffects(): void {
  useEffect(() => {
    const root = document.documentElement;
    applyPresentation(root, usePresentationStore.getState());
    const unsubscribe = usePresentationStore.subscribe((state) => {
      applyPresentation(root, state);
    });
    const onFullscreenChange = () => {
      if (document.fullscreenElement == null && hasEnteredFullscreen) {
        hasEnteredFullscreen = false;
        usePresentationStore.getState().setPresenting(false);
      }
    };
    document.addEventListener('fullscreenchange', onFullscreenChange);
    return () => {
      unsubscribe();
      document.removeEventListener('fullscreenchange', onFullscreenChange);
    };
  }, []);
}
