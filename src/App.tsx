import { useEffect, useRef } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { CollectionScreen } from './features/collections/CollectionScreen';
import { CollectionsScreen } from './features/collections/CollectionsScreen';
import { ImportDraftScreen } from './features/collections/ImportDraftScreen';
import { CompareScreen } from './features/compare/CompareScreen';
import { RealModelScreen } from './features/convert/RealModelScreen';
import { DiagnoseScreen } from './features/diagnose/DiagnoseScreen';
import { KioskScreen } from './features/kiosk/KioskScreen';
import { SettingsPanel } from './features/settings/SettingsPanel';
import { ModelStatus } from './features/shell/ModelStatus';
import { NavBar } from './features/shell/NavBar';
import { NotFound } from './features/shell/NotFound';
import { Notices } from './features/shell/Notices';
import { UpdateBanner } from './features/shell/UpdateBanner';
import { StoragePanel } from './features/storage/StoragePanel';
import { PresenterScreen } from './features/teach/PresenterScreen';
import { QuizScreen } from './features/teach/QuizScreen';
import { TeachScreen } from './features/teach/TeachScreen';
import { useCases } from './state/cases';
import { startCollections } from './state/indexer';
import { useKiosk } from './state/kiosk';
import { checkPendingConversion } from './state/convert';
import { useModel } from './state/model';
import { useTabSync } from './state/tabs';

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
  useTabSync();
  // Collections: read them, and carry on indexing what a reload (or a crash) interrupted.
  useEffect(() => void startCollections(), []);
  // A conversion of real weights interrupted by a reload goes on (or is offered again).
  useEffect(() => void checkPendingConversion(), []);
  const main = useFocusOnNavigate();
  // Screens that own the whole page: a running kiosk (whatever the URL: no menus for visitors)
  // and presenter mode. Their own notices are theirs; the app's chrome is not rendered.
  const kiosk = useKiosk((s) => s.active);
  const [location, navigate] = useLocation();
  useEffect(() => {
    if (kiosk && location !== '/kiosk') navigate('/kiosk', { replace: true });
  }, [kiosk, location, navigate]);
  if (kiosk || /^\/teach\/[^/]+\/present\/?$/.test(location)) {
    return (
      <main ref={main} tabIndex={-1} className="bare-screen">
        {kiosk ? <KioskScreen /> : <Route path="/teach/:packId/present">{(p) => <PresenterScreen packId={p.packId} />}</Route>}
      </main>
    );
  }

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
      <section aria-label="Messages">
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
      </section>
      <main ref={main} tabIndex={-1} className="screen">
        <Switch>
          <Route path="/">
            <DiagnoseScreen />
          </Route>
          <Route path="/compare">
            <CompareScreen />
          </Route>
          <Route path="/collections">
            <CollectionsScreen />
          </Route>
          <Route path="/collections/new">
            <ImportDraftScreen />
          </Route>
          <Route path="/collections/:id/:tab?">
            <CollectionScreen />
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
          <Route path="/teach">
            <TeachScreen />
          </Route>
          <Route path="/teach/:packId/quiz">{(p) => <QuizScreen packId={p.packId} />}</Route>
          <Route path="/kiosk">
            <KioskScreen />
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
