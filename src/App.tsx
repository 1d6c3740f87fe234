import { useEffect } from 'react';
import { CaseTabs } from './features/diagnose/CaseTabs';
import { DiagnoseView } from './features/diagnose/DiagnoseView';
import { Notices } from './features/diagnose/Notices';
import { PhotoIntake } from './features/diagnose/PhotoIntake';
import { UpdateBanner } from './features/offline/UpdateBanner';
import { SettingsPanel } from './features/settings/SettingsPanel';
import { StoragePanel } from './features/storage/StoragePanel';
import { ModelStatus } from './features/status/ModelStatus';
import { useCases } from './state/cases';
import { useModel } from './state/model';

export function App() {
  const model = useModel();
  const manifest = model.data?.source.manifest;
  const cases = useCases((s) => s.cases);
  const activeId = useCases((s) => s.activeId);
  const hydrate = useCases((s) => s.hydrate);
  const addFiles = useCases((s) => s.addFiles);
  useEffect(() => void hydrate(), [hydrate]);
  const active = cases.find((c) => c.id === activeId) ?? null;

  return (
    <div className="app">
      <header className="app-header">
        <h1>DermLIP Explorer</h1>
        {manifest && (
          <span className="model-chip" data-testid="model-chip">
            {manifest.name}
          </span>
        )}
        <ModelStatus />
      </header>
      {manifest?.demo && (
        <div className="banner demo" role="note" data-testid="demo-banner">
          Demo model with random weights: its predictions are meaningless. Export the real DermLIP weights (see the README) to use the app for real.
        </div>
      )}
      <p className="banner info">
        <strong>Research and teaching tool, not a medical device.</strong> This photo never leaves your device: the model runs in your browser.
      </p>
      <UpdateBanner />
      <Notices />
      <PhotoIntake onFiles={(f) => void addFiles(f)} />
      <CaseTabs />
      <main>
        {active && model.data && <DiagnoseView model={model.data} c={active} />}
        {active && model.isError && <p className="muted">The photo is saved; it will be analysed once a model loads.</p>}
      </main>
      <details className="panel">
        <summary>Settings</summary>
        <SettingsPanel />
      </details>
      <details className="panel">
        <summary>Storage</summary>
        <StoragePanel />
      </details>
      <footer className="app-footer">
        <p>
          Derm1M ontology, concepts and class lists: CC BY-NC 4.0 (non-commercial). DermLIP weights: non-commercial research use. CLIP BPE
          vocabulary: MIT (OpenAI). {manifest && `This model: ${manifest.license.weights}; ${manifest.license.data}.`}
        </p>
      </footer>
    </div>
  );
}
