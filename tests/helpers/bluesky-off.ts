/**
 * Bluesky is on by default and its defaults are Bluesky's public services. A server a test starts
 * for something else gets `--no-bluesky`; one whose arguments or environment name Bluesky
 * (a double's Jetstream, `--bluesky`, FTO_BLUESKY…) is left as the test set it up.
 */
export function blueskyOffUnlessNamed(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): string[] {
  const named =
    args.some((a) => /^--(no-)?(bluesky|jetstream|bsky-appview)\b/.test(a)) ||
    ['FTO_BLUESKY', 'FTO_JETSTREAM', 'FTO_BSKY_APPVIEW'].some((k) => env[k] !== undefined);
  return named ? [] : ['--no-bluesky'];
}
