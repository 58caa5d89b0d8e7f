import type { Org } from '@niangjia/contracts';
import { Select, Space, Tag, Typography } from 'antd';
import type { CSSProperties } from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useOrg } from '../api/orgs';
import { levelLabel } from '../lib/labels';
import { useOrgSuggestions } from './org-search';

interface Props {
  value?: string;
  onChange?: (value: string) => void;
  placeholder?: string;
  /** Hide these codes (e.g. the node being moved). */
  exclude?: readonly string[];
  /** Offer only organisations this returns true for. */
  filter?: (org: Org) => boolean;
  /** A clear button; clearing calls onChange with ''. */
  allowClear?: boolean;
  style?: CSSProperties;
  'data-testid'?: string;
}

/** A select of organisations searched on the server by name or code; the value is the code. */
export function OrgSelect({
  value,
  onChange,
  placeholder,
  exclude = [],
  filter,
  allowClear,
  style,
  ...rest
}: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const { orgs, loading } = useOrgSuggestions(search);
  // The chosen organisation keeps its name when it is not among the suggestions (found by a search
  // since cleared, or given in the address): it is asked for by its code.
  const listed = !value || orgs.some((org) => org.code === value);
  const chosen = useOrg(listed ? undefined : value);
  const offered = chosen.data && !listed ? [chosen.data, ...orgs] : orgs;
  const options = offered
    .filter((org) => !exclude.includes(org.code) && (!filter || filter(org)))
    .map((org) => ({
      value: org.code,
      label: (
        <Space size={4}>
          <span>{org.name}</span>
          <Typography.Text type="secondary" className="mono">
            {org.code}
          </Typography.Text>
          <Tag>{levelLabel(t, org.level)}</Tag>
        </Space>
      ),
    }));
  return (
    <Select
      value={value || undefined}
      onChange={(next: string | undefined) => onChange?.(next ?? '')}
      placeholder={placeholder}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear={allowClear}
      loading={loading}
      options={options}
      notFoundContent={loading ? t('common.loading') : t('orgs.noResults')}
      data-testid={rest['data-testid']}
      style={{ width: '100%', ...style }}
    />
  );
}
