/** Renders a value for a message: strings quoted, objects as compact JSON, long values shortened. */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** `snake_case` and `kebab-case` as `camelCase`, to recognise the documents' Terraform variable names. */
export function camelCase(word: string): string {
  return word.replace(/[_-]+([a-z0-9])/gi, (_, c: string) => c.toUpperCase());
}

/**
 * `; did you mean "x"?` when one candidate is close to `word` (or is its camelCase form, for the
 * documents' snake_case variable names), else the empty string.
 */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const camel = camelCase(word);
  const exact = candidates.find((c) => c.toLowerCase() === camel.toLowerCase());
  if (exact !== undefined && exact !== word) return `; did you mean ${JSON.stringify(exact)}?`;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const limit = word.length <= 3 ? 1 : Math.max(2, Math.floor(word.length / 3));
  return best !== undefined && bestDistance <= limit && bestDistance < word.length ? `; did you mean ${JSON.stringify(best)}?` : '';
}
