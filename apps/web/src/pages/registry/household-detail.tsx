import { EditOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Badge, Button, Card, Descriptions, Grid, Result, Skeleton, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { buildAccess } from '../../access.ts';
import { ApiError } from '../../api/client.ts';
import { useMeOrThrow } from '../auth/service.ts';
import { StartEliminationButton } from '../monitoring/components/start-elimination-button.tsx';
import { HouseholdFindings } from '../quality/components/household-findings.tsx';
import { useHouseholdFindingsQuery } from '../quality/service.ts';
import { HistoryTimeline } from './components/history-timeline.tsx';
import { HouseholdEditDrawer } from './components/household-edit-drawer.tsx';
import { HouseholdTags } from './components/household-tags.tsx';
import { IncomeSection } from './components/income-section.tsx';
import { LivingSection } from './components/living-section.tsx';
import { MemberSection } from './components/member-section.tsx';
import { PersonEditDrawer } from './components/person-edit-drawer.tsx';
import { RiskSection } from './components/risk-section.tsx';
import { dash, formatMonth } from './labels.ts';
import { type Member, useHouseholdQuery } from './service.ts';

/** 农户详情: who lives there, what they earn, their risks and assistance, and every change. */
export function HouseholdDetailPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const me = useMeOrThrow();
  const access = buildAccess(me.user);
  const wide = Grid.useBreakpoint().md ?? true;
  const household = useHouseholdQuery(id);
  const findings = useHouseholdFindingsQuery(id, access.canReadQuality);
  const openFindings = findings.data?.items.filter((finding) => finding.status === 'open').length ?? 0;
  const [searchParams] = useSearchParams();
  const [editingHousehold, setEditingHousehold] = useState(false);
  const [editingMember, setEditingMember] = useState<Member | null>(null);
  // Back to the list as it was left (its filters are in the address), or to the list when opened directly.
  const goBack = () => (location.key !== 'default' ? navigate(-1) : navigate('/registry/households'));

  if (household.isPending) {
    return (
      <PageContainer title="农户详情" onBack={goBack}>
        <Card>
          <Skeleton active paragraph={{ rows: 8 }} />
        </Card>
      </PageContainer>
    );
  }
  if (!household.data) {
    const notFound = household.error instanceof ApiError && household.error.status === 404;
    return (
      <PageContainer title="农户详情" onBack={goBack}>
        <Result
          status={notFound ? '404' : 'warning'}
          title={notFound ? '农户不存在或不在您的管辖范围内' : '暂时无法加载该农户'}
          extra={<Button onClick={() => navigate('/registry/households')}>返回农户列表</Button>}
        />
      </PageContainer>
    );
  }

  const data = household.data;
  const head = data.members.find((member) => member.relation?.code === 'head' && member.status === 'active');
  const reload = () => household.refetch();
  const tags = (
    <HouseholdTags
      householdType={data.householdType}
      monitoringCategory={data.monitoringCategory}
      riskEliminated={data.riskEliminated}
      status={data.status}
      statusLabel={data.statusLabel}
    />
  );
  // The member being edited, as last loaded (its updatedAt moves on after a reload).
  const memberInEdit =
    editingMember && (data.members.find((member) => member.id === editingMember.id) ?? null);

  return (
    <PageContainer
      title={`${head?.name ?? '农户'}${head ? ' 户' : ''}`}
      onBack={goBack}
      // On a phone the tags would squeeze the name; they go below it.
      tags={wide ? tags : undefined}
      extra={
        <>
          {access.canActOnCases &&
            me.user.regionLevel === 'village' &&
            data.monitoringCategory &&
            data.riskEliminated !== true && <StartEliminationButton householdId={data.id} />}
          {access.canWriteHouseholds && (
            <Button icon={<EditOutlined />} onClick={() => setEditingHousehold(true)}>
              编辑户信息
            </Button>
          )}
        </>
      }
      content={
        <>
          {!wide && <div style={{ marginBottom: 8 }}>{tags}</div>}
          <Descriptions
            size="small"
            column={{ xs: 1, sm: 2, lg: 3 }}
            items={[
              {
                key: 'householdNo',
                label: '户编号',
                children: (
                  <Typography.Text copyable className="code-text">
                    {data.householdNo}
                  </Typography.Text>
                ),
              },
              {
                key: 'region',
                label: '区划',
                children: data.regionPath.map((region) => region.name).join(' / '),
              },
              {
                key: 'members',
                label: '家庭人口',
                children: `${data.members.filter((member) => member.status === 'active').length} 人`,
              },
              {
                key: 'phone',
                label: '户联系电话',
                children: <span className="code-text">{data.householdPhone ?? dash}</span>,
              },
              { key: 'identifiedAt', label: '识别监测时间', children: formatMonth(data.identifiedAt) },
              { key: 'collector', label: '信息采集人', children: data.collectorName ?? dash },
            ]}
          />
        </>
      }
    >
      <Card size="small" styles={{ body: { paddingTop: 0 } }}>
        <Tabs
          // A link may open a tab (?tab=quality from the findings lists).
          defaultActiveKey={searchParams.get('tab') ?? 'members'}
          items={[
            {
              key: 'members',
              label: '家庭成员',
              children: (
                <MemberSection
                  members={data.members}
                  wide={wide}
                  canReveal={access.canRevealPersonalData}
                  canWrite={access.canWriteHouseholds}
                  onEdit={setEditingMember}
                />
              ),
            },
            { key: 'incomes', label: '收入情况', children: <IncomeSection incomes={data.incomes} /> },
            { key: 'risks', label: '风险与帮扶措施', children: <RiskSection household={data} /> },
            { key: 'living', label: '住房与生产生活条件', children: <LivingSection household={data} /> },
            ...(access.canReadQuality
              ? [
                  {
                    key: 'quality',
                    label: (
                      <span>
                        数据质量问题{' '}
                        <Badge count={openFindings} size="small" style={{ marginInlineStart: 2 }} />
                      </span>
                    ),
                    children: (
                      <HouseholdFindings
                        householdId={data.id}
                        wide={wide}
                        canRequestExemption={access.canRequestExemptions}
                      />
                    ),
                  },
                ]
              : []),
            { key: 'history', label: '变更记录', children: <HistoryTimeline householdId={data.id} /> },
          ]}
        />
      </Card>
      {access.canWriteHouseholds && (
        <>
          <HouseholdEditDrawer
            household={data}
            open={editingHousehold}
            onClose={() => setEditingHousehold(false)}
            onReload={reload}
            showRuleWarnings={access.canReadQuality}
          />
          <PersonEditDrawer
            member={memberInEdit}
            household={data}
            onClose={() => setEditingMember(null)}
            onReload={reload}
            showRuleWarnings={access.canReadQuality}
          />
        </>
      )}
    </PageContainer>
  );
}
