import { MergeCellsOutlined, ReloadOutlined, StopOutlined } from '@ant-design/icons';
import {
  DismissDuplicate,
  DUPLICATE_REASONS,
  type DuplicateCandidate,
  type DuplicatePerson,
  type DuplicateReason,
  labelOf,
  RELATIONS,
} from '@niangjia/contracts';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Pagination,
  Radio,
  Row,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { isApiError } from '../../../api/client';
import { FormModal } from '../../../components/FormModal';
import { usePermissions } from '../../../lib/access';
import { formatDate } from '../../../lib/format';
import { showError, showSuccess } from '../../../lib/notify';
import { usePageTitle } from '../../../lib/page-title';
import { type CodeLang, statusColor, statusLabel, useCodeLang } from '../../../lib/registry-labels';
import { zodRule } from '../../../lib/zod-form';
import { useDismissDuplicate, useDuplicates, useMergeDuplicate } from './queries';
import './duplicates.css';

const PAGE_SIZE = 10;
type Side = 'a' | 'b';

const reasonLabel = (reason: string, lang: CodeLang) => labelOf(DUPLICATE_REASONS, reason, lang);

/** The fields compared side by side; a value that differs from the other record's is marked. */
function usePersonRows() {
  const { t } = useTranslation();
  return (p: DuplicatePerson) => [
    { key: 'name', label: t('registry.fields.name'), value: p.name },
    { key: 'idNumber', label: t('registry.fields.idNumber'), value: p.idNumberMasked, mono: true },
    { key: 'sex', label: t('registry.fields.sex'), value: t(`registry.sex.${p.sex}`) },
    { key: 'birthYear', label: t('duplicates.birthYear'), value: String(p.birthYear) },
    { key: 'phone', label: t('registry.fields.phone'), value: p.phoneMasked ?? t('common.none'), mono: true },
    { key: 'org', label: t('personDetail.keptBy'), value: `${p.orgName} (${p.orgCode})` },
    { key: 'source', label: t('duplicates.source'), value: t(`duplicates.sources.${sourceKey(p.source)}`) },
    { key: 'createdAt', label: t('duplicates.createdAt'), value: formatDate(p.createdAt.slice(0, 10)) },
  ];
}

function sourceKey(source: string): 'survey' | 'manual' | 'ledger' | 'other' {
  return source === 'survey' || source === 'manual' || source === 'ledger' ? source : 'other';
}

function PersonSide({
  person,
  other,
  side,
}: {
  person: DuplicatePerson;
  other: DuplicatePerson;
  side: Side;
}) {
  const { t } = useTranslation();
  const lang = useCodeLang();
  const rows = usePersonRows();
  const theirs = new Map(rows(other).map((r) => [r.key, r.value]));
  return (
    <div
      className="duplicate-person"
      data-testid="duplicate-person"
      data-side={side}
      data-person-id={person.id}
    >
      <Descriptions
        size="small"
        bordered
        column={1}
        styles={{ label: { whiteSpace: 'nowrap', width: 96 } }}
        items={rows(person).map((r) => ({
          key: r.key,
          label: r.label,
          children:
            r.key === 'name' ? (
              <Link to={`/people/${person.id}`} data-testid="duplicate-person-link">
                {r.value}
              </Link>
            ) : (
              <span
                className={`${r.mono ? 'mono ' : ''}${theirs.get(r.key) !== r.value ? 'duplicate-differs' : ''}`}
              >
                {r.value}
              </span>
            ),
        }))}
      />
      <div className="duplicate-households" data-testid="duplicate-households">
        <Typography.Text type="secondary">{t('duplicates.households')}</Typography.Text>
        {person.households.length === 0 ? (
          <div>
            <Typography.Text type="secondary">{t('personDetail.noHouseholds')}</Typography.Text>
          </div>
        ) : (
          person.households.map((h) => (
            <div key={`${h.householdId}-${h.role}`} className="duplicate-household">
              <Link to={`/households/${h.householdId}`} data-testid="duplicate-household-link">
                {t('duplicates.householdOf', { name: h.headName })}
              </Link>{' '}
              <Typography.Text type="secondary">
                {h.role === 'head'
                  ? t('personDetail.head')
                  : `${t('personDetail.member')}${h.relation ? ` · ${labelOf(RELATIONS, h.relation, lang)}` : ''}`}
                {' · '}
                {h.orgName}
              </Typography.Text>{' '}
              {h.status ? <Tag color={statusColor(h.status)}>{statusLabel(h.status, lang)}</Tag> : null}
            </div>
          ))
        )}
      </div>
    </div>
  );
}

