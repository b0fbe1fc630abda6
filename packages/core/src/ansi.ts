/**
 * Terminal output as plain text. Jobs log what their commands print, raw
 * (Contract 1 of issue 10): colours, cursor moves and progress bars redrawn
 * with carriage returns. The log view shows what a terminal would leave on the
 * line, without the escapes.
 */

// CSI (ESC [ … final byte), OSC (ESC ] … BEL or ESC \), the 8-bit CSI
// (U+009B) and the two-character escapes (ESC and one byte).
const ESCAPES =
  // eslint-disable-next-line no-control-regex
  /\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]/g;

// Other C0 controls than tab, and DEL: a terminal shows nothing for them.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f]/g;

/**
 * `text` without ANSI escape sequences; a carriage return (a progress bar
 * redrawing its line) keeps only what was written after it.
 */
export function stripAnsi(text: string): string {
  let plain = text.replace(ESCAPES, '');
  const trimmed = plain.replace(/\r+$/, '');
  const cr = trimmed.lastIndexOf('\r');
  if (cr >= 0) {
    plain = trimmed.slice(cr + 1);
  } else {
    plain = trimmed;
  }
  return plain.replace(CONTROLS, '');
}
