import { PageContainer } from '@ant-design/pro-components';
import { useQueryClient } from '@tanstack/react-query';
import { Card, Col, Flex, Row, Tree } from 'antd';
import { useEffect, useState } from 'react';
import { isLeafRegion, useLazyRegionTree } from '../../components/region-picker/use-lazy-region-tree.ts';
import { RegionDetails } from './components/region-details.tsx';
import { RegionSearch } from './components/region-search.tsx';
import { type Region, regionKeys, regionService } from './service.ts';

/** 区划浏览: the tree of the user's own region downward, with search and the selected region's details. */
export function RegionsPage() {
  const queryClient = useQueryClient();
  const tree = useLazyRegionTree();
  const [selectedCode, setSelectedCode] = useState(tree.root.code);
  const [expandedKeys, setExpandedKeys] = useState<string[]>([]);
  const { root, loadChildren } = tree;

  // Open the user's own region so the first level is visible at once.
  useEffect(() => {
    if (isLeafRegion(root)) return;
    loadChildren(root.code).then(
      () =>
        setExpandedKeys((previous) => (previous.includes(root.code) ? previous : [...previous, root.code])),
      () => undefined,
    );
  }, [root, loadChildren]);

  // Opens the tree down to a region found by search or picked from a list.
  const reveal = async (code: string) => {
    setSelectedCode(code);
    const path = await queryClient.fetchQuery({
      queryKey: regionKeys.path(code),
      queryFn: () => regionService.path(code),
    });
    const rootIndex = path.findIndex((region: Region) => region.code === tree.root.code);
    const ancestors = path.slice(Math.max(rootIndex, 0), -1).map((region: Region) => region.code);
    for (const ancestor of ancestors) await tree.loadChildren(ancestor);
    setExpandedKeys((previous) => Array.from(new Set([...previous, ...ancestors])));
  };

  return (
    <PageContainer>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10} xl={9}>
          <Card title="区划树" size="small">
            <Flex vertical gap={12}>
              <RegionSearch onPick={(region) => reveal(region.code)} />
              <Tree
                treeData={tree.treeData}
                loadData={async (node) => {
                  await tree.loadChildren(String(node.key));
                }}
                selectedKeys={[selectedCode]}
                expandedKeys={expandedKeys}
                onExpand={(keys) => setExpandedKeys(keys.map(String))}
                onSelect={(keys) => {
                  const [key] = keys;
                  if (key !== undefined) setSelectedCode(String(key));
                }}
                height={560}
                showLine
                blockNode
              />
            </Flex>
          </Card>
        </Col>
        <Col xs={24} lg={14} xl={15}>
          <Card title="区划详情" size="small">
            <RegionDetails code={selectedCode} onSelect={(code) => reveal(code)} />
          </Card>
        </Col>
      </Row>
    </PageContainer>
  );
}
