/**
 * Base32 as RFC 4648 section 6 defines it (alphabet A-Z and 2-7), without
 * padding: the encoding of TOTP secrets in otpauth:// URIs.
 */
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

/** Encodes `bytes` as upper-case Base32 without `=` padding. */
export const encode = (bytes: Uint8Array): string => {
  let output = ""
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff
    bits += 8
    while (bits >= 5) {
      output += alphabet[(buffer >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) output += alphabet[(buffer << (5 - bits)) & 31]
  return output
}

/**
 * Decodes Base32 text, ignoring case, spaces and `=` padding. Returns
 * undefined when a character is outside the alphabet.
 */
export const decode = (text: string): Uint8Array | undefined => {
  const bytes: Array<number> = []
  let buffer = 0
  let bits = 0
  for (const character of text.toUpperCase().replace(/[\s=]/g, "")) {
    const value = alphabet.indexOf(character)
    if (value === -1) return undefined
    buffer = ((buffer << 5) | value) & 0xffff
    bits += 5
    if (bits >= 8) {
      bytes.push((buffer >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return Uint8Array.from(bytes)
}
