/**
 * A small XML writer for the AWS query-protocol answers of the wire fake
 * (STS, SNS, EC2). A node is an element with text or child elements; values
 * are escaped, nothing else is done.
 */

export type XmlChild = XmlElement | string | number | boolean | undefined;

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlChild[];
}

/** One element; `undefined` children are left out. */
export function element(name: string, ...children: XmlChild[]): XmlElement {
  return { name, attributes: {}, children };
}

/** The document element of an answer, with its namespace. */
export function root(name: string, namespace: string, ...children: XmlChild[]): XmlElement {
  return { name, attributes: { xmlns: namespace }, children };
}

/** A list as the query protocols write it: `<name><member>…</member>…</name>` (EC2 uses `item`). */
export function list(name: string, itemName: 'member' | 'item', items: readonly XmlChild[][]): XmlElement {
  return element(name, ...items.map((children) => element(itemName, ...children)));
}

export function renderXml(node: XmlElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${render(node)}`;
}

function render(node: XmlElement): string {
  const attributes = Object.entries(node.attributes).map(([key, value]) => ` ${key}="${escapeXml(value)}"`).join('');
  const inner = node.children.map((child) => {
    if (child === undefined) return '';
    if (typeof child === 'object') return render(child);
    return escapeXml(String(child));
  }).join('');
  return `<${node.name}${attributes}>${inner}</${node.name}>`;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => {
    switch (char) {
      case '&': return '&amp;';
      case '<': return '&lt;';
      case '>': return '&gt;';
      case '"': return '&quot;';
      default: return '&apos;';
    }
  });
}
