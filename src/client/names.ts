/**
 * What makes a key name acceptable, shared by the reference server and any form that wants to say
 * what is wrong before the server does. Pure: no React, no I/O.
 */

export type KeyNameProblem = 'empty' | 'tooLong' | 'invisibleCharacters' | 'illFormed'

export type KeyNameCheck =
  | { ok: true; /** Trimmed and NFC-normalised: the form to send and to compare. */ name: string }
  | { ok: false; problem: KeyNameProblem; /** An English sentence; forms may show their own per `problem`. */ message: string }

/**
 * Characters a name must not contain: control (Cc), format (Cf: zero-width spaces, bidi overrides such
 * as U+202E that make `gnp.exe` show as `exe.png`), private-use (Co) and unassigned (Cn) code points,
 * plus line and paragraph separators, which break layouts and logs like a newline does.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u2028\u2029]/u
/** A lone UTF-16 surrogate: a string no UTF-8 database or JSON encoder can carry faithfully. */
const LONE_SURROGATE = /\p{Cs}/u

/**
 * Checks a key name: trimmed, NFC-normalised (so "é" typed two ways is one name, also for the
 * uniqueness check), 1 to `maxLength` characters counted as code points, and no invisible, control,
 * private-use or unassigned characters.
 */
export function checkKeyName(name: string, maxLength: number): KeyNameCheck {
  if (LONE_SURROGATE.test(name)) return { ok: false, problem: 'illFormed', message: 'The name contains a broken character.' }
  const normalized = name.normalize('NFC').trim()
  if (normalized === '') return { ok: false, problem: 'empty', message: 'Enter a name.' }
  if (INVISIBLE.test(normalized)) {
    return { ok: false, problem: 'invisibleCharacters', message: 'The name cannot contain invisible, control or formatting characters.' }
  }
  // Counted in characters (code points), as people and SQL varchar count them, not UTF-16 units.
  if ([...normalized].length > maxLength) return { ok: false, problem: 'tooLong', message: `The name must be at most ${maxLength} characters.` }
  return { ok: true, name: normalized }
}
