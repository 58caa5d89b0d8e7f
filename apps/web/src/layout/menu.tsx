import {
  AccountBookOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  CloudUploadOutlined,
  ControlOutlined,
  ExperimentOutlined,
  GiftOutlined,
  HomeOutlined,
  ImportOutlined,
  LogoutOutlined,
  ScheduleOutlined,
  SolutionOutlined,
  TeamOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import type { Permission } from '@niangjia/contracts';
import type { ReactNode } from 'react';
import type zhCN from '../i18n/zh-CN';

export type MenuLabelKey = `menu.${keyof (typeof zhCN)['menu']}`;

export interface MenuEntry {
  /** Unique; also the antd Menu key. */
  key: string;
  /** Where the item leads; also selects the item for every path below it. */
  path: string;
  icon: ReactNode;
  /** An i18n key under `menu.` (add the label to zh-CN.ts and en.ts). */
  labelKey: MenuLabelKey;
  /** Shown only to users holding this permission; none: everyone logged in. */
  permission?: Permission;
}

/**
 * The side menu, top to bottom. A new module adds one line here (and its route in router.tsx).
 */
export const MENU: readonly MenuEntry[] = [
  { key: 'home', path: '/', icon: <HomeOutlined />, labelKey: 'menu.home' },
  {
    key: 'households',
    path: '/households',
    icon: <SolutionOutlined />,
    labelKey: 'menu.households',
    permission: 'registry:read',
  },
  {
    key: 'import',
    path: '/registry/import',
    icon: <ImportOutlined />,
    labelKey: 'menu.import',
    permission: 'registry:write',
  },
  {
    key: 'due',
    path: '/registry/due',
    icon: <ScheduleOutlined />,
    labelKey: 'menu.due',
    permission: 'registry:read',
  },
  {
    key: 'duplicates',
    path: '/registry/duplicates',
    icon: <UserSwitchOutlined />,
    labelKey: 'menu.duplicates',
    permission: 'registry:read',
  },
  {
    key: 'exits',
    path: '/registry/exits',
    icon: <LogoutOutlined />,
    labelKey: 'menu.exits',
    permission: 'registry:read',
  },
  {
    key: 'programs',
    path: '/assistance/programs',
    icon: <GiftOutlined />,
    labelKey: 'menu.programs',
    permission: 'assistance:read',
  },
  {
    key: 'assistanceReport',
    path: '/assistance/report',
    icon: <BarChartOutlined />,
    labelKey: 'menu.assistanceReport',
    permission: 'assistance:read',
  },
  {
    key: 'ledger',
    path: '/assistance/ledger',
    icon: <AccountBookOutlined />,
    labelKey: 'menu.ledger',
    permission: 'assistance:read',
  },
  {
    key: 'ledgerImport',
    path: '/assistance/import',
    icon: <CloudUploadOutlined />,
    labelKey: 'menu.ledgerImport',
    permission: 'assistance:pay',
  },
  {
    key: 'policy',
    path: '/policy',
    icon: <ControlOutlined />,
    labelKey: 'menu.policy',
    permission: 'policy:read',
  },
  {
    key: 'simulation',
    path: '/policy/simulation',
    icon: <ExperimentOutlined />,
    labelKey: 'menu.simulation',
    permission: 'policy:read',
  },
  { key: 'orgs', path: '/orgs', icon: <ApartmentOutlined />, labelKey: 'menu.orgs', permission: 'org:read' },
  { key: 'users', path: '/users', icon: <TeamOutlined />, labelKey: 'menu.users', permission: 'user:read' },
  { key: 'audit', path: '/audit', icon: <AuditOutlined />, labelKey: 'menu.audit', permission: 'audit:read' },
];

/** The entry whose path is the longest prefix of `pathname`. */
export function menuEntryFor(pathname: string): MenuEntry | undefined {
  let best: MenuEntry | undefined;
  for (const entry of MENU) {
    const matches =
      entry.path === '/'
        ? pathname === '/'
        : pathname === entry.path || pathname.startsWith(`${entry.path}/`);
    if (matches && (!best || entry.path.length > best.path.length)) best = entry;
  }
  return best;
}
