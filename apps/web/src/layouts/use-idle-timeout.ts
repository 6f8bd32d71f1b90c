import { useEffect } from 'react';
import { getLastRequestAt, redirectToLogin } from '../api/client.ts';

/**
 * The server ends a session after `idleTimeoutMinutes` without requests; leave the screen then instead
 * of keeping household data visible on an unattended desk.
 */
export function useIdleTimeout(idleTimeoutMinutes: number): void {
  useEffect(() => {
    if (!idleTimeoutMinutes || idleTimeoutMinutes <= 0) return;
    const limit = idleTimeoutMinutes * 60_000;
    const timer = window.setInterval(() => {
      if (Date.now() - getLastRequestAt() > limit) redirectToLogin('expired');
    }, 30_000);
    return () => window.clearInterval(timer);
  }, [idleTimeoutMinutes]);
}
