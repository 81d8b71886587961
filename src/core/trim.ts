/**
 * The text without the run of characters `drop` accepts at its end. A loop, because `/[…]+$/`
 * re-scans every run that does not end the text (quadratic on a long run of them).
 */
export function trimEndWhile(text: string, drop: (char: string) => boolean): string {
  let end = text.length;
  while (end > 0 && drop(text[end - 1] as string)) end--;
  return text.slice(0, end);
}

/** The text without its leading run of characters `drop` accepts. */
export function trimStartWhile(text: string, drop: (char: string) => boolean): string {
  let start = 0;
  while (start < text.length && drop(text[start] as string)) start++;
  return text.slice(start);
}
