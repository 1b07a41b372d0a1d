import { describe, expect, it } from 'vitest'
import { crc32, generateToken, hashToken, randomBase62, tokenStart, verifyTokenChecksum } from '../../src/server/index.ts'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

describe('generateToken', () => {
  it('makes prefix + 32 random base62 characters + a 6-character base62 checksum', () => {
    const token = generateToken('pat_')
    expect(token).toMatch(/^pat_[0-9A-Za-z]{38}$/)
    expect(token).toHaveLength(4 + 32 + 6)
  })

  it('uses the given prefix', () => {
    expect(generateToken('acme_')).toMatch(/^acme_[0-9A-Za-z]{38}$/)
  })

  it('never repeats in a thousand draws', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => generateToken()))
    expect(tokens.size).toBe(1000)
  })

  it('ends with CRC32 of the random part in base62, left-padded with 0', () => {
    const token = generateToken()
    const random = token.slice(4, 36)
    let value = 0
    for (const char of token.slice(36)) value = value * 62 + BASE62.indexOf(char)
    expect(value).toBe(crc32(random))
  })
})

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32('123456789')).toBe(0xcbf43926)
    expect(crc32('')).toBe(0)
  })
})

describe('randomBase62', () => {
  it('draws only alphabet characters, and all of them show up with roughly equal frequency', () => {
    const sample = randomBase62(62 * 1000)
    expect(sample).toMatch(/^[0-9A-Za-z]+$/)
    const counts = new Map<string, number>()
    for (const char of sample) counts.set(char, (counts.get(char) ?? 0) + 1)
    expect(counts.size).toBe(62)
    // Expected 1000 each; a biased modulo (256 % 62) would give the first 8 symbols ~20% more.
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(820)
      expect(count).toBeLessThan(1180)
    }
  })
})

describe('verifyTokenChecksum', () => {
  it('accepts a freshly generated token', () => {
    for (let i = 0; i < 50; i++) expect(verifyTokenChecksum(generateToken())).toBe(true)
  })

  it('rejects a token with any one character changed', () => {
    const token = generateToken()
    for (let i = 4; i < token.length; i++) {
      const replacement = token[i] === 'a' ? 'b' : 'a'
      const typo = token.slice(0, i) + replacement + token.slice(i + 1)
      expect(verifyTokenChecksum(typo), `typo at ${i}`).toBe(false)
    }
  })

  it('rejects two adjacent characters swapped', () => {
    let token = generateToken()
    while (token[10] === token[11]) token = generateToken()
    const swapped = token.slice(0, 10) + token[11] + token[10] + token.slice(12)
    expect(verifyTokenChecksum(swapped)).toBe(false)
  })

  it('rejects the wrong prefix, wrong length, non-base62 characters and non-strings', () => {
    const token = generateToken('pat_')
    expect(verifyTokenChecksum(token, 'acme_')).toBe(false)
    expect(verifyTokenChecksum(token.slice(0, -1))).toBe(false)
    expect(verifyTokenChecksum(`${token}0`)).toBe(false)
    expect(verifyTokenChecksum(`${token.slice(0, 10)}-${token.slice(11)}`)).toBe(false)
    expect(verifyTokenChecksum('')).toBe(false)
    expect(verifyTokenChecksum(undefined as unknown as string)).toBe(false)
  })
})

describe('tokenStart and hashToken', () => {
  it('keeps the prefix and the first 4 random characters', () => {
    const token = generateToken('pat_')
    expect(tokenStart(token, 'pat_')).toBe(token.slice(0, 8))
    expect(tokenStart(token, 'pat_')).toMatch(/^pat_[0-9A-Za-z]{4}$/)
  })

  it('hashes with SHA-256 into lowercase hex', async () => {
    expect(await hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(await hashToken(generateToken())).toMatch(/^[0-9a-f]{64}$/)
  })
})
