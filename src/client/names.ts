/**
 * What makes a key name or description acceptable, shared by the reference server and any form that
 * wants to say what is wrong before the server does. Pure: no React, no I/O.
 */

export type KeyNameProblem = 'empty' | 'tooLong' | 'invisibleCharacters' | 'illFormed'

export type KeyNameCheck =
  | { ok: true; /** Trimmed and NFC-normalised: the form to send and to compare. */ name: string }
  | { ok: false; problem: KeyNameProblem; /** An English sentence; forms may show their own per `problem`. */ message: string }

export type KeyDescriptionProblem = Exclude<KeyNameProblem, 'empty'>

export type KeyDescriptionCheck =
  | { ok: true; /** NFC, line breaks as `\n`, trimmed; `null` when nothing is left (no description). */ description: string | null }
  | { ok: false; problem: KeyDescriptionProblem; message: string }

/**
 * Characters a name must not contain: control (Cc), format (Cf: zero-width spaces, bidi overrides such
 * as U+202E that make `gnp.exe` show as `exe.png`), private-use (Co) and unassigned (Cn) code points,
 * plus line and paragraph separators, which break layouts and logs like a newline does.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u2028\u2029]/u
/** The same, but a line feed: a description is a note and may have lines ("Used by: …\nOwner: …"). */
const INVISIBLE_BUT_LINE_FEED = /[^\P{Cc}\n]|[\p{Cf}\p{Co}\p{Cn}\u2028\u2029]/u
/** A lone UTF-16 surrogate: a string no UTF-8 database or JSON encoder can carry faithfully. */
const LONE_SURROGATE = /\p{Cs}/u

/** Counted in characters (code points), as people and SQL varchar count them, not UTF-16 units. */
export const characterCount = (text: string) => [...text].length

type TextCheck<P> = { ok: true; text: string } | { ok: false; problem: P; message: string }

/** The rules names and descriptions share; a description may also be empty and span lines. */
function checkText(text: string, noun: 'name' | 'description', maxLength: number): TextCheck<KeyNameProblem> {
  const lines = noun === 'description'
  if (LONE_SURROGATE.test(text)) return { ok: false, problem: 'illFormed', message: `The ${noun} contains a broken character.` }
  let normalized = text.normalize('NFC')
  if (lines) normalized = normalized.replace(/\r\n?/g, '\n')
  normalized = normalized.trim()
  if (normalized === '' && !lines) return { ok: false, problem: 'empty', message: 'Enter a name.' }
  if ((lines ? INVISIBLE_BUT_LINE_FEED : INVISIBLE).test(normalized)) {
    const what = lines ? 'tabs or invisible' : 'invisible'
    return { ok: false, problem: 'invisibleCharacters', message: `The ${noun} cannot contain ${what}, control or formatting characters.` }
  }
  if (characterCount(normalized) > maxLength) return { ok: false, problem: 'tooLong', message: `The ${noun} must be at most ${maxLength} characters.` }
  return { ok: true, text: normalized }
}

/**
 * Checks a key name: trimmed, NFC-normalised (so "é" typed two ways is one name, also for the
 * uniqueness check), 1 to `maxLength` characters counted as code points, and no invisible, control,
 * private-use or unassigned characters.
 */
export function checkKeyName(name: string, maxLength: number): KeyNameCheck {
  const check = checkText(name, 'name', maxLength)
  return check.ok ? { ok: true, name: check.text } : check
}

/**
 * Checks a key description by the name's rules, with two differences: it may be empty (no
 * description), and it may span lines. Line breaks are kept as `\n` (`\r\n` and `\r` become `\n`,
 * so a note pasted from any system counts and compares alike); every other control character, tab
 * included, and the invisible and bidi characters are refused as in names, since a description is
 * shown beside the name and must not disguise it.
 */
export function checkKeyDescription(description: string, maxLength: number): KeyDescriptionCheck {
  const check = checkText(description, 'description', maxLength)
  if (!check.ok) return check as Extract<KeyDescriptionCheck, { ok: false }>
  return { ok: true, description: check.text === '' ? null : check.text }
}
