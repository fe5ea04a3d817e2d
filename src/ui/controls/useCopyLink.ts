import { useCallback, useEffect, useRef, useState } from 'react';
import type { SimController } from '../state/controller.ts';

/** How long "Link copied" stays on screen. */
const copiedMessageMs = 2500;

export interface CopyLinkState {
  /** Announced through a live region: "Link copied", or why it was not. */
  readonly status: string;
  /** The link to copy by hand when the clipboard cannot be used. */
  readonly fallbackUrl: string | null;
  readonly copy: () => void;
  readonly dismissFallback: () => void;
}

/**
 * Copies the run's share link. Where the clipboard API is missing or refused (an insecure
 * origin, a denied permission), the link is shown in a text box to copy by hand instead.
 */
export function useCopyLink(controller: SimController): CopyLinkState {
  const [status, setStatus] = useState('');
  const [fallbackUrl, setFallbackUrl] = useState<string | null>(null);
  const timer = useRef<number | undefined>(undefined);

  useEffect(
    () => () => {
      window.clearTimeout(timer.current);
    },
    [],
  );

  const announce = useCallback((message: string) => {
    setStatus(message);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      setStatus('');
    }, copiedMessageMs);
  }, []);

  const copy = useCallback(() => {
    const url = controller.shareUrl();
    // Focus moves to the fallback box, whose label says what happened; no toast needed.
    const showFallback = () => {
      setFallbackUrl(url);
      setStatus('');
    };
    // The DOM typings say clipboard always exists; insecure origins and old browsers lack it.
    const clipboard = navigator.clipboard as Clipboard | undefined;
    if (clipboard === undefined) {
      showFallback();
      return;
    }
    clipboard.writeText(url).then(() => {
      setFallbackUrl(null);
      announce('Link copied');
    }, showFallback);
  }, [announce, controller]);

  const dismissFallback = useCallback(() => {
    setFallbackUrl(null);
  }, []);

  return { status, fallbackUrl, copy, dismissFallback };
}
