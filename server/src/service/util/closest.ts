/** Suggestions for a misspelt name: the closest candidates by edit distance. */

/** Levenshtein distance, case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const row = Array.from({ length: t.length + 1 }, (_, i) => i);
  for (let i = 1; i <= s.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (s[i - 1] === t[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[t.length];
}

/** The closest ids (at most `limit`), close enough to be a typo or a rename. */
export function closestIds(id: string, candidates: string[], limit = 3): string[] {
  const threshold = Math.max(2, Math.ceil(id.length / 2));
  return [...new Set(candidates)]
    .map((c) => ({ c, d: editDistance(id, c) }))
    .filter((x) => x.d <= threshold && x.c !== id)
    .sort((a, b) => a.d - b.d || (a.c < b.c ? -1 : 1))
    .slice(0, limit)
    .map((x) => x.c);
}
