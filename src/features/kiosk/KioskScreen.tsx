import { useKiosk } from '../../state/kiosk';
import { KioskRunning } from './KioskRunning';
import { KioskSetup } from './KioskSetup';
import './kiosk.css';

/** /kiosk: the setup form, or (once started) the booth itself, which then owns the whole page. */
export function KioskScreen() {
  const active = useKiosk((s) => s.active);
  return active ? <KioskRunning /> : <KioskSetup />;
}
