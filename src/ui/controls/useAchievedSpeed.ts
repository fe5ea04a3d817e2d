import { useEffect, useState } from 'react';
import { useSimStore } from '../state/store.ts';
import { AchievedSpeedMeter, achievedRefreshMs } from './achievedSpeed.ts';

/**
 * The speed the run reaches while it plays, when that is clearly below the speed asked (see
 * `AchievedSpeedMeter`); null otherwise. Fed outside React from the store's frames (and a
 * once-a-second check for frames that stopped coming): the toolbar re-renders only when the
 * figure changes, at most about once a second.
 */
export function useAchievedSpeed(): number | null {
  const [achieved, setAchieved] = useState<number | null>(null);
  useEffect(() => {
    const meter = new AchievedSpeedMeter();
    const stopFrames = useSimStore.subscribe((state, previous) => {
      const frame = state.frame;
      if (frame === previous.frame || frame === null) return;
      setAchieved(meter.observe(frame, performance.now()));
    });
    // Frames can stop coming while the run is meant to play: the figure must not stand still.
    const timer = setInterval(() => {
      if (useSimStore.getState().frame?.isPlaying === true)
        setAchieved(meter.tick(performance.now()));
    }, achievedRefreshMs);
    return () => {
      stopFrames();
      clearInterval(timer);
    };
  }, []);
  return achieved;
}
