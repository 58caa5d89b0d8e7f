import {
  ArrowRightOutlined,
  EditOutlined,
  LoadingOutlined,
  PlusOutlined,
  ReloadOutlined,
  SearchOutlined,
  StopOutlined,
  TeamOutlined,
  UndoOutlined,
} from '@ant-design/icons';
import type { Org, OrgDetail } from '@niangjia/contracts';
import { useQueryClient } from '@tanstack/react-query';
import {
  Breadcrumb,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Empty,
  Input,
  List,
  Popconfirm,
  Result,
  Row,
  Space,
  Spin,
  Tag,
  Tooltip,
  Tree,
  type TreeDataNode,
  Typography,
} from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useCurrentMe } from '../../../api/auth';
import { isApiError } from '../../../api/client';
import { loadOrgs, useOrg, useOrgList, useSetOrgActive } from '../../../api/orgs';
import { ErrorResult } from '../../../layout/ErrorResult';
import { usePermissions } from '../../../lib/access';
import { formatDateTime } from '../../../lib/format';
import { levelLabel } from '../../../lib/labels';
import { showError, showSuccess } from '../../../lib/notify';
import { usePageTitle } from '../../../lib/page-title';
import { useDebounced } from '../../../lib/use-debounced';
import { CreateOrgModal, childLevels, MoveOrgModal, RenameOrgModal } from './OrgForms';

function OrgTitle({ org }: { org: Org }) {
  const { t } = useTranslation();
  return (
    <span data-testid={`org-node-${org.code}`}>
      <span className={org.active ? undefined : 'org-tree-node-inactive'}>{org.name}</span>
      <span className="org-tree-node-code">{org.code}</span>
      {org.active ? null : (
        <Tag style={{ marginLeft: 6 }} variant="filled">
          {t('common.inactive')}
        </Tag>
      )}
    </span>
  );
}

function StatusTag({ active }: { active: boolean }) {
  const { t } = useTranslation();
  return active ? <Tag color="success">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>;
}

