import { useState, type FormEvent } from 'react';
import { KIOSK_CYCLE, KIOSK_IDLE, parseSeconds, pinProblem } from '../../core/teach/kiosk';
import { startKiosk } from '../../state/kiosk';
import { usePacks } from '../../state/teach';

/** Set up a booth: the staff PIN, the idle time, the pack the attract screen shows. */
export function KioskSetup() {
  const packs = usePacks();
  const [pin, setPin] = useState('');
  const [confirmPin, setConfirmPin] = useState('');
  const [idle, setIdle] = useState(String(KIOSK_IDLE.default));
  const [cycle, setCycle] = useState(String(KIOSK_CYCLE.default));
  const [packId, setPackId] = useState('sample');
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const idleSeconds = parseSeconds(idle, KIOSK_IDLE, 'The idle time');
    const cycleSeconds = parseSeconds(cycle, KIOSK_CYCLE, 'The time per attract photo');
    const problem = pinProblem(pin, confirmPin) ?? (typeof idleSeconds === 'string' ? idleSeconds : null) ?? (typeof cycleSeconds === 'string' ? cycleSeconds : null);
    if (problem || typeof idleSeconds === 'string' || typeof cycleSeconds === 'string') {
      setError(problem);
      return;
    }
    setError(null);
    await startKiosk({ pin, idleSeconds, cycleSeconds, packId });
    document.documentElement.requestFullscreen?.().catch(() => undefined);
  };

  return (
    <section className="panel kiosk-setup" aria-labelledby="kiosk-setup-h" data-testid="kiosk-setup">
      <h2 id="kiosk-setup-h">Kiosk mode</h2>
      <p>
        For an unattended booth: an attract screen cycles the cases of a teaching pack; a visitor drops or takes a photo and sees what the model makes
        of it, with the not-a-medical-device notice in large type. <strong>Nothing of a visitor is ever stored</strong>: their photo and its results
        stay in memory and are wiped when they press Done or after the idle time. The menus are hidden; the staff settings and leaving kiosk mode
        need the PIN you set here.
      </p>
      <form onSubmit={(e) => void submit(e)} className="kiosk-form">
        <label>
          Staff PIN (4 to 8 digits)
          <input type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} data-testid="kiosk-pin" />
        </label>
        <label>
          The PIN again
          <input type="password" inputMode="numeric" autoComplete="off" value={confirmPin} onChange={(e) => setConfirmPin(e.target.value)} data-testid="kiosk-pin-confirm" />
        </label>
        <label>
          Wipe a visitor’s photo after this many seconds without a touch
          <input inputMode="numeric" value={idle} onChange={(e) => setIdle(e.target.value)} data-testid="kiosk-idle" />
        </label>
        <label>
          Seconds per photo on the attract screen
          <input inputMode="numeric" value={cycle} onChange={(e) => setCycle(e.target.value)} data-testid="kiosk-cycle" />
        </label>
        <label>
          Attract screen pack
          <select value={packId} onChange={(e) => setPackId(e.target.value)} data-testid="kiosk-pack">
            {(packs.data ?? []).map((p) => (
              <option key={p.pack.id} value={p.pack.id}>
                {p.pack.title}
              </option>
            ))}
          </select>
        </label>
        {error && (
          <p className="notice" role="alert" data-testid="kiosk-setup-error">
            {error}
          </p>
        )}
        <button type="submit" data-testid="kiosk-start">
          Start kiosk mode
        </button>
      </form>
    </section>
  );
}
