/**
 * Token format: `<prefix><32 random base62><6 base62 of CRC32(random part)>`, e.g. `pat_…`.
 * The checksum lets a server (or a secret scanner) reject typos and random strings without a
 * store lookup; it is not a secret and proves nothing about authenticity.
 */

export const DEFAULT_TOKEN_PREFIX = 'pat_'
const TOKEN_RANDOM_LENGTH = 32
const TOKEN_CHECKSUM_LENGTH = 6
/** Characters of the random part kept in `start` (after the prefix). */
const TOKEN_START_LENGTH = 4

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const BASE62_RUN = /^[0-9A-Za-z]*$/
/** 248 = 4 × 62: bytes below it map onto the alphabet evenly; the rest would bias the first 8 symbols. */
const UNBIASED_BYTE_LIMIT = 248

/** A prefix must be short and URL/header safe; it is matched literally, never as a pattern. */
export function isValidTokenPrefix(prefix: string): boolean {
  return /^[A-Za-z0-9_-]{1,16}$/.test(prefix)
}

/** `length` base62 characters from the CSPRNG, each symbol equally likely (rejection sampling). */
export function randomBase62(length: number): string {
  let out = ''
  while (out.length < length) {
    // getRandomValues fills at most 65,536 bytes per call.
    const bytes = crypto.getRandomValues(new Uint8Array(Math.min((length - out.length) * 2, 65_536)))
    for (const byte of bytes) {
      if (byte >= UNBIASED_BYTE_LIMIT) continue
      out += BASE62[byte % 62]
      if (out.length === length) break
    }
  }
  return out
}

let crcTable: Uint32Array | undefined

/** CRC-32 (IEEE 802.3, as in zip and PNG) over the string's UTF-8 bytes. */
export function crc32(text: string): number {
  crcTable ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  let crc = 0xffffffff
  for (const byte of new TextEncoder().encode(text)) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

/** Base62 of a non-negative integer, left-padded with '0' to `width` (2^32 fits in 6 characters). */
function encodeBase62(value: number, width: number): string {
  let out = ''
  let rest = value
  do {
    out = BASE62[rest % 62] + out
    rest = Math.floor(rest / 62)
  } while (rest > 0)
  return out.padStart(width, '0')
}

function checksumOf(randomPart: string): string {
  return encodeBase62(crc32(randomPart), TOKEN_CHECKSUM_LENGTH)
}

export function generateToken(prefix: string = DEFAULT_TOKEN_PREFIX): string {
  const randomPart = randomBase62(TOKEN_RANDOM_LENGTH)
  return prefix + randomPart + checksumOf(randomPart)
}

/** True when `token` has the prefix, the exact length, only base62 after the prefix, and a matching checksum. */
export function verifyTokenChecksum(token: string, prefix: string = DEFAULT_TOKEN_PREFIX): boolean {
  if (typeof token !== 'string' || !token.startsWith(prefix)) return false
  const body = token.slice(prefix.length)
  if (body.length !== TOKEN_RANDOM_LENGTH + TOKEN_CHECKSUM_LENGTH || !BASE62_RUN.test(body)) return false
  return checksumOf(body.slice(0, TOKEN_RANDOM_LENGTH)) === body.slice(TOKEN_RANDOM_LENGTH)
}

/** What the store keeps to recognise a key in lists: the prefix and the first random characters. */
export function tokenStart(token: string, prefix: string = DEFAULT_TOKEN_PREFIX): string {
  return token.slice(0, prefix.length + TOKEN_START_LENGTH)
}

/** Lowercase hex SHA-256 of the whole token: the only form in which a token is stored. */
export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('')
}
