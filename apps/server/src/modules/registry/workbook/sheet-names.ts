import unzipper from 'unzipper';

/** XML's five predefined entities and numeric references, as an attribute value may hold them. */
function unescapeXml(text: string): string {
  return text.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(amp|lt|gt|quot|apos));/gi, (_, hex, dec, name) => {
    if (hex) return String.fromCodePoint(Number.parseInt(hex, 16));
    if (dec) return String.fromCodePoint(Number(dec));
    return (
      ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[name.toLowerCase()] ??
      ''
    );
  });
}

/** The attributes of each element `tag` (any namespace prefix) in an XML text, by local name. */
function elements(xml: string, tag: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  const element = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${tag}\\b([^>]*)>`, 'g');
  for (const m of xml.matchAll(element)) {
    const attrs: Record<string, string> = {};
    for (const a of (m[1] ?? '').matchAll(
      /([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)\s*=\s*("([^"]*)"|'([^']*)')/g,
    ))
      attrs[a[2] as string] = unescapeXml(a[4] ?? a[5] ?? '');
    out.push(attrs);
  }
  return out;
}

/**
 * The name of each worksheet of an .xlsx file, by the number of its part (xl/worksheets/sheetN.xml
 * → N), read from the zip's directory, xl/workbook.xml and its relationships, without reading the
 * sheets. exceljs's streaming reader learns the names only from xl/workbook.xml; a workbook that
 * stores that part after its sheets (openpyxl does) reaches the reader with sheets named "Sheet1",
 * "Sheet2"… An empty map when the parts cannot be found: the reader then reports the file itself.
 */
export async function sheetNamesOf(file: string): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  let directory: Awaited<ReturnType<typeof unzipper.Open.file>>;
  try {
    directory = await unzipper.Open.file(file);
  } catch {
    return names;
  }
  const part = async (path: string) => {
    const entry = directory.files.find((f) => f.path.replace(/^\//, '').toLowerCase() === path);
    return entry ? (await entry.buffer()).toString('utf8') : undefined;
  };
  const workbook = await part('xl/workbook.xml');
  const rels = await part('xl/_rels/workbook.xml.rels');
  if (!workbook || !rels) return names;
  const targets = new Map(elements(rels, 'Relationship').map((r) => [r.Id, r.Target ?? '']));
  for (const sheet of elements(workbook, 'sheet')) {
    const target = targets.get(sheet.id ?? '');
    const n = target?.match(/worksheets\/sheet(\d+)\.xml$/i)?.[1];
    if (n && sheet.name !== undefined) names.set(Number(n), sheet.name);
  }
  return names;
}
