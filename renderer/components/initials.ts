/** Up to two letters for an avatar: first and last word of the name, asides in brackets left out. */
export function initials(name: string): string {
  const letters = name
    .replace(/\([^)]*\)/g, ' ')
    .split(/\s+/)
    .filter((word) => /^\p{L}/u.test(word))
    .map((word) => word.charAt(0).toUpperCase())
  if (letters.length === 0) return '?'
  return letters.length > 1 ? `${letters[0]}${letters[letters.length - 1]}` : (letters[0] as string)
}
