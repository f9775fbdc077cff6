import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';

/**
 * The report's fonts ship as npm dependencies, never fetched: Noto Sans for Latin, Greek and
 * Cyrillic, Noto Sans SC for the Chinese, Japanese and Korean characters Noto Sans lacks. A cell is
 * drawn as runs, each in the first font that has its characters; pdfkit embeds only the glyphs used.
 */
const FILES = {
  regular: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
  cjk: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  cjkBold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
} as const;

export type FontName = keyof typeof FILES;
export type Weight = 'regular' | 'bold';
export type Run = { font: FontName; text: string };

const FALLBACK: Record<Weight, FontName> = { regular: 'cjk', bold: 'cjkBold' };

let loaded: Record<FontName, fontkit.Font> | undefined;

/** Parsed once per process (the CJK font is 10 MB) and shared by every document. */
export function reportFonts(): Record<FontName, fontkit.Font> {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    const open = (file: string) => {
      const font = fontkit.create(readFileSync(require.resolve(file)));
      if (!('hasGlyphForCodePoint' in font)) throw new Error(`${file} is a font collection`);
      return font;
    };
    loaded = {
      regular: open(FILES.regular),
      bold: open(FILES.bold),
      cjk: open(FILES.cjk),
      cjkBold: open(FILES.cjkBold),
    };
  }
  return loaded;
}

const PLAIN = /^[\x20-\x7e]*$/;
const inPrimary = new Map<number, boolean>();

/** `text` cut into runs of one font each: the primary where it has the glyph, else the CJK one. */
export function fontRuns(text: string, weight: Weight): Run[] {
  if (PLAIN.test(text)) return [{ font: weight, text }];
  const fonts = reportFonts();
  const runs: Run[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    let primary = inPrimary.get(code);
    if (primary === undefined) {
      primary = fonts.regular.hasGlyphForCodePoint(code) || !fonts.cjk.hasGlyphForCodePoint(code);
      inPrimary.set(code, primary);
    }
    const font = primary ? weight : FALLBACK[weight];
    const last = runs.at(-1);
    if (last?.font === font) last.text += char;
    else runs.push({ font, text: char });
  }
  return runs;
}
