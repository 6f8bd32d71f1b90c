import { createWriteStream } from 'node:fs';
import ExcelJS from '/work/wt-custom-stats/apps/server/src/excel.ts';
import { openStreamingSheet } from '/work/wt-custom-stats/apps/server/src/excel-stream.ts';

const mode = process.argv[2] ?? 'own';
const total = Number(process.argv[3] ?? 1_000_000);
let peak = 0;
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 100);
const started = performance.now();
const row = (i: number) => [
  i,
  '兰考县',
  '堌阳镇',
  '城内村',
  `B${String(i).padStart(10, '0')}`,
  '张三丰',
  '4102********1234',
  '户主',
  '男',
  45,
  '汉族',
  '初中',
  '非在校生',
  '健康',
  '普通劳动力',
  '县外省内务工',
  '否',
  '否',
  '脱贫户',
  '边缘易致贫户',
  '是',
];
const output = createWriteStream(`/tmp/cs/probe-${mode}.xlsx`);
if (mode === 'own') {
  const sheet = openStreamingSheet({
    output,
    sheetName: '人员名单',
    titleRows: ['标题', '条件'],
    columns: row(0).map((_, i) => ({ header: `列${i}`, width: 10 })),
    headerFooter: { oddHeader: '&L导出人', oddFooter: '&L时间' },
    properties: { title: 't', creator: 'c', created: new Date() },
  });
  for (let i = 0; i < total; i += 2000) {
    const batch = [];
    for (let j = i; j < Math.min(total, i + 2000); j++) batch.push(row(j));
    await sheet.addRows(batch);
  }
  console.log('rows', await sheet.close());
} else {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: output,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('x');
  for (let i = 0; i < total; i += 2000) {
    for (let j = i; j < Math.min(total, i + 2000); j++) sheet.addRow(row(j)).commit();
    await new Promise((resolve) => setImmediate(resolve));
  }
  sheet.commit();
  await workbook.commit();
}
clearInterval(timer);
console.log(
  mode,
  total,
  ((performance.now() - started) / 1000).toFixed(1),
  's peak',
  (peak / 1048576).toFixed(0),
  'MB',
);
