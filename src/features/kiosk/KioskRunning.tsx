import { useCallback, useRef, useState } from 'react';
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

/** The booth: the attract screen, or one visitor's photo and result; the PIN-protected staff corner. */
export function KioskRunning() {
  const model = useModel();
  const visitor = useKioskVisitor((s) => s.visitor);
  const idleSeconds = useKiosk((s) => s.idleSeconds);
  // A new intake after every visitor: closes a camera left open and forgets anything it held.
  const [intake, setIntake] = useState(0);
  const [staffOpen, setStaffOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);

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

  return (
    <div ref={root} tabIndex={-1} className="kiosk" data-testid="kiosk" data-visitor={visitor ? visitor.phase : 'none'}>
      {demo && <p className="kiosk-demo">Demo model with random weights: its answers mean nothing.</p>}
      {visitor ? (
        <KioskVisitorView visitor={visitor} model={model.data} onDone={wipe} secondsLeft={left <= WARN_SECONDS ? left : null} idleSeconds={idleSeconds} />
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
      <KioskStaff open={staffOpen} onOpen={() => setStaffOpen(true)} onClose={() => setStaffOpen(false)} />
    </div>
  );
}
