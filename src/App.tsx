import { ModelStatus } from './features/status/ModelStatus';
import { useModel } from './state/model';

export function App() {
  const model = useModel();
  const manifest = model.data?.source.manifest;
  return (
    <div className="app">
      <header className="app-header">
        <h1>DermLIP Explorer</h1>
        <ModelStatus />
      </header>
      {manifest?.demo && (
        <div className="banner demo" role="alert" data-testid="demo-banner">
          Demo model with random weights: its predictions are meaningless. Export the real DermLIP weights to use the app for real.
        </div>
      )}
      <p className="banner notice">Research and teaching tool, not a medical device. This photo never leaves your device.</p>
    </div>
  );
}
