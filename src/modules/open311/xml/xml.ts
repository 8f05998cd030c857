/**
 * A small XML 1.0 writer for Open311, whose required format is XML: elements and text only (the
 * GeoReport v2 documents have no attributes, comments or mixed content), UTF-8, with the XML
 * declaration the spec asks for.
 *
 * Text is escaped so that any string survives a conforming parser unchanged, except characters
 * XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE and U+FFFF), which
 * become U+FFFD: `&`, `<` and `>` (so `]]>` never appears) are entities, and a carriage return
 * is `&#13;`, since a parser turns a literal one into a line feed.
 *
 * @example
 * serialise(element('errors', [element('error', [text('code', '403'), text('description', 'Invalid api_key')])]))
 */

/** An element holding text, or child elements (none: an empty element). */
export type XmlElement =
  { name: string; text: string } | { name: string; children: readonly XmlElement[] };

/** Names we write: letters, digits, `_`, `-` and `.`, not starting with a digit, `-` or `.`. */
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Everything XML 1.0's `Char` production leaves out (matched per code point, so lone surrogates too). */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

/** An element with text. */
export function text(name: string, value: string): XmlElement {
  return { name, text: value };
}

/** An element with child elements. */
export function element(name: string, children: readonly XmlElement[]): XmlElement {
  return { name, children };
}

/** Text as XML 1.0 carries it: characters it cannot hold become U+FFFD, not an error. */
export function xmlSafe(value: string): string {
  return value.replace(NOT_XML_CHAR, '\uFFFD');
}

/** Escapes text content (not attribute values: we write none). */
export function escapeText(value: string): string {
  return xmlSafe(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

function checkedName(name: string): string {
  if (!NAME.test(name))
    throw new Error(`Not an XML element name we write: ${JSON.stringify(name)}`);
  return name;
}

function write(node: XmlElement, depth: number, out: string[]): void {
  const name = checkedName(node.name);
  const indent = '  '.repeat(depth);
  if ('text' in node) {
    out.push(
      node.text === ''
        ? `${indent}<${name}/>`
        : `${indent}<${name}>${escapeText(node.text)}</${name}>`,
    );
    return;
  }
  if (node.children.length === 0) {
    out.push(`${indent}<${name}/>`);
    return;
  }
  out.push(`${indent}<${name}>`);
  for (const child of node.children) write(child, depth + 1, out);
  out.push(`${indent}</${name}>`);
}

/**
 * A whole document: the declaration, then the root element, children indented (whitespace only
 * ever goes between elements, never inside text).
 */
export function serialise(root: XmlElement): string {
  const out = [XML_DECLARATION];
  write(root, 0, out);
  return `${out.join('\n')}\n`;
}

/**
 * A JSON-shaped value as an element: objects become child elements in key order, arrays one
 * child per item named by `itemName(listName)`, null an empty element, `true` "true". How
 * Open311 writes the same response in JSON and in XML.
 *
 * @example fromJson('services', [{ service_code: 'x' }], () => 'service')
 */
export function fromJson(
  name: string,
  value: unknown,
  itemName: (listName: string) => string,
): XmlElement {
  if (value === null || value === undefined) return text(name, '');
  if (Array.isArray(value))
    return element(
      name,
      value.map((item) => fromJson(itemName(name), item, itemName)),
    );
  if (typeof value === 'object')
    return element(
      name,
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([key, v]) => fromJson(key, v, itemName)),
    );
  return text(name, String(value));
}
