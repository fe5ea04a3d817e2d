import type { Notice } from '../state/store.ts';
import { useCompareStore } from './compareStore.ts';

const toneLabels: Readonly<Record<Notice['tone'], string>> = {
  info: 'Note',
  warning: 'Warning',
  error: 'Error',
};

/**
 * The compare page's messages: what a side reported, and commands that could not be applied to
 * the other side, with why. Errors are alerts; the rest are polite status messages.
 */
export function CompareNotices() {
  const notices = useCompareStore((state) => state.notices);
  return (
    <div className="notices compare-notices">
      {notices.map((notice) => (
        <div
          key={notice.id}
          className={`notice notice-${notice.tone}`}
          role={notice.tone === 'error' ? 'alert' : 'status'}
        >
          <p className="notice-text" id={`compare-notice-${String(notice.id)}`}>
            <strong>{toneLabels[notice.tone]}:</strong> {notice.text}
          </p>
          <button
            type="button"
            className="notice-dismiss"
            aria-describedby={`compare-notice-${String(notice.id)}`}
            onClick={() => {
              useCompareStore.getState().dismissNotice(notice.id);
            }}
          >
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
