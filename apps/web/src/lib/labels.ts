import { AUDIT_ACTIONS, ORG_LEVELS, type OrgLevel, ROLE_NAMES, type Role } from '@niangjia/contracts';
import type { TFunction } from 'i18next';
import type zhCN from '../i18n/zh-CN';

function isRole(value: string): value is Role {
  return (ROLE_NAMES as readonly string[]).includes(value);
}

export function roleLabel(t: TFunction, role: string): string {
  return isRole(role) ? t(`roles.${role}`) : role;
}

export function levelLabel(t: TFunction, level: string): string {
  return (ORG_LEVELS as readonly string[]).includes(level) ? t(`levels.${level as OrgLevel}`) : level;
}

export function actionLabel(t: TFunction, action: string): string {
  return (AUDIT_ACTIONS as readonly string[]).includes(action)
    ? t(`auditActions.${action as (typeof AUDIT_ACTIONS)[number]}`)
    : action;
}

type Entity = keyof (typeof zhCN)['entities'];
const ENTITIES: readonly Entity[] = [
  'org',
  'user',
  'session',
  'person',
  'household',
  'archive',
  'objection',
  'visit',
  'duplicate_candidate',
  'upload',
  'household_export',
  'ledger_entry',
  'ledger_export',
];

export function entityLabel(t: TFunction, entity: string): string {
  return (ENTITIES as readonly string[]).includes(entity) ? t(`entities.${entity as Entity}`) : entity;
}

/** Tag colours for roles, so a list of users is easy to scan. */
export const ROLE_COLORS: Record<Role, string> = {
  admin: 'red',
  manager: 'volcano',
  caseworker: 'blue',
  rights_officer: 'purple',
  employment_officer: 'cyan',
  mutual_aid_clerk: 'green',
  auditor: 'gold',
};

export function roleColor(role: string): string | undefined {
  return isRole(role) ? ROLE_COLORS[role] : undefined;
}
