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
      return withPlainLayout(font);
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

// Text that needs OpenType shaping to be placed: combining marks, and scripts other than Latin,
// Greek, Cyrillic and the CJK ones (Arabic, Hebrew, Indic…).
const NEEDS_SHAPING =
  /\p{M}|[^\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Common}]/u;

/** What pdfkit reads of a fontkit layout: glyphs, their positions, and the total advance. */
class PlainRun {
  constructor(
    readonly glyphs: fontkit.Glyph[],
    readonly positions: { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number }[],
  ) {}

  get advanceWidth(): number {
    let width = 0;
    for (const position of this.positions) width += position.xAdvance;
    return width;
  }
}

/**
 * The font with a layout that maps characters to glyphs one to one, without kerning or
 * ligatures, for text that needs no shaping: a table of thousands of rows is laid out several
 * times faster, and looks the same but for kerning. Other text is shaped by fontkit as before.
 */
function withPlainLayout(font: fontkit.Font): fontkit.Font {
  const layout = (text: string, features?: unknown) => {
    if (features || NEEDS_SHAPING.test(text)) return font.layout(text, features as never);
    const glyphs: fontkit.Glyph[] = [];
    const positions: PlainRun['positions'] = [];
    for (const char of text) {
      const glyph = font.glyphForCodePoint(char.codePointAt(0)!);
      glyphs.push(glyph);
      positions.push({ xAdvance: glyph.advanceWidth, yAdvance: 0, xOffset: 0, yOffset: 0 });
    }
    return new PlainRun(glyphs, positions);
  };
  return new Proxy(font, {
    get(target, property) {
      if (property === 'layout') return layout;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Glyph advances per font, in em, as the plain layout places them. */
const advances = new Map<FontName, Map<number, number>>();

/** The width of `run` at `size` points. */
export function runWidth(run: Run, size: number): number {
  let known = advances.get(run.font);
  if (!known) {
    known = new Map();
    advances.set(run.font, known);
  }
  const font = reportFonts()[run.font];
  let ems = 0;
  for (let i = 0; i < run.text.length; i++) {
    const code = run.text.codePointAt(i)!;
    if (code > 0xffff) i++;
    let advance = known.get(code);
    if (advance === undefined) {
      advance = font.glyphForCodePoint(code).advanceWidth / font.unitsPerEm;
      known.set(code, advance);
    }
    ems += advance;
  }
  return ems * size;
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
