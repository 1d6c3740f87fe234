import { Link, useLocation } from 'wouter';

export function NotFound() {
  const [location] = useLocation();
  return (
    <section className="panel" data-testid="not-found">
      <h2>No such screen</h2>
      <p>
        There is no screen at <code>{location}</code>. <Link href="/">Go to Diagnose</Link>.
      </p>
    </section>
  );
}
