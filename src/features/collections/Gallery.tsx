import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { LabelSet } from '../../core/labels';
import type { GalleryItem } from './gallery-items';
import { Thumb } from './Thumb';

const CELL = 132;

function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [w, setW] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setW(el.clientWidth));
    ro.observe(el);
    setW(el.clientWidth);
    return () => ro.disconnect();
  }, [ref]);
  return w;
}

/**
 * A virtualised grid of thumbnails: only the rows in view (and a few around) exist in the page,
 * so 10,000 photos scroll as smoothly as 100.
 */
export function Gallery({ items, classes, selected, onSelect }: { items: GalleryItem[]; classes: LabelSet | null; selected: number | null; onSelect(seq: number): void }) {
  const scroller = useRef<HTMLDivElement>(null);
  const width = useWidth(scroller);
  const cols = Math.max(1, Math.floor((width - 8) / CELL));
  const rows = Math.ceil(items.length / cols);
  const v = useVirtualizer({ count: rows, getScrollElement: () => scroller.current, estimateSize: () => CELL + 34, overscan: 3 });
  const name = (i: number | undefined) => (i !== undefined && i >= 0 ? (classes?.labels[i]?.name ?? '') : '');
  return (
    <div ref={scroller} className="gallery" data-testid="gallery" role="region" aria-label="Photos" tabIndex={0}>
      <div style={{ height: v.getTotalSize(), position: 'relative' }}>
        {v.getVirtualItems().map((row) => (
          <div key={row.key} className="gallery-row" style={{ transform: `translateY(${row.start}px)`, gridTemplateColumns: `repeat(${cols}, ${CELL}px)` }}>
            {items.slice(row.index * cols, row.index * cols + cols).map((it) => {
              const e = it.entry;
              const ok = it.predicted !== undefined && it.truth !== undefined && it.truth >= 0 ? it.predicted === it.truth : undefined;
              return (
                <button
                  key={e.seq}
                  type="button"
                  className={`gallery-cell${selected === e.seq ? ' selected' : ''}${ok === true ? ' correct' : ok === false ? ' wrong' : ''}`}
                  onClick={() => onSelect(e.seq)}
                  aria-pressed={selected === e.seq}
                  data-testid="gallery-cell"
                  data-seq={e.seq}
                  data-ok={ok === undefined ? '' : String(ok)}
                >
                  <Thumb entry={e} />
                  <span className="cell-caption">
                    <span className="sr-only">{e.name}: label </span>
                    {e.problem ? 'unreadable' : (e.label ?? '—')}
                    {it.predicted !== undefined && (
                      <span className="cell-pred">
                        <span className="sr-only">, predicted</span> → {name(it.predicted)}
                      </span>
                    )}
                    {ok !== undefined && <span className="sr-only">{ok ? ', correct' : ', wrong'}</span>}
                  </span>
                </button>
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}
