import {
  CreateOrg,
  levelRank,
  MoveOrg,
  ORG_LEVELS,
  type Org,
  type OrgLevel,
  RenameOrg,
} from '@niangjia/contracts';
import { Form, Input, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCreateOrg, useMoveOrg, useRenameOrg } from '../../../api/orgs';
import { FormModal } from '../../../components/FormModal';
import { OrgSelect } from '../../../components/OrgSelect';
import { levelLabel } from '../../../lib/labels';
import { showSuccess } from '../../../lib/notify';
import { handleFormError, parseForm, zodRule } from '../../../lib/zod-form';

/** Levels a child of `parent` may have: any below the parent's. */
export function childLevels(parent: Pick<Org, 'level'>): OrgLevel[] {
  return ORG_LEVELS.slice(levelRank(parent.level) + 1);
}

interface CreateValues {
  code: string;
  name: string;
  level: OrgLevel;
}

export function CreateOrgModal({
  parent,
  onClose,
  onCreated,
}: {
  parent: Org | null;
  onClose: () => void;
  onCreated: (org: Org) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CreateValues>();
  const create = useCreateOrg();
  const levels = parent ? childLevels(parent) : [];

  const submit = (values: CreateValues) => {
    if (!parent) return;
    const body = parseForm(form, CreateOrg, { ...values, parentCode: parent.code });
    if (!body) return;
    create.mutate(body, {
      onSuccess: (org) => {
        showSuccess(t('orgs.created', { name: org.name }));
        onCreated(org);
      },
      onError: (error) => handleFormError(form, error, ['code', 'name', 'level']),
    });
  };

  return (
    <FormModal<CreateValues>
      open={Boolean(parent)}
      title={parent ? t('orgs.addChildTitle', { name: parent.name }) : ''}
      form={form}
      onSubmit={submit}
      onClose={onClose}
      loading={create.isPending}
      okText={t('common.create')}
      initialValues={{ level: levels[0] }}
      testId="org-create-form"
    >
      <Form.Item label={t('orgs.parent')}>
        <Typography.Text>
          {parent?.name} <span className="mono">({parent?.code})</span>
        </Typography.Text>
      </Form.Item>
      <Form.Item name="code" label={t('orgs.code')} rules={[zodRule(CreateOrg.shape.code, 'code')]}>
        <Input className="mono" autoComplete="off" data-testid="org-form-code" />
      </Form.Item>
      <Form.Item name="name" label={t('orgs.name')} rules={[zodRule(CreateOrg.shape.name, 'name')]}>
        <Input autoComplete="off" data-testid="org-form-name" />
      </Form.Item>
      <Form.Item name="level" label={t('orgs.level')} rules={[zodRule(CreateOrg.shape.level, 'level')]}>
        <Select
          data-testid="org-form-level"
          options={levels.map((level) => ({ value: level, label: levelLabel(t, level) }))}
        />
      </Form.Item>
    </FormModal>
  );
}

export function RenameOrgModal({ org, onClose }: { org: Org | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name: string }>();
  const rename = useRenameOrg();

  const submit = (values: { name: string }) => {
    if (!org) return;
    const body = parseForm(form, RenameOrg, values);
    if (!body) return;
    rename.mutate(
      { code: org.code, name: body.name },
      {
        onSuccess: () => {
          showSuccess(t('orgs.renamed'));
          onClose();
        },
        onError: (error) => handleFormError(form, error, ['name']),
      },
    );
  };

  return (
    <FormModal<{ name: string }>
      open={Boolean(org)}
      title={org ? t('orgs.renameTitle', { name: org.name }) : ''}
      form={form}
      onSubmit={submit}
      onClose={onClose}
      loading={rename.isPending}
      initialValues={{ name: org?.name ?? '' }}
      testId="org-rename-form"
    >
      <Form.Item name="name" label={t('orgs.name')} rules={[zodRule(RenameOrg.shape.name, 'name')]}>
        <Input autoComplete="off" data-testid="org-form-name" />
      </Form.Item>
    </FormModal>
  );
}

export function MoveOrgModal({ org, onClose }: { org: Org | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ parentCode: string }>();
  const move = useMoveOrg();

  const submit = (values: { parentCode: string }) => {
    if (!org) return;
    const body = parseForm(form, MoveOrg, values);
    if (!body) return;
    move.mutate(
      { code: org.code, parentCode: body.parentCode },
      {
        onSuccess: () => {
          showSuccess(t('orgs.moved'));
          onClose();
        },
        onError: (error) => handleFormError(form, error, ['parentCode']),
      },
    );
  };

  return (
    <FormModal<{ parentCode: string }>
      open={Boolean(org)}
      title={org ? t('orgs.moveTitle', { name: org.name }) : ''}
      form={form}
      onSubmit={submit}
      onClose={onClose}
      loading={move.isPending}
      testId="org-move-form"
    >
      <Form.Item
        name="parentCode"
        label={t('orgs.newParent')}
        rules={[zodRule(MoveOrg.shape.parentCode, 'parentCode')]}
      >
        <OrgSelect
          placeholder={t('orgs.newParentHint')}
          exclude={org ? [org.code, org.parentCode ?? ''] : []}
          filter={(candidate) =>
            candidate.active && (!org || levelRank(candidate.level) < levelRank(org.level))
          }
          data-testid="org-form-parent"
        />
      </Form.Item>
    </FormModal>
  );
}