/** Why the server refused a merge, in plain words. */
function useMergeRefusal() {
  const { t } = useTranslation();
  return (error: unknown): string | undefined => {
    if (!isApiError(error) || error.code !== 'conflict') return undefined;
    const details = (error.details ?? {}) as {
      reason?: string;
      households?: { headName?: string; orgName?: string; orgCode?: string }[];
    };
    switch (details.reason) {
      case 'open_households':
        return t('duplicates.refusal.open_households', {
          orgs: [...new Set((details.households ?? []).map((h) => h.orgName))].join('、'),
        });
      case 'same_household':
        return t('duplicates.refusal.same_household', { name: details.households?.[0]?.headName ?? '' });
      case 'candidate_closed':
        return t('duplicates.refusal.candidate_closed');
      case 'kept_heads_household_elsewhere':
        return t('duplicates.refusal.kept_heads_household_elsewhere');
      default:
        return error.message;
    }
  };
}

function MergeModal({ pair, onClose }: { pair: DuplicateCandidate | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ keep: Side }>();
  const merge = useMergeDuplicate();
  const [refusal, setRefusal] = useState<string | null>(null);
  const refusalText = useMergeRefusal();
  const close = () => {
    setRefusal(null);
    onClose();
  };
  const submit = ({ keep }: { keep: Side }) => {
    if (!pair) return;
    const kept = pair[keep];
    merge.mutate(
      { id: pair.id, keep: kept.id },
      {
        onSuccess: (result) => {
          showSuccess(t('duplicates.merged', { name: kept.name }));
          if (result.stillHeadedByMerged.length > 0) showSuccess(t('duplicates.stillHeaded'));
          close();
        },
        onError: (error) => {
          const text = refusalText(error);
          if (text) setRefusal(text);
          else showError(error);
        },
      },
    );
  };
  return (
    <FormModal<{ keep: Side }>
      open={pair !== null}
      title={t('duplicates.mergeTitle')}
      form={form}
      onSubmit={submit}
      onClose={close}
      loading={merge.isPending}
      okText={t('duplicates.mergeSubmit')}
      initialValues={{ keep: 'a' }}
      testId="merge-duplicate"
    >
      {refusal ? (
        <Alert
          type="error"
          showIcon
          title={t('duplicates.refusedTitle')}
          description={refusal}
          style={{ marginBottom: 16 }}
          data-testid="merge-duplicate-refusal"
        />
      ) : null}
      <Form.Item name="keep" label={t('duplicates.keepWhich')} required>
        <Radio.Group className="duplicate-keep">
          {pair
            ? (['a', 'b'] as const).map((side) => (
                <Radio key={side} value={side} data-testid={`merge-keep-${side}`}>
                  <span>
                    {pair[side].name} <span className="mono">{pair[side].idNumberMasked}</span>
                    <Typography.Text type="secondary">
                      {' '}
                      · {pair[side].orgName} · {formatDate(pair[side].createdAt.slice(0, 10))}
                    </Typography.Text>
                  </span>
                </Radio>
              ))
            : null}
        </Radio.Group>
      </Form.Item>
      <Alert type="info" showIcon title={t('duplicates.mergeExplained')} />
    </FormModal>
  );
}

function DismissModal({ pair, onClose }: { pair: DuplicateCandidate | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ note: string }>();
  const dismiss = useDismissDuplicate();
  const submit = ({ note }: { note: string }) => {
    if (!pair) return;
    dismiss.mutate(
      { id: pair.id, note },
      {
        onSuccess: () => {
          showSuccess(t('duplicates.dismissed'));
          onClose();
        },
        onError: (error) => showError(error),
      },
    );
  };
  return (
    <FormModal<{ note: string }>
      open={pair !== null}
      title={t('duplicates.dismissTitle')}
      form={form}
      onSubmit={submit}
      onClose={onClose}
      loading={dismiss.isPending}
      okText={t('duplicates.dismissSubmit')}
      testId="dismiss-duplicate"
    >
      <Typography.Paragraph type="secondary">{t('duplicates.dismissExplained')}</Typography.Paragraph>
      <Form.Item
        name="note"
        label={t('duplicates.note')}
        required
        rules={[zodRule(DismissDuplicate.shape.note, 'note')]}
      >
        <Input.TextArea
          rows={3}
          maxLength={500}
          showCount
          placeholder={t('duplicates.notePlaceholder')}
          data-testid="dismiss-duplicate-note"
        />
      </Form.Item>
    </FormModal>
  );
}

