import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import ExcelJS from './excel.ts';
import { columnLetters, escapeXml, openStreamingSheet } from './excel-stream.ts';

describe('streaming sheet writer', () => {
  it('spells column letters past Z', () => {
    expect([1, 26, 27, 52, 53, 702, 703].map(columnLetters)).toEqual([
      'A',
      'Z',
      'AA',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });

  it('escapes markup and drops characters XML cannot hold', () => {
    expect(escapeXml('张三 & <李四> "王五"')).toBe('张三 &amp; &lt;李四&gt; &quot;王五&quot;');
    expect(escapeXml('a\u0000b\u0007c\td\ud800e')).toBe('abc\tde');
    expect(escapeXml('😀')).toBe('😀');
  });

  it('writes rows in batches that ExcelJS reads back', async () => {
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    const sheet = openStreamingSheet({
      output,
      sheetName: '人员/名单',
      titleRows: ['标题', '条件'],
      columns: [
        { header: '序号', width: 8 },
        { header: '姓名', width: 10 },
        { header: '备注', width: 20 },
      ],
      headerFooter: { oddHeader: '&L标题&R导出人：测试', oddFooter: '&L导出时间' },
      properties: { title: '标题', creator: '测试（test）', created: new Date('2026-11-24T08:00:00Z') },
    });
    const rows = 20_000;
    for (let start = 0; start < rows; start += 1000) {
      await sheet.addRows(
        Array.from({ length: 1000 }, (_, index) => [
          start + index + 1,
          `张${start + index}`,
          index % 2 ? ' 前后空格 ' : null,
        ]),
      );
    }
    expect(await sheet.close()).toBe(rows);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    expect(workbook.creator).toBe('测试（test）');
    const worksheet = workbook.worksheets[0];
    expect(worksheet?.name).toBe('人员 名单');
    expect(worksheet?.getCell('A1').isMerged).toBe(true);
    expect(worksheet?.getRow(3).values).toEqual([undefined, '序号', '姓名', '备注']);
    expect(worksheet?.getRow(4).values).toEqual([undefined, 1, '张0']);
    expect(worksheet?.getRow(5).getCell(3).value).toBe(' 前后空格 ');
    expect(worksheet?.getRow(3 + rows).getCell(2).value).toBe(`张${rows - 1}`);
    expect(worksheet?.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(worksheet?.headerFooter.oddHeader).toContain('导出人：测试');
  });
});
