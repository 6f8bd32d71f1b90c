/**
 * One self-rewriting status line for long CLI work on a terminal; plain lines when output is piped,
 * so logs stay readable.
 */
export function progressLine(label: string) {
  const interactive = process.stderr.isTTY;
  let last = 0;
  return {
    update(status: string) {
      const now = Date.now();
      if (interactive) {
        process.stderr.write(`\r\x1b[2K${label}：${status}`);
      } else if (now - last > 2000) {
        process.stderr.write(`${label}：${status}\n`);
        last = now;
      }
    },
    done(summary: string) {
      if (interactive) process.stderr.write('\r\x1b[2K');
      if (summary) process.stderr.write(`${summary}\n`);
    },
  };
}