/**
 * The review queue of possible duplicate people: each pair side by side (masked), with why it was
 * found; an approver merges it into the record to keep, or dismisses it as two people.
 */
export default function DuplicatesPage() {
  const { t } = useTranslation();
  usePageTitle(t('duplicates.pageTitle'));
  const lang = useCodeLang();
  const { can } = usePermissions();
  const [search, setSearch] = useSearchParams();
  const reasonParam = search.get('reason');
  const reason = DUPLICATE_REASONS.some((r) => r.code === reasonParam)
    ? (reasonParam as DuplicateReason)
    : undefined;
  const page = Math.max(1, Number(search.get('page')) || 1);
  const query = useDuplicates({ reason, page, pageSize: PAGE_SIZE });
  const [merging, setMerging] = useState<DuplicateCandidate | null>(null);
  const [dismissing, setDismissing] = useState<DuplicateCandidate | null>(null);
  const update = (next: { reason?: DuplicateReason | undefined; page?: number }) => {
    const merged = { reason, page: 1, ...next };
    const out: Record<string, string> = {};
    if (merged.reason) out.reason = merged.reason;
    if (merged.page > 1) out.page = String(merged.page);
    setSearch(out, { replace: true });
  };
  const items = query.data?.items ?? [];
  const approver = can('registry:approve');

  return (
    <>
      <div className="page-header">
        <Typography.Title level={4}>{t('duplicates.pageTitle')}</Typography.Title>
        <Space wrap>
          <Select
            allowClear
            placeholder={t('duplicates.allReasons')}
            value={reason}
            onChange={(value?: DuplicateReason) => update({ reason: value })}
            options={DUPLICATE_REASONS.map((r) => ({ value: r.code, label: r[lang] }))}
            style={{ minWidth: 200 }}
            data-testid="duplicates-reason"
          />
          <Button
            icon={<ReloadOutlined />}
            onClick={() => void query.refetch()}
            loading={query.isFetching}
            aria-label={t('common.refresh')}
          />
        </Space>
      </div>
      <Typography.Paragraph type="secondary">{t('duplicates.intro')}</Typography.Paragraph>
      {query.isPending ? (
        <Spin />
      ) : items.length === 0 ? (
        <Card>
          <Empty description={t('duplicates.empty')} data-testid="duplicates-empty" />
        </Card>
      ) : (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="duplicates-list">
          {query.data ? (
            <Typography.Text type="secondary" data-testid="duplicates-total">
              {t('duplicates.total', { count: query.data.total })}
            </Typography.Text>
          ) : null}
          {items.map((pair) => (
            <Card
              key={pair.id}
              size="small"
              data-testid="duplicate-pair"
              data-pair-id={pair.id}
              title={
                <Space wrap size={4}>
                  {pair.reasons.map((r) => (
                    <Tag key={r} color="orange" data-testid="duplicate-reason" data-reason={r}>
                      {reasonLabel(r, lang)}
                    </Tag>
                  ))}
                  <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
                    {t('duplicates.foundOn', { date: formatDate(pair.foundAt.slice(0, 10)) })}
                  </Typography.Text>
                </Space>
              }
              extra={
                approver ? (
                  <Space>
                    <Button
                      type="primary"
                      icon={<MergeCellsOutlined />}
                      onClick={() => setMerging(pair)}
                      data-testid="duplicate-merge"
                    >
                      {t('duplicates.merge')}
                    </Button>
                    <Button
                      icon={<StopOutlined />}
                      onClick={() => setDismissing(pair)}
                      data-testid="duplicate-dismiss"
                    >
                      {t('duplicates.dismiss')}
                    </Button>
                  </Space>
                ) : null
              }
            >
              <Row gutter={[16, 16]}>
                <Col xs={24} md={12}>
                  <PersonSide person={pair.a} other={pair.b} side="a" />
                </Col>
                <Col xs={24} md={12}>
                  <PersonSide person={pair.b} other={pair.a} side="b" />
                </Col>
              </Row>
            </Card>
          ))}
          <Pagination
            current={page}
            pageSize={PAGE_SIZE}
            total={query.data?.total ?? 0}
            onChange={(p) => update({ page: p })}
            showSizeChanger={false}
            hideOnSinglePage
          />
        </Space>
      )}
      {approver ? (
        <>
          <MergeModal pair={merging} onClose={() => setMerging(null)} />
          <DismissModal pair={dismissing} onClose={() => setDismissing(null)} />
        </>
      ) : null}
    </>
  );
}
