/**
 * Searching the ontology's diagnoses by name or alias, for the pack maker's answer picker. Pure:
 * case and accents do not matter; names that start with the query come first, then names with a
 * word starting with it, then any other match; ties keep ontology order.
 */
import type { Label } from '../prompts';

function fold(s: string): string {
  return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
}

function rank(text: string, q: string): number {
  if (text.startsWith(q)) return 0;
  if (text.split(/[^a-z0-9]+/).some((w) => w.startsWith(q))) return 1;
  return text.includes(q) ? 2 : 3;
}

/** Labels matching every word of `query` (in the name or an alias), best first, at most `limit`. */
export function searchLabels(labels: readonly Label[], query: string, limit = 50): Label[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (!words.length) return labels.slice(0, limit);
  const scored: { l: Label; score: number; i: number }[] = [];
  labels.forEach((l, i) => {
    const texts = [l.name, ...l.aliases].map(fold);
    let score = 0;
    for (const w of words) {
      const best = Math.min(...texts.map((t) => rank(t, w)));
      if (best === 3) return;
      score += best;
    }
    scored.push({ l, score, i });
  });
  return scored.sort((a, b) => a.score - b.score || a.i - b.i).slice(0, limit).map((s) => s.l);
}
