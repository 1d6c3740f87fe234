import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { cleanUpInterruptedImports } from './state/bundles';
import { installConsoleApi } from './state/console-api';
import { startServiceWorker } from './state/pwa';
import { applyUrlOverrides } from './state/url-overrides';
import './styles.css';

applyUrlOverrides(window.location.search);
installConsoleApi();
startServiceWorker();
void cleanUpInterruptedImports();

// networkMode 'always': every query here is local work (models, caches, workers); react-query must not
// pause them when the browser goes offline mid-session.
const queryClient = new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false, networkMode: 'always' } } });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
