import { useEffect, useRef } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { CompareScreen } from './features/compare/CompareScreen';
import { RealModelScreen } from './features/convert/RealModelScreen';
import { DiagnoseScreen } from './features/diagnose/DiagnoseScreen';
import { SettingsPanel } from './features/settings/SettingsPanel';
import { ModelStatus } from './features/shell/ModelStatus';
import { NavBar } from './features/shell/NavBar';
import { NotFound } from './features/shell/NotFound';
import { Notices } from './features/shell/Notices';
import { UpdateBanner } from './features/shell/UpdateBanner';
import { StoragePanel } from './features/storage/StoragePanel';
import { useCases } from './state/cases';
import { checkPendingConversion } from './state/convert';
import { useModel } from './state/model';

/** Focus the screen's content after a move between screens (not on the first load). */
function useFocusOnNavigate() {
  const [location] = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus({ preventScroll: false });
  }, [location]);
  return main;
}

export function App() {
  const model = useModel();
  const manifest = model.data?.source.manifest;
  const hydrate = useCases((s) => s.hydrate);
  useEffect(() => void hydrate(), [hydrate]);
  // A conversion of real weights interrupted by a reload goes on (or is offered again).
  useEffect(() => void checkPendingConversion(), []);
  const main = useFocusOnNavigate();

  return (
    <div className="app">
      <header className="app-header">
        <h1>DermLIP Explorer</h1>
        <NavBar />
        {manifest && (
          <span className="model-chip" data-testid="model-chip">
            {manifest.name}
          </span>
        )}
        <ModelStatus />
      </header>
      {manifest?.demo && (
        <div className="banner demo" role="note" data-testid="demo-banner">
          Demo model with random weights: its predictions are meaningless. <Link href="/real-model">Use the real DermLIP weights</Link> (downloaded from the
          model page, converted here in the browser) to use the app for real.
        </div>
      )}
      <p className="banner info">
        <strong>Research and teaching tool, not a medical device.</strong> This photo never leaves your device: the model runs in your browser.
      </p>
      <UpdateBanner />
      <Notices />
      <main ref={main} tabIndex={-1} className="screen">
        <Switch>
          <Route path="/">
            <DiagnoseScreen />
          </Route>
          <Route path="/compare">
            <CompareScreen />
          </Route>
          <Route path="/settings">
            <section className="panel">
              <SettingsPanel />
            </section>
          </Route>
          <Route path="/real-model">
            <section className="panel">
              <RealModelScreen />
            </section>
          </Route>
          <Route path="/storage">
            <section className="panel">
              <StoragePanel />
            </section>
          </Route>
          <Route>
            <NotFound />
          </Route>
        </Switch>
      </main>
      <footer className="app-footer">
        <p>
          Derm1M ontology, concepts and class lists: CC BY-NC 4.0 (non-commercial). DermLIP weights: non-commercial research use. CLIP BPE
          vocabulary: MIT (OpenAI). {manifest && `This model: ${manifest.license.weights}; ${manifest.license.data}.`}
        </p>
      </footer>
    </div>
  );
}
