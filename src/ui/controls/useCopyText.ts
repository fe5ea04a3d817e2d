import { useEffect, useRef, useState } from 'react';

/** How long "Copied" stays beside the button. */
const copiedMessageMs = 2500;

/**
 * Copies `text`, saying in `status` how it went. Where the clipboard is missing or refused
 * (an insecure origin, a denied permission) the text stays on screen, selected, to copy by hand:
 * nothing is lost.
 */
export function useCopyText(): {
  readonly status: string;
  readonly copy: (text: string, select?: () => void) => void;
} {
  const [status, setStatus] = useState('');
  const timer = useRef<number | undefined>(undefined);
  useEffect(
    () => () => {
      window.clearTimeout(timer.current);
    },
    [],
  );
  const say = (message: string): void => {
    setStatus(message);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      setStatus('');
    }, copiedMessageMs);
  };
  const copy = (text: string, select?: () => void): void => {
    const byHand = (): void => {
      select?.();
      setStatus('Could not use the clipboard: the text is selected, press Ctrl+C (⌘C) to copy it.');
    };
    // The DOM typings say clipboard always exists; insecure origins and old browsers lack it.
    const clipboard = navigator.clipboard as Clipboard | undefined;
    if (clipboard === undefined) {
      byHand();
      return;
    }
    clipboard.writeText(text).then(() => {
      say('Copied');
    }, byHand);
  };
  return { status, copy };
}
