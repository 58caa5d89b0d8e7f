import { lazy } from 'react';
import { createBrowserRouter } from 'react-router';
import { AuthGate } from './layout/AuthGate';
import { RequirePermission } from './layout/RequirePermission';
import { RouteError } from './layout/RouteError';

const MainLayout = lazy(() => import('./layout/MainLayout'));
const LoginPage = lazy(() => import('./pages/identity/login'));
const DashboardPage = lazy(() => import('./pages/home/dashboard'));
const OrgTreePage = lazy(() => import('./pages/orgs/tree'));
const UsersPage = lazy(() => import('./pages/identity/users'));
const HouseholdsPage = lazy(() => import('./pages/registry/households'));
const HouseholdNewPage = lazy(() => import('./pages/registry/household-new'));
const HouseholdDetailPage = lazy(() => import('./pages/registry/household-detail'));
const HouseholdPrintPage = lazy(() => import('./pages/registry/household-print'));
const PersonDetailPage = lazy(() => import('./pages/registry/person-detail'));
const DuePage = lazy(() => import('./pages/registry/due'));
const DuplicatesPage = lazy(() => import('./pages/registry/duplicates'));
const ExitsPage = lazy(() => import('./pages/registry/exits'));
const PolicyParametersPage = lazy(() => import('./pages/policy/parameters'));
const SimulationPage = lazy(() => import('./pages/policy/simulation'));
const SurveyImportPage = lazy(() => import('./pages/registry/import'));
const AssistanceReportPage = lazy(() => import('./pages/assistance/report'));
const LedgerPage = lazy(() => import('./pages/assistance/ledger'));
const LedgerImportPage = lazy(() => import('./pages/assistance/import'));
const ProgramsPage = lazy(() => import('./pages/assistance/programs'));
const ProgramDetailPage = lazy(() => import('./pages/assistance/program-detail'));
const PublicityPage = lazy(() => import('./pages/assistance/publicity'));
const GrantDetailPage = lazy(() => import('./pages/assistance/grant-detail'));
const AuditTrailPage = lazy(() => import('./pages/audit/trail'));
const NotFoundPage = lazy(() => import('./pages/errors/not-found'));

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage />, errorElement: <RouteError /> },
  {
    path: '/',
    element: (
      <AuthGate>
        <MainLayout />
      </AuthGate>
    ),
    errorElement: <RouteError />,
    children: [
      { index: true, element: <DashboardPage /> },
      {
        path: 'households',
        element: (
          <RequirePermission permission="registry:read">
            <HouseholdsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'households/new',
        element: (
          <RequirePermission permission="registry:write">
            <HouseholdNewPage />
          </RequirePermission>
        ),
      },
      {
        path: 'households/:id',
        element: (
          <RequirePermission permission="registry:read">
            <HouseholdDetailPage />
          </RequirePermission>
        ),
      },
      {
        path: 'households/:id/print',
        element: (
          <RequirePermission permission="registry:read">
            <HouseholdPrintPage />
          </RequirePermission>
        ),
      },
      {
        path: 'people/:id',
        element: (
          <RequirePermission permission="registry:read">
            <PersonDetailPage />
          </RequirePermission>
        ),
      },
      {
        path: 'policy',
        element: (
          <RequirePermission permission="policy:read">
            <PolicyParametersPage />
          </RequirePermission>
        ),
      },
      {
        path: 'policy/simulation',
        element: (
          <RequirePermission permission="policy:read">
            <SimulationPage />
          </RequirePermission>
        ),
      },
      {
        path: 'registry/exits',
        element: (
          <RequirePermission permission="registry:read">
            <ExitsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'registry/due',
        element: (
          <RequirePermission permission="registry:read">
            <DuePage />
          </RequirePermission>
        ),
      },
      {
        path: 'registry/duplicates',
        element: (
          <RequirePermission permission="registry:read">
            <DuplicatesPage />
          </RequirePermission>
        ),
      },
      {
        path: 'registry/import',
        element: (
          <RequirePermission permission="registry:write">
            <SurveyImportPage />
          </RequirePermission>
        ),
      },
      {
        path: 'assistance/programs',
        element: (
          <RequirePermission permission="assistance:read">
            <ProgramsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'assistance/programs/:id',
        element: (
          <RequirePermission permission="assistance:read">
            <ProgramDetailPage />
          </RequirePermission>
        ),
      },
      {
        path: 'assistance/programs/:id/publicity',
        element: (
          <RequirePermission permission="assistance:read">
            <PublicityPage />
          </RequirePermission>
        ),
      },
      {
        path: 'assistance/grants/:id',
        element: (
          <RequirePermission permission="assistance:read">
            <GrantDetailPage />
          </RequirePermission>
        ),
      },
      {
        path: 'assistance/report',
        element: (
          <RequirePermission permission="assistance:read">
            <AssistanceReportPage />
          </RequirePermission>
        ),
      },
      {
        path: 'assistance/ledger',
        element: (
          <RequirePermission permission="assistance:read">
            <LedgerPage />
          </RequirePermission>
        ),
      },
      {
        path: 'assistance/import',
        element: (
          <RequirePermission permission="assistance:pay">
            <LedgerImportPage />
          </RequirePermission>
        ),
      },
      {
        // One route for /orgs and /orgs/:code, so selecting a node keeps the tree's state.
        path: 'orgs/:code?',
        element: (
          <RequirePermission permission="org:read">
            <OrgTreePage />
          </RequirePermission>
        ),
      },
      {
        path: 'users',
        element: (
          <RequirePermission permission="user:read">
            <UsersPage />
          </RequirePermission>
        ),
      },
      {
        path: 'audit',
        element: (
          <RequirePermission permission="audit:read">
            <AuditTrailPage />
          </RequirePermission>
        ),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
