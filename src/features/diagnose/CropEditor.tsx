import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { centreCrop, clampCrop, isCentreCrop } from '../../core/crop';
import type { CropRegion } from '../../core/preprocess';

interface Props {
  src: string;
  width: number;
  height: number;
  crop: CropRegion | undefined;
  /** Smallest square (original pixels) worth zooming to. */
  minSize: number;
  onChange: (c: CropRegion | undefined) => void;
  /**
   * What the model sees with no crop set: the centre square (resize 'shortest'), or the whole
   * photo padded ('longest') or squashed ('squash') to a square, as the bundle's manifest says.
   */
  uncropped?: 'centre' | 'padded' | 'squashed';
}

/**
 * Choose the square region the model sees: drag to move, wheel or +/- to zoom, arrow keys to
 * move (Shift: faster), 0 to go back to the centre crop. Commits on release, so the model runs
 * once per adjustment, not per pointer move.
 */
export function CropEditor({ src, width, height, crop, minSize, onChange, uncropped = 'centre' }: Props) {
  const whole = !crop && uncropped !== 'centre';
  const frame = useRef<HTMLDivElement>(null);
  const [draft, setDraft] = useState<CropRegion>(crop ?? centreCrop(width, height));
  const drag = useRef<{ px: number; py: number; start: CropRegion } | null>(null);
  useEffect(() => setDraft(crop ?? centreCrop(width, height)), [crop, width, height]);

  const scale = () => (frame.current ? frame.current.clientWidth / width : 1);
  // With a whole-photo default, the centre square is a crop like any other.
  const commit = (c: CropRegion) => onChange(uncropped === 'centre' && isCentreCrop(c, width, height) ? undefined : c);
  const zoom = (factor: number) => {
    const size = draft.size * factor;
    const next = clampCrop({ x: draft.x + (draft.size - size) / 2, y: draft.y + (draft.size - size) / 2, size }, width, height, minSize);
    setDraft(next);
    commit(next);
  };

  const onKey = (e: KeyboardEvent) => {
    const step = Math.max(1, Math.round(draft.size * (e.shiftKey ? 0.2 : 0.05)));
    const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[e.key]) {
      const [dx, dy] = moves[e.key];
      const next = clampCrop({ ...draft, x: draft.x + dx, y: draft.y + dy }, width, height, minSize);
      setDraft(next);
      commit(next);
    } else if (e.key === '+' || e.key === '=') zoom(1 / 1.25);
    else if (e.key === '-') zoom(1.25);
    else if (e.key === '0') onChange(undefined);
    else return;
    e.preventDefault();
  };

  const onPointerDown = (e: PointerEvent) => {
    (e.target as Element).setPointerCapture?.(e.pointerId);
    drag.current = { px: e.clientX, py: e.clientY, start: draft };
  };
  const onPointerMove = (e: PointerEvent) => {
    const d = drag.current;
    if (!d) return;
    const s = scale();
    setDraft(clampCrop({ ...d.start, x: d.start.x + (e.clientX - d.px) / s, y: d.start.y + (e.clientY - d.py) / s }, width, height, minSize));
  };
  const onPointerUp = () => {
    if (!drag.current) return;
    drag.current = null;
    commit(draft);
  };

  const pct = (v: number, of: number) => `${(v / of) * 100}%`;
  return (
    <div className="crop-editor">
      <div
        ref={frame}
        className="crop-frame"
        style={{ aspectRatio: `${width} / ${height}` }}
        tabIndex={0}
        role="application"
        aria-label={`Region the model sees. Arrow keys move it, plus and minus zoom, 0 resets to the ${uncropped === 'centre' ? 'centre' : 'whole photo'}.`}
        data-testid="crop-frame"
        onKeyDown={onKey}
        onWheel={(e) => zoom(e.deltaY < 0 ? 1 / 1.1 : 1.1)}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
      >
        <img src={src} alt="The photo being examined" draggable={false} />
        <div
          className="crop-box"
          data-testid="crop-box"
          style={whole ? { left: 0, top: 0, width: '100%', height: '100%' } : { left: pct(draft.x, width), top: pct(draft.y, height), width: pct(draft.size, width), height: pct(draft.size, height) }}
        />
      </div>
      <div className="crop-tools">
        <button type="button" onClick={() => zoom(1 / 1.25)} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={() => zoom(1.25)} aria-label="Zoom out">
          −
        </button>
        <button type="button" onClick={() => onChange(undefined)}>
          {uncropped === 'centre' ? 'Centre crop' : 'Whole photo'}
        </button>
        <span className="muted" data-testid="crop-text">
          {' '}
          {whole ? `Model sees the whole photo, ${uncropped} to a square` : `Model sees ${draft.size}×${draft.size} px at (${draft.x}, ${draft.y})`}
        </span>
      </div>
    </div>
  );
}
