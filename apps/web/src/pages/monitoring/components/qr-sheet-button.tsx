import { QrcodeOutlined } from '@ant-design/icons';
import { Button, Flex, Modal, Typography } from 'antd';
import { useState } from 'react';
import { RegionPicker } from '../../../components/region-picker/index.tsx';
import type { CurrentUser } from '../../auth/service.ts';

const sheetUrl = (townshipCode: string) => `/api/monitoring/townships/${townshipCode}/self-report-qr.pdf`;

/** 打印二维码: the township's sheet of village QR codes (a township user's own; others pick one). */
export function QrSheetButton({ user }: { user: Pick<CurrentUser, 'regionCode' | 'regionLevel'> }) {
  const [open, setOpen] = useState(false);
  const [township, setTownship] = useState<string | undefined>();
  if (user.regionLevel === 'village') return null;
  if (user.regionLevel === 'township') {
    return (
      <Button icon={<QrcodeOutlined />} href={sheetUrl(user.regionCode)}>
        打印申报二维码
      </Button>
    );
  }
  return (
    <>
      <Button icon={<QrcodeOutlined />} onClick={() => setOpen(true)}>
        打印申报二维码
      </Button>
      <Modal open={open} title="打印农户自主申报二维码" footer={null} onCancel={() => setOpen(false)}>
        <Flex vertical gap={12}>
          <Typography.Text type="secondary">
            选择乡镇，下载该乡镇各村的二维码（PDF，每页 6 个村），打印后张贴在村里。
          </Typography.Text>
          <RegionPicker
            value={township}
            onChange={(code, region) => setTownship(region?.level === 'township' ? code : undefined)}
            placeholder="选择或搜索乡镇"
          />
          <Button type="primary" disabled={!township} href={township ? sheetUrl(township) : undefined}>
            下载 PDF
          </Button>
        </Flex>
      </Modal>
    </>
  );
}
