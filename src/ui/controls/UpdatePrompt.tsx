import { useEffect, useState } from 'react';
import { type StartOfflineSupport, startOfflineSupport } from '../../offline/register.ts';
import './controls.css';

/**
 * Says when a new deploy of DistSim is installed and waiting, with a Reload button that lets it
 * take over. Mounting it starts offline support (production builds only); `start` is injectable
 * so tests need no service worker. The status region is always there, so screen readers announce
 * the message when it appears.
 */
export function UpdatePrompt({
  start = startOfflineSupport,
}: {
  readonly start?: StartOfflineSupport;
}) {
  const [apply, setApply] = useState<(() => void) | null>(null);
  const [isReloading, setIsReloading] = useState(false);
  useEffect(
    () =>
      start((applyUpdate) => {
        setApply(() => applyUpdate);
      }),
    [start],
  );
  return (
    <div className="notices" role="status">
      {apply === null ? null : (
        <div className="notice">
          <p className="notice-text" id="update-prompt-text">
            A new version of DistSim is available. Reloading loses nothing: your run is in the link.
          </p>
          <button
            type="button"
            className="notice-dismiss"
            aria-describedby="update-prompt-text"
            disabled={isReloading}
            onClick={() => {
              setIsReloading(true);
              apply();
            }}
          >
            {isReloading ? 'Reloading…' : 'Reload'}
          </button>
        </div>
      )}
    </div>
  );
}
