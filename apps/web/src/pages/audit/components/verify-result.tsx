import { Alert } from 'antd';
import type { AuditVerification } from '../service.ts';

/** The answer of the hash-chain check over the audit log. */
export function VerifyResult({ result, onClose }: { result: AuditVerification; onClose: () => void }) {
  if (result.ok) {
    return (
      <Alert
        type="success"
        showIcon
        closable
        onClose={onClose}
        message="审计日志完整性校验通过"
        description={`已校验 ${result.checked} 条记录，未发现篡改或缺失。`}
      />
    );
  }
  return (
    <Alert
      type="error"
      showIcon
      closable
      onClose={onClose}
      message="审计日志完整性校验未通过"
      description={
        <>
          <div>已校验 {result.checked} 条记录。</div>
          <div>
            首条异常记录：<span className="code-text">{result.firstBrokenId ?? '未知'}</span>
          </div>
          {result.reason && <div>原因：{result.reason}</div>}
        </>
      }
    />
  );
}
