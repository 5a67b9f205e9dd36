/** `"a, b,,c "` → `['a', 'b', 'c']`; undefined when the value is unset or blank (so a default applies). */
export function splitList(value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
