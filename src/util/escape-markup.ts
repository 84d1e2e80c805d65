/**
 * Escaping text for HTML and XML: element content and attribute values (the report's pages, STS's XML
 * answers).
 * @module
 */

/** `&`, `<`, `>`, `"` and `'` as numeric character references. */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
