import { useId, useState } from 'react';
import type { MomentSpec, RunDescription } from '../../engine/types.ts';
import { slideLinksText, slidesMarkdown, slidesOf } from '../../embed/share.ts';
import { useSimStore } from '../state/store.ts';
import { useCopyText } from './useCopyText.ts';
import { formatSimTime } from './format.ts';
import { downloadBlob } from './viewExport.ts';

const noSpecs: readonly MomentSpec[] = [];

interface ShareSlidesProps {
  readonly appUrl: string;
  readonly run: RunDescription;
  readonly speed: number | null;
}

/**
 * Slides of moments: the run's moments with checkboxes, and the picked ones as embed URLs (one
 * a line, each playing a few seconds around its moment under the moment's label), to copy or to
 * download as a small Markdown file.
 */
export function ShareSlides({ appUrl, run, speed }: ShareSlidesProps) {
  const moments = useSimStore((state) => state.moments);
  const specs = useSimStore((state) => state.view?.meta.moments ?? noSpecs);
  const title = useSimStore((state) => state.view?.meta.title ?? 'DistSim');
  const [picked, setPicked] = useState<ReadonlySet<number>>(() => new Set());
  const { status, copy } = useCopyText();
  const titleId = useId();
  const labelOf = new Map(specs.map((spec) => [spec.id, spec.label]));
  const slides = () =>
    slidesOf(
      appUrl,
      run,
      moments.filter((_, index) => picked.has(index)),
      specs,
      speed,
    );
  const toggle = (index: number, isOn: boolean): void => {
    setPicked((before) => {
      const next = new Set(before);
      if (isOn) next.add(index);
      else next.delete(index);
      return next;
    });
  };
  return (
    <section className="share-section" aria-labelledby={titleId}>
      <h3 id={titleId}>Slides of moments</h3>
      {moments.length === 0 ? (
        <p className="muted">No moments yet: play the run until the pattern does something.</p>
      ) : (
        <>
          <p className="muted">
            Pick moments: each becomes an embed that plays from a second before it to two after,
            captioned with its name.
          </p>
          <ul className="share-moments" aria-label="Moments of the run">
            {moments.map((moment, index) => (
              <li key={`${String(moment.eventCount)}-${moment.kind}-${String(index)}`}>
                <label>
                  <input
                    type="checkbox"
                    checked={picked.has(index)}
                    onChange={(event) => {
                      toggle(index, event.currentTarget.checked);
                    }}
                  />
                  <span className="share-moment-time">{formatSimTime(moment.timeUs)}</span>{' '}
                  <strong>{labelOf.get(moment.kind) ?? moment.kind}</strong>: {moment.text}
                </label>
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="share-slide-buttons">
        <button
          type="button"
          disabled={picked.size === 0}
          onClick={() => {
            copy(slideLinksText(slides()));
          }}
        >
          Copy slide links
        </button>
        <button
          type="button"
          disabled={picked.size === 0}
          onClick={() => {
            const text = slidesMarkdown(title, slides());
            downloadBlob(
              new Blob([text], { type: 'text/markdown' }),
              `${run.scenarioId}-slides.md`,
            );
          }}
        >
          Download slides (Markdown)
        </button>
        <span className="copy-field-status" role="status">
          {status === '' ? `${String(picked.size)} picked` : status}
        </span>
      </div>
    </section>
  );
}
