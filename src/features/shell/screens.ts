/** The app's screens: one URL each (the browser's back and forward buttons move between them). */
export interface ScreenLink {
  path: string;
  label: string;
}

export const SCREEN_LINKS: readonly ScreenLink[] = [
  { path: '/', label: 'Diagnose' },
  { path: '/compare', label: 'Compare' },
  { path: '/collections', label: 'Collections' },
  { path: '/settings', label: 'Settings' },
  { path: '/real-model', label: 'Real model' },
  { path: '/storage', label: 'Storage' },
  { path: '/teach', label: 'Teach' },
  { path: '/kiosk', label: 'Kiosk' },
];
