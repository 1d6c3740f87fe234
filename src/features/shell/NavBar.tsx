import { Link, useLocation } from 'wouter';
import { SCREEN_LINKS } from './screens';

/** Links to every screen; the current one is marked for screen readers (aria-current). */
export function NavBar() {
  const [location] = useLocation();
  return (
    <nav className="screens" aria-label="Screens" data-testid="screens-nav">
      {SCREEN_LINKS.map((s) => (
        <Link key={s.path} href={s.path} aria-current={location === s.path || (s.path !== '/' && location.startsWith(`${s.path}/`)) ? 'page' : undefined}>
          {s.label}
        </Link>
      ))}
    </nav>
  );
}
