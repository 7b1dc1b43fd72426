import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** The text of a PDF, one string per line, read back the way a PDF reader extracts it (pdfjs-dist). */
export async function pdfLines(bytes: Uint8Array): Promise<string[]> {
  const document = await getDocument({ data: new Uint8Array(bytes), disableFontFace: true, useSystemFonts: false }).promise;
  const lines: string[] = [];
  try {
    for (let number = 1; number <= document.numPages; number++) {
      const content = await (await document.getPage(number)).getTextContent();
      let current = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        current += item.str;
        if (item.hasEOL) {
          lines.push(current.trim());
          current = '';
        }
      }
      if (current.trim()) lines.push(current.trim());
    }
  } finally {
    await document.destroy();
  }
  return lines.filter(Boolean);
}
