import { Watermark } from 'antd';
import dayjs from 'dayjs';
import { type ReactNode, useEffect, useState } from 'react';
import { minuteFormat } from '../../locales/zh-CN/index.ts';

function useMinuteClock(): string {
  const [now, setNow] = useState(() => dayjs().format(minuteFormat));
  useEffect(() => {
    const timer = window.setInterval(() => setNow(dayjs().format(minuteFormat)), 15_000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

/** Marks every signed-in screen with who is looking and when, to deter photographing screens. */
export function SessionWatermark({ username, children }: { username: string; children: ReactNode }) {
  const now = useMinuteClock();
  return (
    <Watermark
      content={[username, now]}
      gap={[120, 120]}
      font={{ color: 'rgba(0, 0, 0, 0.07)', fontSize: 14 }}
      zIndex={1000}
      style={{ minHeight: '100vh' }}
    >
      {children}
    </Watermark>
  );
}
