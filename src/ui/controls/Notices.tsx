import { useController } from '../state/context.ts';
import { useSimStore, type Notice } from '../state/store.ts';
import { ActInPastDialog } from './ActInPastDialog.tsx';
import './controls.css';

const toneLabels: Readonly<Record<Notice['tone'], string>> = {
  info: 'Note',
  warning: 'Warning',
  error: 'Error',
};

/**
 * Messages for the person (a bad share link, a failed request) as dismissible banners below the
 * header. Errors are alerts; the rest are polite status messages. The notice that says what an
 * act in the past dropped carries Undo while the run can still go back. The question asked
 * before such an act lives here too: every page that shows notices can act in the past, and
 * the dialog sits in the top layer wherever it is in the tree.
 */
export function Notices() {
  const controller = useController();
  const notices = useSimStore((state) => state.notices);
  const undoNoticeId = useSimStore((state) => state.undoNoticeId);
  return (
    <>
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
            {notice.id === undoNoticeId ? (
              <button
                type="button"
                className="notice-dismiss"
                aria-describedby={`notice-${String(notice.id)}`}
                onClick={() => void controller.undoDrop()}
              >
                Undo
              </button>
            ) : null}
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
      <ActInPastDialog />
    </>
  );
}
