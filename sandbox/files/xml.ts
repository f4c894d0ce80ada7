const xmlEntities: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  "'": '&apos;',
  '"': '&quot;',
}

export const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => xmlEntities[c]!)

/** `<Name>value</Name>`, or `<Name />` when the value is empty, as the service writes them. */
export function element(name: string, value: string | number | undefined): string {
  if (value === undefined || value === '') return `<${name} />`
  return `<${name}>${escapeXml(String(value))}</${name}>`
}

/** Element only when there is a value. */
export const optionalElement = (name: string, value: string | number | undefined) =>
  value === undefined || value === '' ? '' : element(name, value)

export const xmlDeclaration = '<?xml version="1.0" encoding="utf-8"?>'
