import { useEffect, useRef, useState } from 'react';
import { idleSecondsLeft } from '../../core/teach/kiosk';

const INPUT_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Seconds left before `onIdle` runs, counted from the last touch, click, key or wheel anywhere on
 * the page; after it runs, the count starts again.
 */
export function useIdle(idleSeconds: number, onIdle: () => void): number {
  const last = useRef(Date.now());
  const [left, setLeft] = useState(idleSeconds);
  const idle = useRef(onIdle);
  idle.current = onIdle;
  useEffect(() => {
    const touch = () => {
      last.current = Date.now();
      setLeft(idleSeconds);
    };
    for (const e of INPUT_EVENTS) window.addEventListener(e, touch, { capture: true, passive: true });
    touch();
    const timer = setInterval(() => {
      const l = idleSecondsLeft(last.current, Date.now(), idleSeconds);
      if (l === 0) {
        idle.current();
        touch();
      } else setLeft(l);
    }, 250);
    return () => {
      clearInterval(timer);
      for (const e of INPUT_EVENTS) window.removeEventListener(e, touch, { capture: true });
    };
  }, [idleSeconds]);
  return left;
}
