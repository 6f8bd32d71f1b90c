import { existsSync } from 'node:fs';
import type { Writable } from 'node:stream';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

/**
 * Chinese needs a CJK font in the PDF. Debian's fonts-wqy-zenhei by default; SHOUWANG_PDF_FONT names
 * another TrueType/OpenType file (or collection, with SHOUWANG_PDF_FONT_NAME for the face).
 */
export const sheetFont = {
  path: process.env.SHOUWANG_PDF_FONT ?? '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
  name: process.env.SHOUWANG_PDF_FONT_NAME ?? 'WenQuanYiZenHei',
};

export function sheetFontAvailable(): boolean {
  return existsSync(sheetFont.path);
}

export interface SheetVillage {
  name: string;
  fullName: string;
  url: string;
}

const page = { width: 595.28, height: 841.89, margin: 36 };
const columns = 2;
const rows = 3;
// With the name above and two lines below, a cell of a third of A4 holds no more.
const qrSize = 168;

/**
 * One A4 page per six villages: each cell has the village's name, its QR code and how to use it, to
 * be cut apart and posted in the village. Streams to `output`.
 */
export async function writeSelfReportSheet(
  township: { fullName: string },
  villages: SheetVillage[],
  output: Writable,
): Promise<void> {
  const document = new PDFDocument({
    size: 'A4',
    margin: page.margin,
    info: { Title: `${township.fullName} 农户自主申报二维码`, Creator: '守望' },
  });
  document.pipe(output);
  document.registerFont('cjk', sheetFont.path, sheetFont.name);
  document.font('cjk');
  const cellWidth = (page.width - page.margin * 2) / columns;
  const cellHeight = (page.height - page.margin * 2 - 24) / rows;
  for (const [index, village] of villages.entries()) {
    const slot = index % (columns * rows);
    if (slot === 0) {
      if (index > 0) document.addPage();
      document
        .fontSize(10)
        .fillColor('#666666')
        .text(
          `${township.fullName} · 防返贫监测农户自主申报二维码（第 ${index / (columns * rows) + 1} 页）`,
          page.margin,
          page.margin,
          {
            width: page.width - page.margin * 2,
            align: 'center',
          },
        );
    }
    const left = page.margin + (slot % columns) * cellWidth;
    const top = page.margin + 24 + Math.floor(slot / columns) * cellHeight;
    document
      .save()
      .lineWidth(0.5)
      .dash(4, { space: 4 })
      .strokeColor('#bbbbbb')
      .rect(left, top, cellWidth, cellHeight)
      .stroke()
      .restore();
    document
      .fontSize(16)
      .fillColor('#000000')
      .text(village.name, left, top + 14, { width: cellWidth, align: 'center' });
    const qr = await QRCode.toBuffer(village.url, { errorCorrectionLevel: 'M', margin: 1, width: 512 });
    document.image(qr, left + (cellWidth - qrSize) / 2, top + 40, { width: qrSize, height: qrSize });
    document
      .fontSize(11)
      .text('家里遇到困难？用手机扫码申报', left, top + 40 + qrSize + 8, {
        width: cellWidth,
        align: 'center',
      })
      .fontSize(8)
      .fillColor('#888888')
      .text(village.fullName, left + 8, top + 40 + qrSize + 26, { width: cellWidth - 16, align: 'center' });
  }
  document.end();
}
