import { PlusOutlined } from '@ant-design/icons';
import { type Archive, type Objection, RaiseObjection, ResolveObjection } from '@niangjia/contracts';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Empty,
  Form,
  Input,
  List,
  Radio,
  Space,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client';
import { useObjections, useRaiseObjection, useResolveObjection } from '../../../api/registry';
import { FormModal } from '../../../components/FormModal';
import { usePermissions } from '../../../lib/access';
import { DATE_FORMAT, formatDate, todayDate } from '../../../lib/format';
import { showError, showSuccess } from '../../../lib/notify';
import { handleFormError, zodRule } from '../../../lib/zod-form';

interface RaiseValues {
  raisedOn: Dayjs | null;
  raisedBy?: string;
  content: string;
}

interface ResolveValues {
  upheld?: boolean;
  resolution: string;
  resolvedOn: Dayjs | null;
}

function useStateTag() {
  const { t } = useTranslation();
  return (o: Objection) =>
    o.resolvedOn === null ? (
      <Tag color="orange">{t('objections.open')}</Tag>
    ) : o.upheld ? (
      <Tag color="red">{t('objections.upheld')}</Tag>
    ) : (
      <Tag color="green">{t('objections.notUpheld')}</Tag>
    );
}

/** Records an objection raised during publicity: the date (within the publicity), by whom, what. */
function RaiseObjectionModal({
  archive,
  open,
  onClose,
}: {
  archive: Archive;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<RaiseValues>();
  const raise = useRaiseObjection();
  const today = todayDate();
  const start = archive.publicityStartedOn ?? today;
  const close = () => {
    form.resetFields();
    onClose();
  };
  const submit = (values: RaiseValues) => {
    const parsed = RaiseObjection.safeParse({
      raisedOn: values.raisedOn ? values.raisedOn.format(DATE_FORMAT) : undefined,
      raisedBy: values.raisedBy || undefined,
      content: values.content,
    });
    if (!parsed.success) {
      form.setFields([{ name: 'content', errors: [t('validation.required')] }]);
      return;
    }
    raise.mutate(
      { archiveId: archive.id, ...parsed.data },
      {
        onSuccess: () => {
          showSuccess(t('objections.raised'));
          close();
        },
        onError: (error) => handleFormError(form, error, ['raisedOn', 'raisedBy', 'content']),
      },
    );
  };
  return (
    <FormModal<RaiseValues>
      open={open}
      title={t('objections.raiseTitle')}
      form={form}
      onSubmit={submit}
      onClose={close}
      loading={raise.isPending}
      okText={t('objections.raiseSubmit')}
      initialValues={{ raisedOn: dayjs(today) }}
      testId="raise-objection"
    >
      <Form.Item
        name="raisedOn"
        label={t('objections.raisedOn')}
        required
        extra={t('objections.raisedOnHint', { start: formatDate(start) })}
        rules={[{ required: true, message: t('validation.required') }]}
      >
        <DatePicker
          format={DATE_FORMAT}
          allowClear={false}
          style={{ width: '100%' }}
          disabledDate={(date) => {
            const day = date.format(DATE_FORMAT);
            return day > today || day < start;
          }}
          data-testid="raise-objection-date"
        />
      </Form.Item>
      <Form.Item
        name="raisedBy"
        label={t('objections.raisedBy')}
        rules={[zodRule(RaiseObjection.shape.raisedBy, 'raisedBy')]}
      >
        <Input
          maxLength={50}
          placeholder={t('objections.raisedByPlaceholder')}
          data-testid="raise-objection-by"
        />
      </Form.Item>
      <Form.Item
        name="content"
        label={t('objections.content')}
        required
        rules={[zodRule(RaiseObjection.shape.content, 'content')]}
      >
        <Input.TextArea
          rows={4}
          maxLength={2000}
          showCount
          placeholder={t('objections.contentPlaceholder')}
          data-testid="raise-objection-content"
        />
      </Form.Item>
    </FormModal>
  );
}

/** Settles an objection (approvers only): upheld or not, how it was verified, when. */
function ResolveObjectionModal({
  archiveId,
  objection,
  onClose,
}: {
  archiveId: string;
  objection: Objection | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ResolveValues>();
  const resolve = useResolveObjection();
  const today = todayDate();
  const upheld = Form.useWatch('upheld', form);
  const close = () => {
    form.resetFields();
    onClose();
  };
  const submit = (values: ResolveValues) => {
    if (!objection) return;
    const parsed = ResolveObjection.safeParse({
      upheld: values.upheld,
      resolution: values.resolution,
      resolvedOn: values.resolvedOn ? values.resolvedOn.format(DATE_FORMAT) : undefined,
    });
    if (!parsed.success) {
      form.setFields(
        parsed.error.issues.map((issue) => ({
          name: String(issue.path[0]) as keyof ResolveValues,
          errors: [t('validation.required')],
        })),
      );
      return;
    }
    resolve.mutate(
      { objectionId: objection.id, archiveId, ...parsed.data },
      {
        onSuccess: () => {
          showSuccess(t('objections.resolved'));
          close();
        },
        onError: (error) => {
          if (isApiError(error) && error.fieldProblems.length > 0) {
            handleFormError(form, error, ['upheld', 'resolution', 'resolvedOn']);
            return;
          }
          showError(error);
        },
      },
    );
  };
  return (
    <FormModal<ResolveValues>
      open={objection !== null}
      title={t('objections.resolveTitle')}
      form={form}
      onSubmit={submit}
      onClose={close}
      loading={resolve.isPending}
      okText={t('objections.resolveSubmit')}
      initialValues={{ resolvedOn: dayjs(today) }}
      testId="resolve-objection"
    >
      {objection ? (
        <Alert
          type="warning"
          style={{ marginBottom: 16 }}
          title={`${formatDate(objection.raisedOn)}${objection.raisedBy ? ` · ${objection.raisedBy}` : ''}`}
          description={<span className="archive-step-comment">{objection.content}</span>}
        />
      ) : null}
      <Form.Item
        name="upheld"
        label={t('objections.finding')}
        required
        rules={[{ required: true, message: t('validation.required') }]}
        extra={upheld ? t('objections.upheldHint') : undefined}
      >
        <Radio.Group data-testid="resolve-objection-upheld">
          <Radio value={false} data-testid="resolve-objection-not-upheld">
            {t('objections.notUpheld')}
          </Radio>
          <Radio value={true} data-testid="resolve-objection-is-upheld">
            {t('objections.upheld')}
          </Radio>
        </Radio.Group>
      </Form.Item>
      <Form.Item
        name="resolution"
        label={t('objections.resolution')}
        required
        rules={[zodRule(ResolveObjection.shape.resolution, 'resolution')]}
      >
        <Input.TextArea
          rows={3}
          maxLength={2000}
          showCount
          placeholder={t('objections.resolutionPlaceholder')}
          data-testid="resolve-objection-resolution"
        />
      </Form.Item>
      <Form.Item
        name="resolvedOn"
        label={t('objections.resolvedOn')}
        required
        rules={[{ required: true, message: t('validation.required') }]}
      >
        <DatePicker
          format={DATE_FORMAT}
          allowClear={false}
          style={{ width: '100%' }}
          disabledDate={(date) => {
            const day = date.format(DATE_FORMAT);
            return day > today || (objection !== null && day < objection.raisedOn);
          }}
          data-testid="resolve-objection-date"
        />
      </Form.Item>
    </FormModal>
  );
}

/**
 * Objections of the archive's publicity (公示): raised while it runs, settled by an approver;
 * archiving waits until none is open.
 */
export function ObjectionsCard({ archive }: { archive: Archive }) {
  const { t } = useTranslation();
  const { can } = usePermissions();
  const query = useObjections(archive.id);
  const stateTag = useStateTag();
  const [raising, setRaising] = useState(false);
  const [resolving, setResolving] = useState<Objection | null>(null);
  const objections = query.data ?? [];
  const inPublicity = archive.status === 'publicity';
  // Nothing to show outside publicity when nothing was ever raised.
  if (!inPublicity && objections.length === 0) return null;
  const open = objections.filter((o) => o.resolvedOn === null).length;

  return (
    <Card
      title={
        <Space>
          {t('objections.title')}
          {open > 0 ? <Tag color="orange">{t('objections.openCount', { count: open })}</Tag> : null}
        </Space>
      }
      size="small"
      data-testid="objections"
      extra={
        inPublicity && can('registry:write') ? (
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => setRaising(true)}
            data-testid="raise-objection-open"
          >
            {t('objections.raise')}
          </Button>
        ) : null
      }
    >
      {objections.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('objections.none')} />
      ) : (
        <List<Objection>
          size="small"
          dataSource={objections}
          loading={query.isFetching && !query.data}
          renderItem={(o) => (
            <List.Item
              data-testid="objection"
              actions={
                o.resolvedOn === null && can('registry:approve')
                  ? [
                      <Button
                        key="resolve"
                        size="small"
                        type="primary"
                        onClick={() => setResolving(o)}
                        data-testid="objection-resolve"
                      >
                        {t('objections.resolve')}
                      </Button>,
                    ]
                  : []
              }
            >
              <div style={{ minWidth: 0 }}>
                <div>
                  <span className="mono">{formatDate(o.raisedOn)}</span>{' '}
                  <Typography.Text type="secondary">
                    {o.raisedBy ?? t('objections.anonymous')}
                  </Typography.Text>{' '}
                  <span data-testid="objection-state">{stateTag(o)}</span>
                </div>
                <div className="archive-step-comment">{o.content}</div>
                {o.resolvedOn ? (
                  <div className="objection-resolution">
                    <Typography.Text type="secondary">
                      {t('objections.resolvedLine', { date: formatDate(o.resolvedOn) })}
                    </Typography.Text>{' '}
                    <span className="archive-step-comment">{o.resolution}</span>
                  </div>
                ) : null}
              </div>
            </List.Item>
          )}
        />
      )}
      <RaiseObjectionModal archive={archive} open={raising} onClose={() => setRaising(false)} />
      <ResolveObjectionModal
        archiveId={archive.id}
        objection={resolving}
        onClose={() => setResolving(null)}
      />
    </Card>
  );
}
