import { useSimStore, type Notice } from '../state/store.ts';
import './controls.css';

const toneLabels: Readonly<Record<Notice['tone'], string>> = {
  info: 'Note',
  warning: 'Warning',
  error: 'Error',
};

/**
 * Messages for the person (a bad share link, a failed request) as dismissible banners below the
 * header. Errors are alerts; the rest are polite status messages.
 */
export function Notices() {
  const notices = useSimStore((state) => state.notices);
  return (
    <div className="notices">
      {notices.map((notice) => (
        <div
          key={notice.id}
          className={`notice notice-${notice.tone}`}
          role={notice.tone === 'error' ? 'alert' : 'status'}
        >
          <p className="notice-text" id={`notice-${String(notice.id)}`}>
            <strong>{toneLabels[notice.tone]}:</strong> {notice.text}
          </p>
          <button
            type="button"
            className="notice-dismiss"
            aria-describedby={`notice-${String(notice.id)}`}
            onClick={() => {
              useSimStore.getState().dismissNotice(notice.id);
            }}
          >
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
