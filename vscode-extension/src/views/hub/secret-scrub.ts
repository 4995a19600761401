// Pure: removes a secret value from text about to be shown, in case a tool ever echoes it back.

/** Replaces every occurrence of `secret` in `text` with `***` (nothing to do without a secret). */
export function scrub(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('***') : text;
}
