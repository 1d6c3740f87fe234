import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { KIOSK_CYCLE, KIOSK_IDLE, parseSeconds } from '../../core/teach/kiosk';
import { checkPin, exitKiosk, updateKiosk, useKiosk } from '../../state/kiosk';
import { usePacks } from '../../state/teach';

function PinForm({ onOk, onCancel }: { onOk: () => void; onCancel: () => void }) {
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await checkPin(pin);
    setPin('');
    if (r === true) onOk();
    else setError(r);
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="kiosk-pin" aria-label="Staff PIN">
      <label>
        Staff PIN
        <input ref={input} type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} data-testid="staff-pin" />
      </label>
      <button type="submit" data-testid="staff-unlock">
        Unlock
      </button>{' '}
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      {error && (
        <p role="alert" className="notice" data-testid="staff-pin-error">
          {error}
        </p>
      )}
    </form>
  );
}

function StaffSettings({ onClose }: { onClose: () => void }) {
  const k = useKiosk();
  const packs = usePacks();
  const [idle, setIdle] = useState(String(k.idleSeconds));
  const [cycle, setCycle] = useState(String(k.cycleSeconds));
  const [packId, setPackId] = useState(k.packId);
  const [error, setError] = useState<string | null>(null);
  const [, navigate] = useLocation();
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const save = (e: FormEvent) => {
    e.preventDefault();
    const idleSeconds = parseSeconds(idle, KIOSK_IDLE, 'The idle time');
    const cycleSeconds = parseSeconds(cycle, KIOSK_CYCLE, 'The time per attract photo');
    if (typeof idleSeconds === 'string') return setError(idleSeconds);
    if (typeof cycleSeconds === 'string') return setError(cycleSeconds);
    updateKiosk({ idleSeconds, cycleSeconds, packId });
    onClose();
  };
  const leave = () => {
    exitKiosk();
    if (document.fullscreenElement) document.exitFullscreen().catch(() => undefined);
    navigate('/teach');
  };
  return (
    <form onSubmit={save} className="kiosk-staff-settings" aria-label="Kiosk settings" data-testid="staff-settings">
      <label>
        Wipe after (seconds without a touch)
        <input ref={first} inputMode="numeric" value={idle} onChange={(e) => setIdle(e.target.value)} data-testid="staff-idle" />
      </label>
      <label>
        Seconds per attract photo
        <input inputMode="numeric" value={cycle} onChange={(e) => setCycle(e.target.value)} data-testid="staff-cycle" />
      </label>
      <label>
        Attract screen pack
        <select value={packId} onChange={(e) => setPackId(e.target.value)}>
          {(packs.data ?? []).map((p) => (
            <option key={p.pack.id} value={p.pack.id}>
              {p.pack.title}
            </option>
          ))}
        </select>
      </label>
      {error && (
        <p role="alert" className="notice">
          {error}
        </p>
      )}
      <button type="submit" data-testid="staff-save">
        Save
      </button>{' '}
      <button type="button" onClick={onClose}>
        Close
      </button>{' '}
      <button type="button" onClick={leave} data-testid="staff-exit">
        Exit kiosk mode
      </button>
    </form>
  );
}

/** The staff corner: settings and leaving kiosk mode, behind the PIN (asked every time). */
export function KioskStaff({ open, onOpen, onClose }: { open: boolean; onOpen: () => void; onClose: () => void }) {
  const [unlocked, setUnlocked] = useState(false);
  useEffect(() => {
    if (!open) setUnlocked(false);
  }, [open]);
  if (!open) {
    return (
      <button type="button" className="kiosk-staff-button" onClick={onOpen} data-testid="staff-open">
        Staff
      </button>
    );
  }
  return (
    <section className="kiosk-staff" aria-label="Staff" data-testid="staff">
      {unlocked ? <StaffSettings onClose={onClose} /> : <PinForm onOk={() => setUnlocked(true)} onCancel={onClose} />}
    </section>
  );
}
