import { useEffect, useState, type ReactNode } from 'react';
import { useObjectUrl } from '../../components/useObjectUrl';
import { useKiosk } from '../../state/kiosk';
import { usePack, type PackCase } from '../../state/teach';
import { MedicalNotice } from './MedicalNotice';

function Slide({ c, photo }: { c: PackCase; photo: Blob }) {
  const url = useObjectUrl(photo);
  return (
    <figure className="kiosk-slide" data-testid="kiosk-slide" data-case={c.id}>
      <img src={url} alt={`A teaching case: ${c.diagnosis.name}`} />
      <figcaption>
        <strong>{c.diagnosis.name}</strong>
        <span className="kiosk-credit">
          {c.source} · {c.license}
        </span>
      </figcaption>
    </figure>
  );
}

/** The attract screen: the pack's cases in turn, the way in for a visitor's photo, the notice. */
export function KioskAttract({ children }: { children: ReactNode }) {
  const packId = useKiosk((s) => s.packId);
  const cycleSeconds = useKiosk((s) => s.cycleSeconds);
  const stored = usePack(packId).data;
  const [i, setI] = useState(0);
  const n = stored?.pack.cases.length ?? 0;
  useEffect(() => {
    if (n < 2) return;
    const t = setInterval(() => setI((k) => (k + 1) % n), cycleSeconds * 1000);
    return () => clearInterval(t);
  }, [n, cycleSeconds]);
  const c = n ? stored!.pack.cases[i % n] : undefined;
  return (
    <section className="kiosk-attract" aria-labelledby="kiosk-h" data-testid="kiosk-attract">
      <h1 id="kiosk-h">What does an AI see in a skin photo?</h1>
      <p className="kiosk-lead">Take or drop a photo of a spot on your skin. The model runs here, in this browser: your photo is not sent anywhere and is not kept.</p>
      <MedicalNotice />
      <div className="kiosk-attract-body">
        <div className="kiosk-intake">{children}</div>
        {c && stored && <Slide c={c} photo={stored.photos[c.photo]} />}
      </div>
    </section>
  );
}
