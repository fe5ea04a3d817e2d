import { useId, useRef, useState } from 'react';
import type { RunDescription } from '../../engine/types.ts';
import { parseEmbedFragment, type EmbedWindow } from '../../embed/params.ts';
import { componentSnippet, iframeSnippet, runEmbedUrl } from '../../embed/share.ts';
import { useController } from '../state/context.ts';
import { useSimStore } from '../state/store.ts';
import { CopyField } from './CopyField.tsx';
import { ShareSlides } from './ShareSlides.tsx';
import './share.css';
import { useModalDialog } from './useModalDialog.ts';

/** The embed's default window around the time shown: two seconds before, three after. */
export const windowLeadUs = 2_000_000;
export const windowTailUs = 3_000_000;

/** "Share…" in the toolbar: opens the Share dialog (which gives the focus back when it closes). */
export function ShareButton() {
  const hasRun = useSimStore((state) => state.view !== null);
  const [isOpen, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        disabled={!hasRun}
        aria-haspopup="dialog"
        aria-expanded={isOpen}
        onClick={() => {
          setOpen(true);
        }}
      >
        Share…
      </button>
      {isOpen ? (
        <ShareDialog
          onClose={() => {
            setOpen(false);
          }}
        />
      ) : null}
    </>
  );
}

/** What the dialog shares: the run as it was when the dialog opened. */
interface Snapshot {
  readonly appUrl: string;
  readonly run: RunDescription;
  readonly title: string;
  readonly timeUs: number;
  readonly speed: number | null;
}

function useSnapshot(): Snapshot | null {
  const controller = useController();
  // Taken once: a playing run must not change the links while the person copies them.
  const [snapshot] = useState(() => {
    const { view, commands, frame } = useSimStore.getState();
    if (view === null) return null;
    return {
      appUrl: controller.shareUrl(),
      run: { ...view.run, commands },
      title: view.meta.title,
      timeUs: frame?.timeUs ?? 0,
      speed: frame?.speed ?? null,
    };
  });
  return snapshot;
}

/**
 * The Share dialog: the run's link; an embed of a window of it (from, to, loop, speed, caption,
 * defaulting to a few seconds around the time shown) as a URL, an <iframe> and a <distsim-run>
 * snippet; and slide links, one embed per picked moment. A native modal <dialog>: the page
 * behind is inert, Escape closes it, and the opener gets the focus back.
 */
export function ShareDialog({ onClose }: { readonly onClose: () => void }) {
  const snapshot = useSnapshot();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  // The link, the first thing to copy (showModal would pick the Close button).
  useModalDialog(dialog, true, (element) => {
    element.querySelector('input')?.focus();
  });

  return (
    <dialog
      ref={dialog}
      className="modal-dialog share-dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      onCancel={(event) => {
        // Escape: closing is React's to do, so the opener gets the focus back.
        event.preventDefault();
        onClose();
      }}
      onKeyDown={(event) => {
        // Typing in the fields must not reach the page's shortcuts (Space plays, R resets…).
        event.stopPropagation();
      }}
    >
      <div className="share-content">
        <div className="share-heading">
          <h2 id={titleId}>Share this run</h2>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
        {snapshot === null ? (
          <p>No run is open yet.</p>
        ) : (
          <>
            <CopyField label="Link to this run" value={snapshot.appUrl} />
            <EmbedSection snapshot={snapshot} />
            <ShareSlides appUrl={snapshot.appUrl} run={snapshot.run} speed={snapshot.speed} />
          </>
        )}
      </div>
    </dialog>
  );
}

interface WindowFields {
  readonly from: string;
  readonly to: string;
  readonly loop: boolean;
  readonly speed: string;
  readonly caption: string;
}

/** Seconds for a field: at most three decimals, as the toolbar shows time. */
function secondsField(timeUs: number): string {
  return String(Math.round(timeUs / 1000) / 1000);
}

/**
 * The fields as the embed will read them: checked by the embed's own parser, so the dialog
 * refuses exactly what the embed would.
 */
function readFields(
  fields: WindowFields,
): { ok: true; span: EmbedWindow } | { ok: false; problems: readonly string[] } {
  const query = new URLSearchParams({
    from: fields.from,
    to: fields.to,
    loop: fields.loop ? '1' : '0',
    speed: fields.speed,
    caption: fields.caption,
  });
  const parsed = parseEmbedFragment(`#/?${query.toString()}`);
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  const { fromUs, toUs, loop, speed, caption } = parsed.options;
  return { ok: true, span: { fromUs, toUs, loop, speed, caption } };
}

function EmbedSection({ snapshot }: { readonly snapshot: Snapshot }) {
  const [fields, setFields] = useState<WindowFields>(() => ({
    from: secondsField(Math.max(0, snapshot.timeUs - windowLeadUs)),
    to: secondsField(snapshot.timeUs + windowTailUs),
    loop: true,
    speed: snapshot.speed === null ? '' : String(snapshot.speed),
    caption: '',
  }));
  const problemsId = useId();
  const read = readFields(fields);
  const url = read.ok ? runEmbedUrl(snapshot.appUrl, snapshot.run, read.span) : '';
  const frameTitle =
    fields.caption.trim() === '' ? `DistSim: ${snapshot.title}` : fields.caption.trim();
  const set = (patch: Partial<WindowFields>): void => {
    setFields((before) => ({ ...before, ...patch }));
  };
  // A field is marked wrong when a problem names it (the parser starts each with the name).
  const invalid = (key: string) =>
    !read.ok && read.problems.some((problem) => problem.startsWith(`"${key}"`))
      ? { 'aria-invalid': true, 'aria-describedby': problemsId }
      : {};
  return (
    <section className="share-section" aria-labelledby={`${problemsId}-title`}>
      <h3 id={`${problemsId}-title`}>Embed in a page</h3>
      <div className="share-window">
        <label>
          From (s)
          <input
            type="text"
            inputMode="decimal"
            value={fields.from}
            {...invalid('from')}
            onChange={(event) => {
              set({ from: event.currentTarget.value });
            }}
          />
        </label>
        <label>
          To (s)
          <input
            type="text"
            inputMode="decimal"
            value={fields.to}
            {...invalid('to')}
            onChange={(event) => {
              set({ to: event.currentTarget.value });
            }}
          />
        </label>
        <label>
          Speed
          <input
            type="text"
            inputMode="decimal"
            value={fields.speed}
            {...invalid('speed')}
            onChange={(event) => {
              set({ speed: event.currentTarget.value });
            }}
          />
        </label>
        <label className="share-check">
          <input
            type="checkbox"
            checked={fields.loop}
            onChange={(event) => {
              set({ loop: event.currentTarget.checked });
            }}
          />
          Loop
        </label>
        <label className="share-caption">
          Caption
          <input
            type="text"
            value={fields.caption}
            maxLength={160}
            onChange={(event) => {
              set({ caption: event.currentTarget.value });
            }}
          />
        </label>
      </div>
      {read.ok ? null : (
        <ul id={problemsId} className="share-problems" role="alert">
          {read.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      <CopyField label="Embed URL" value={url} isDisabled={!read.ok} />
      <CopyField
        label="Iframe snippet"
        value={read.ok ? iframeSnippet(url, frameTitle) : ''}
        isMultiline
        isDisabled={!read.ok}
      />
      <CopyField
        label="Web component snippet"
        value={read.ok ? componentSnippet(snapshot.appUrl, url, frameTitle) : ''}
        isMultiline
        isDisabled={!read.ok}
      />
    </section>
  );
}