export default function OrgTreePage() {
  const { t } = useTranslation();
  usePageTitle(t('orgs.pageTitle'));
  const me = useCurrentMe();
  const { can } = usePermissions();
  const canWrite = can('org:write');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { code: codeParam } = useParams();

  const [includeInactive, setIncludeInactive] = useState(true);
  const [searchText, setSearchText] = useState('');
  const [search, setSearch] = useState('');
  // Search as one types (after a pause), or at once on Enter.
  const debouncedText = useDebounced(searchText, 300);
  useEffect(() => setSearch(debouncedText.trim().slice(0, 50)), [debouncedText]);
  const [childrenOf, setChildrenOf] = useState<Record<string, Org[]>>({});
  const [expanded, setExpanded] = useState<string[]>([]);
  const [creatingUnder, setCreatingUnder] = useState<Org | null>(null);
  const [renaming, setRenaming] = useState<Org | null>(null);
  const [moving, setMoving] = useState<Org | null>(null);

  const rootList = useOrgList({ includeInactive });
  const root = rootList.data?.[0];
  const selectedCode = codeParam ?? root?.code;
  const detail = useOrg(selectedCode);
  const results = useOrgList({ q: search, includeInactive }, search.length > 0);
  const setActive = useSetOrgActive();

  // The parents whose children are loaded, to reload them all after a change.
  const loadedRef = useRef<string[]>([]);
  loadedRef.current = Object.keys(childrenOf);

  const loadChildren = useCallback(
    async (code: string, fresh = false) => {
      const params = { parent: code, includeInactive };
      if (fresh)
        await queryClient.invalidateQueries({ queryKey: ['orgs', 'list', params], refetchType: 'none' });
      const items = await loadOrgs(queryClient, params);
      setChildrenOf((prev) => ({ ...prev, [code]: items }));
      return items;
    },
    [queryClient, includeInactive],
  );

  const reloadLoaded = useCallback(async () => {
    try {
      await Promise.all(loadedRef.current.map((code) => loadChildren(code, true)));
    } catch (error) {
      showError(error);
    }
  }, [loadChildren]);

  // The root starts expanded; switching "show inactive" reloads what is open.
  useEffect(() => {
    if (!root) return;
    setExpanded((prev) => (prev.includes(root.code) ? prev : [root.code, ...prev]));
    void reloadLoaded().then(() =>
      loadedRef.current.includes(root.code) ? undefined : loadChildren(root.code),
    );
  }, [root, loadChildren, reloadLoaded]);

  // Open the path down to the selected node (deep links, search results, moves).
  const detailData = detail.data;
  useEffect(() => {
    if (!detailData) return;
    const path = detailData.ancestors.map((a) => a.code);
    if (path.length === 0) return;
    setExpanded((prev) => [...new Set([...prev, ...path])]);
    void (async () => {
      try {
        for (const code of path) if (!loadedRef.current.includes(code)) await loadChildren(code);
      } catch (error) {
        showError(error);
      }
    })();
  }, [detailData, loadChildren]);

  const toNode = (org: Org): TreeDataNode => {
    const children = childrenOf[org.code];
    return {
      key: org.code,
      title: <OrgTitle org={org} />,
      isLeaf: org.childCount === 0 && !children?.length,
      children: children?.map(toNode),
    };
  };
  const treeData = root ? [toNode(root)] : [];

  const select = (code: string) => void navigate(`/orgs/${encodeURIComponent(code)}`);

  const afterChange = () => void reloadLoaded();

  const toggleActive = (org: OrgDetail) => {
    const active = !org.active;
    setActive.mutate(
      { code: org.code, active },
      {
        onSuccess: (updated) => {
          showSuccess(t(active ? 'orgs.activated' : 'orgs.deactivated', { name: updated.name }));
          afterChange();
        },
        onError: (error) => showError(error),
      },
    );
  };

  const isOwnNode = detailData?.code === me.organisation.code;
  const parentOfDetail = detailData?.ancestors[detailData.ancestors.length - 1];

  const detailPanel = () => {
    if (!selectedCode) return <Empty description={t('orgs.selectHint')} />;
    if (detail.isPending) return <Spin />;
    if (detail.error) {
      if (isApiError(detail.error) && detail.error.status === 404) {
        return <Result status="404" title="404" subTitle={t('errors.not_found')} />;
      }
      return <ErrorResult error={detail.error} onRetry={() => void detail.refetch()} />;
    }
    const org = detail.data;
    const noLowerLevel = childLevels(org).length === 0;
    return (
      <>
        <Breadcrumb
          style={{ marginBottom: 16 }}
          items={[
            ...org.ancestors.map((a) => ({
              key: a.code,
              title: (
                <Link to={`/orgs/${encodeURIComponent(a.code)}`} data-testid={`org-path-${a.code}`}>
                  {a.name}
                </Link>
              ),
            })),
            { key: org.code, title: org.name },
          ]}
        />
        <Descriptions
          bordered
          size="small"
          column={1}
          data-testid="org-detail"
          items={[
            {
              key: 'code',
              label: t('orgs.code'),
              children: (
                <span className="mono" data-testid="org-detail-code">
                  {org.code}
                </span>
              ),
            },
            {
              key: 'name',
              label: t('orgs.name'),
              children: <span data-testid="org-detail-name">{org.name}</span>,
            },
            {
              key: 'level',
              label: t('orgs.level'),
              children: <span data-testid="org-detail-level">{levelLabel(t, org.level)}</span>,
            },
            {
              key: 'parent',
              label: t('orgs.parent'),
              children: parentOfDetail ? (
                <Link to={`/orgs/${encodeURIComponent(parentOfDetail.code)}`}>
                  {parentOfDetail.name} <span className="mono">({parentOfDetail.code})</span>
                </Link>
              ) : org.parentCode ? (
                <span className="mono">{org.parentCode}</span>
              ) : (
                t('common.none')
              ),
            },
            {
              key: 'status',
              label: t('orgs.status'),
              children: (
                <span data-testid="org-detail-status">
                  <StatusTag active={org.active} />
                  {isOwnNode ? <Typography.Text type="secondary">{t('orgs.ownNode')}</Typography.Text> : null}
                </span>
              ),
            },
            { key: 'children', label: t('orgs.childCount'), children: org.childCount },
            { key: 'createdAt', label: t('orgs.createdAt'), children: formatDateTime(org.createdAt) },
          ]}
        />
        <Space wrap style={{ marginTop: 16 }}>
          {canWrite ? (
            <>
              <Tooltip
                title={noLowerLevel ? t('orgs.noLowerLevel') : !org.active ? t('orgs.parentInactive') : null}
              >
                <Button
                  type="primary"
                  icon={<PlusOutlined />}
                  disabled={noLowerLevel || !org.active}
                  onClick={() => setCreatingUnder(org)}
                  data-testid="org-add-child"
                >
                  {t('orgs.addChild')}
                </Button>
              </Tooltip>
              <Button icon={<EditOutlined />} onClick={() => setRenaming(org)} data-testid="org-rename">
                {t('orgs.rename')}
              </Button>
              {isOwnNode ? null : (
                <>
                  <Button icon={<ArrowRightOutlined />} onClick={() => setMoving(org)} data-testid="org-move">
                    {t('orgs.move')}
                  </Button>
                  <Popconfirm
                    key={org.active ? 'deactivate' : 'activate'}
                    title={t(org.active ? 'orgs.confirmDeactivate' : 'orgs.confirmActivate', {
                      name: org.name,
                    })}
                    onConfirm={() => toggleActive(org)}
                    okText={t('common.ok')}
                    cancelText={t('common.cancel')}
                    okButtonProps={{ danger: org.active, loading: setActive.isPending }}
                    styles={{ root: { maxWidth: 360 } }}
                  >
                    {org.active ? (
                      <Button danger icon={<StopOutlined />} data-testid="org-deactivate">
                        {t('common.deactivate')}
                      </Button>
                    ) : (
                      <Button icon={<UndoOutlined />} data-testid="org-activate">
                        {t('common.activate')}
                      </Button>
                    )}
                  </Popconfirm>
                </>
              )}
            </>
          ) : null}
          {can('user:read') ? (
            <Link to={`/users?org=${encodeURIComponent(org.code)}`}>
              <Button type="link" icon={<TeamOutlined />}>
                {t('orgs.viewUsers')}
              </Button>
            </Link>
          ) : null}
        </Space>
      </>
    );
  };

  return (
    <>
      <div className="page-header">
        <Typography.Title level={4}>{t('orgs.pageTitle')}</Typography.Title>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10} xl={9}>
          <Card
            title={t('orgs.tree')}
            extra={
              <Space>
                <Checkbox
                  checked={includeInactive}
                  onChange={(e) => setIncludeInactive(e.target.checked)}
                  data-testid="org-show-inactive"
                >
                  {t('orgs.showInactive')}
                </Checkbox>
                <Tooltip title={t('common.refresh')}>
                  <Button
                    type="text"
                    size="small"
                    icon={<ReloadOutlined />}
                    aria-label={t('common.refresh')}
                    onClick={() => {
                      void rootList.refetch();
                      afterChange();
                    }}
                  />
                </Tooltip>
              </Space>
            }
          >
            <Input
              prefix={<SearchOutlined />}
              suffix={results.isFetching ? <LoadingOutlined /> : <span />}
              placeholder={t('orgs.searchPlaceholder')}
              allowClear
              value={searchText}
              onChange={(e) => setSearchText(e.target.value)}
              onPressEnter={() => setSearch(searchText.trim().slice(0, 50))}
              data-testid="org-search"
              style={{ marginBottom: 12 }}
            />
            {search ? (
              <List<Org>
                size="small"
                header={<Typography.Text type="secondary">{t('orgs.searchResults')}</Typography.Text>}
                loading={results.isPending}
                dataSource={results.data ?? []}
                locale={{ emptyText: t('orgs.noResults') }}
                data-testid="org-search-results"
                renderItem={(org) => (
                  <List.Item
                    onClick={() => select(org.code)}
                    style={{
                      cursor: 'pointer',
                      background: org.code === selectedCode ? 'rgba(200, 16, 46, 0.06)' : undefined,
                    }}
                    data-testid={`org-result-${org.code}`}
                  >
                    <Space>
                      <OrgTitle org={org} />
                      <Tag>{levelLabel(t, org.level)}</Tag>
                    </Space>
                  </List.Item>
                )}
              />
            ) : rootList.isPending ? (
              <Spin />
            ) : rootList.error ? (
              <ErrorResult error={rootList.error} onRetry={() => void rootList.refetch()} />
            ) : (
              <Tree
                blockNode
                showLine
                treeData={treeData}
                expandedKeys={expanded}
                onExpand={(keys) => setExpanded(keys.map(String))}
                loadedKeys={Object.keys(childrenOf)}
                loadData={async (node) => {
                  try {
                    await loadChildren(String(node.key));
                  } catch (error) {
                    showError(error);
                  }
                }}
                selectedKeys={selectedCode ? [selectedCode] : []}
                onSelect={(keys) => {
                  const key = keys[0];
                  if (key !== undefined) select(String(key));
                }}
                data-testid="org-tree"
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={14} xl={15}>
          <Card
            title={
              detailData ? (
                <Space>
                  {detailData.name}
                  <StatusTag active={detailData.active} />
                </Space>
              ) : (
                t('orgs.pageTitle')
              )
            }
          >
            {detailPanel()}
          </Card>
        </Col>
      </Row>
      <CreateOrgModal
        parent={creatingUnder}
        onClose={() => setCreatingUnder(null)}
        onCreated={(org) => {
          setCreatingUnder(null);
          if (org.parentCode) setExpanded((prev) => [...new Set([...prev, org.parentCode ?? ''])]);
          afterChange();
          if (org.parentCode && !loadedRef.current.includes(org.parentCode))
            void loadChildren(org.parentCode);
          select(org.code);
        }}
      />
      <RenameOrgModal
        org={renaming}
        onClose={() => {
          setRenaming(null);
          afterChange();
        }}
      />
      <MoveOrgModal
        org={moving}
        onClose={() => {
          setMoving(null);
          afterChange();
        }}
      />
    </>
  );
}
