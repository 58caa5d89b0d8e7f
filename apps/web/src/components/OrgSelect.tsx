import type { Org } from '@niangjia/contracts';
import { Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
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
  'data-testid'?: string;
}

/** A select of organisations searched on the server by name or code; the value is the code. */
export function OrgSelect({ value, onChange, placeholder, exclude = [], filter, ...rest }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const { orgs, loading } = useOrgSuggestions(search);
  const options = orgs
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
      value={value}
      onChange={onChange}
      placeholder={placeholder}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      loading={loading}
      options={options}
      notFoundContent={loading ? t('common.loading') : t('orgs.noResults')}
      data-testid={rest['data-testid']}
      style={{ width: '100%' }}
    />
  );
}
