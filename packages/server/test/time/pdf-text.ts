import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfText {
  /** Each page's size in points, [width, height]. */
  sizes: [number, number][];
  /** Each page's lines, top to bottom: the strings drawn on one baseline, left to right, joined by a space. */
  pages: string[][];
}

/** The text of a PDF as a reader's text extractor (pdf.js) sees it, line by line. */
export async function pdfText(bytes: Uint8Array): Promise<PdfText> {
  const document = await getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
  }).promise;
  const sizes: [number, number][] = [];
  const pages: string[][] = [];
  for (let n = 1; n <= document.numPages; n++) {
    const page = await document.getPage(n);
    const [, , width, height] = page.view as [number, number, number, number];
    sizes.push([Math.round(width), Math.round(height)]);
    const content = await page.getTextContent();
    const lines = new Map<number, Item[]>();
    for (const item of content.items) {
      if (!('str' in item) || item.str === '') continue;
      const y = Math.round(item.transform[5] as number);
      const line = lines.get(y) ?? [];
      line.push({ x: item.transform[4] as number, width: item.width, text: item.str });
      lines.set(y, line);
    }
    pages.push(
      [...lines.entries()]
        .sort(([a], [b]) => b - a)
        .map(([, items]) => joinRuns(items.sort((a, b) => a.x - b.x))),
    );
  }
  await document.destroy();
  return { sizes, pages };
}

interface Item {
  x: number;
  width: number;
  text: string;
}

/** Items drawn edge to edge (one word in runs of two fonts) join without a space. */
function joinRuns(items: Item[]): string {
  let text = '';
  let end = Number.NEGATIVE_INFINITY;
  for (const item of items) {
    text += item.x - end < 0.5 ? item.text : ` ${item.text}`;
    end = item.x + item.width;
  }
  return text.replace(/\s+/g, ' ').trim();
}
