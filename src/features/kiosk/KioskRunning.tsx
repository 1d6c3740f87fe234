import { useCallback, useEffect, useRef, useState } from 'react';
import { clearVisitor, showVisitorPhoto, useKiosk, useKioskVisitor } from '../../state/kiosk';
import { useModel } from '../../state/model';
import { useEmbeddingDiagnosis } from '../../state/teach';
import { PhotoIntake } from '../diagnose/PhotoIntake';
import { KioskAttract } from './KioskAttract';
import { KioskStaff } from './KioskStaff';
import { KioskVisitorView } from './KioskVisitorView';
import { useIdle } from './useIdle';

/** Shown when the countdown is this low: the visitor can touch the screen to keep their result. */
const WARN_SECONDS = 10;

/**
 * The booth: the attract screen, or one visitor's photo and result; a footer that is always on
 * screen (Done, the countdown, the privacy promise, the PIN-protected staff corner).
 */
export function KioskRunning() {
  const model = useModel();
  const visitor = useKioskVisitor((s) => s.visitor);
  const idleSeconds = useKiosk((s) => s.idleSeconds);
  // A new intake after every visitor: closes a camera left open and forgets anything it held.
  const [intake, setIntake] = useState(0);
  const [staffOpen, setStaffOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const done = useRef<HTMLButtonElement>(null);

  const wipe = useCallback(() => {
    clearVisitor();
    setIntake((k) => k + 1);
    setStaffOpen(false);
    root.current?.focus();
  }, []);
  const left = useIdle(idleSeconds, wipe);
  const demo = model.data?.source.manifest.demo;
  // The label and concept tables load before the first visitor, not while they wait.
  useEmbeddingDiagnosis(model.data, undefined);
  const visitorId = visitor?.id;
  useEffect(() => {
    if (visitorId !== undefined) done.current?.focus();
  }, [visitorId]);

  return (
    <div ref={root} tabIndex={-1} className="kiosk" data-testid="kiosk" data-visitor={visitor ? visitor.phase : 'none'}>
      <div className="kiosk-main">
        {demo && <p className="kiosk-demo">Demo model with random weights: its answers mean nothing.</p>}
        {visitor ? (
          <KioskVisitorView visitor={visitor} model={model.data} />
        ) : (
          <KioskAttract>
            {model.data ? (
              <PhotoIntake key={intake} onFiles={(files) => void showVisitorPhoto(files[0], model.data!)} />
            ) : (
              <p className="kiosk-wait" role="status">
                {model.isError ? 'The model could not be loaded: please ask the staff.' : 'Getting ready…'}
              </p>
            )}
          </KioskAttract>
        )}
      </div>
      <div className="kiosk-footer">
        <KioskStaff open={staffOpen} onOpen={() => setStaffOpen(true)} onClose={() => setStaffOpen(false)} />
        <p className="kiosk-privacy">
          {visitor && left <= WARN_SECONDS ? (
            <strong role="status" className="kiosk-countdown" data-testid="kiosk-countdown">
              Clearing in {left} s: touch the screen to keep it.
            </strong>
          ) : (
            `Photos stay in this browser’s memory only, and are wiped on Done or after ${idleSeconds} s without a touch.`
          )}
        </p>
        {visitor && (
          <button ref={done} type="button" className="kiosk-done" onClick={wipe} data-testid="kiosk-done">
            Done
          </button>
        )}
      </div>
    </div>
  );
}
