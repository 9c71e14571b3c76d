/**
 * A small XML well-formedness check for the SVG renderer's tests (no
 * dependency): tags nest and match, one root element, attributes quoted and
 * not repeated, `&` only in entities and no `<` in text or attribute values.
 * Returns the problems found, empty when the document is well-formed.
 */
const ENTITY = /^&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;
const TAG = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_:][\w:.-]*\s*=\s*"[^"]*")*)\s*(\/?)>/y;
const ATTR = /([A-Za-z_:][\w:.-]*)\s*=\s*"([^"]*)"/g;

function badAmpersands(text: string): boolean {
  for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) {
    if (!ENTITY.test(text.slice(i))) return true;
  }
  return false;
}

export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const textPart = xml.slice(i, lt < 0 ? xml.length : lt);
    if (badAmpersands(textPart)) problems.push(`bare & in text near offset ${i}`);
    if (stack.length === 0 && textPart.trim() !== '') problems.push(`text outside the root near offset ${i}`);
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt);
      if (end < 0) return [...problems, 'unterminated comment'];
      i = end + 3;
      continue;
    }
    if (xml.startsWith('<?', lt)) {
      const end = xml.indexOf('?>', lt);
      if (end < 0) return [...problems, 'unterminated processing instruction'];
      i = end + 2;
      continue;
    }
    TAG.lastIndex = lt;
    const m = TAG.exec(xml);
    if (m === null) return [...problems, `malformed tag at offset ${lt}: ${xml.slice(lt, lt + 40)}`];
    const [whole, closing, name, attrs, selfClosing] = m as unknown as [string, string, string, string, string];
    const names = new Set<string>();
    for (const [, attr, value] of attrs.matchAll(ATTR)) {
      if (names.has(attr!)) problems.push(`attribute ${attr} repeated on <${name}>`);
      names.add(attr!);
      if (value!.includes('<')) problems.push(`< in attribute ${attr} of <${name}>`);
      if (badAmpersands(value!)) problems.push(`bare & in attribute ${attr} of <${name}>`);
    }
    if (closing === '/') {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
    } else {
      if (stack.length === 0) roots++;
      if (selfClosing !== '/') stack.push(name);
    }
    i = lt + whole.length;
  }
  if (stack.length > 0) problems.push(`unclosed <${stack.join('>, <')}>`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}
