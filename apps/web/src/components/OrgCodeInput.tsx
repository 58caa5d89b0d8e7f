import { AutoComplete, Input, Space, Tag, Typography } from 'antd';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { levelLabel } from '../lib/labels';
import { useOrgSuggestions } from './org-search';

interface Props {
  value?: string;
  onChange?: (value: string) => void;
  placeholder?: string;
  allowClear?: boolean;
  /** Show the name of the organisation whose code is typed, below the box. */
  showName?: boolean;
  'data-testid'?: string;
  style?: CSSProperties;
  onPressEnter?: () => void;
}

/**
 * A text box for an organisation code that suggests organisations by name or code as one types.
 * The value is the code (what the API takes); typing a code directly works too. Once the text is
 * exactly a known code the suggestions close, so they cover nothing below.
 */
export function OrgCodeInput({ value, onChange, placeholder, allowClear, showName, style, ...rest }: Props) {
  const { t } = useTranslation();
  const text = value ?? '';
  const { orgs } = useOrgSuggestions(text);
  const exact = orgs.find((org) => org.code === text.trim());
  const options = exact
    ? []
    : orgs.map((org) => ({
        value: org.code,
        label: (
          <Space size={4}>
            <span>{org.name}</span>
            <Typography.Text type="secondary" className="mono">
              {org.code}
            </Typography.Text>
            <Tag>{levelLabel(t, org.level)}</Tag>
            {org.active ? null : <Tag>{t('common.inactive')}</Tag>}
          </Space>
        ),
      }));
  return (
    <>
      <AutoComplete
        value={value}
        onChange={(next: string) => onChange?.(next)}
        options={options}
        style={style}
        popupMatchSelectWidth={360}
      >
        <Input
          placeholder={placeholder ?? t('users.orgCodeHint')}
          allowClear={allowClear}
          className="mono"
          data-testid={rest['data-testid']}
          onPressEnter={rest.onPressEnter}
          autoComplete="off"
        />
      </AutoComplete>
      {showName && exact ? (
        <Typography.Text type="secondary" data-testid={`${rest['data-testid'] ?? 'org-code'}-name`}>
          {exact.name} · {levelLabel(t, exact.level)}
          {exact.active ? null : ` · ${t('common.inactive')}`}
        </Typography.Text>
      ) : null}
    </>
  );
}
