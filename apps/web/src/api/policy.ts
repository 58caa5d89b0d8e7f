import type {
  ExitCandidate,
  HouseholdEvaluation,
  ParameterVersionView,
  RuleSetVersionView,
  SetParameter,
  SetRuleSet,
} from '@niangjia/contracts';
import type { z } from 'zod';

type SetRuleSetInput = z.input<typeof SetRuleSet>;

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

export const evaluationKeys = {
  household: (id: string) => ['evaluations', id] as const,
};

/** A household's stored identification decisions, newest first, explained in both languages. */
export function useEvaluations(householdId: string | undefined) {
  return useQuery({
    queryKey: evaluationKeys.household(householdId ?? ''),
    queryFn: ({ signal }) =>
      api.get<HouseholdEvaluation[]>(
        `/api/v1/households/${encodeURIComponent(householdId ?? '')}/evaluations`,
        signal,
      ),
    enabled: Boolean(householdId),
  });
}

/** Evaluates a household now under the policy in force, and stores the decision. */
export function useEvaluate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ householdId }: { householdId: string }) =>
      api.post<HouseholdEvaluation & { changed: boolean }>(
        `/api/v1/households/${encodeURIComponent(householdId)}/evaluations`,
        {},
      ),
    meta: { silent: true },
    onSuccess: (_data, { householdId }) =>
      queryClient.invalidateQueries({ queryKey: evaluationKeys.household(householdId) }),
  });
}

/** Archived households the exit rules point at on a date (the exit review queue). */
export function useExitCandidates(asOf: string) {
  return useQuery({
    queryKey: ['exits', asOf] as const,
    queryFn: ({ signal }) =>
      api.get<{ asOf: string; items: ExitCandidate[]; unavailable: { org: string; message: string }[] }>(
        `/api/v1/registry/exits?asOf=${encodeURIComponent(asOf)}`,
        signal,
      ),
  });
}

export const policyKeys = {
  parameters: (org: string) => ['policy', 'parameters', org] as const,
  ruleSets: (org: string) => ['policy', 'rule-sets', org] as const,
};

/** Every version of the parameters that apply to an organisation (its own and its ancestors'). */
export function useParameterHistory(org: string | undefined) {
  return useQuery({
    queryKey: policyKeys.parameters(org ?? ''),
    queryFn: ({ signal }) =>
      api.get<ParameterVersionView[]>(
        `/api/v1/policy/parameters?org=${encodeURIComponent(org ?? '')}`,
        signal,
      ),
    enabled: Boolean(org),
  });
}

export function useRuleSetHistory(org: string | undefined) {
  return useQuery({
    queryKey: policyKeys.ruleSets(org ?? ''),
    queryFn: ({ signal }) =>
      api.get<RuleSetVersionView[]>(`/api/v1/policy/rule-sets?org=${encodeURIComponent(org ?? '')}`, signal),
    enabled: Boolean(org),
  });
}

/** Sets a new version of a parameter; the subtree's households are then evaluated again in the background. */
export function useSetParameter() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SetParameter) =>
      api.post<ParameterVersionView & { evaluationJobId: string }>('/api/v1/policy/parameters', body),
    meta: { silent: true },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['policy'] }),
  });
}

/** Chooses the rule set an organisation applies from a date; its households are then evaluated again. */
export function useSetRuleSet() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SetRuleSetInput) =>
      api.post<RuleSetVersionView & { evaluationJobId: string }>('/api/v1/policy/rule-sets', body),
    meta: { silent: true },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['policy'] }),
  });
}
