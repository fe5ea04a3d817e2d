import { useEffect, useState, type RefObject } from 'react';

/** The element's content width, following resizes. */
export function useWidth(element: RefObject<HTMLElement | null>): number {
  const [widthPx, setWidthPx] = useState(0);
  useEffect(() => {
    const target = element.current;
    if (target === null) return;
    // Every browser the app targets has ResizeObserver; test DOMs may not (width then stays 0).
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver((entries) => {
      const width = entries[0]?.contentRect.width ?? 0;
      setWidthPx(Math.floor(width));
    });
    observer.observe(target);
    return () => {
      observer.disconnect();
    };
  }, [element]);
  return widthPx;
}
