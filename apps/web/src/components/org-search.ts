import type { Org } from '@niangjia/contracts';
import { useOrgList } from '../api/orgs';
import { useDebounced } from '../lib/use-debounced';

/**
 * Organisations to offer in a picker: matches of the typed text anywhere in the user's subtree, or,
 * before anything is typed, the user's own node and its children.
 */
export function useOrgSuggestions(text: string): { orgs: Org[]; loading: boolean } {
  const q = useDebounced(text.trim()).slice(0, 50);
  const searching = q.length > 0;
  const root = useOrgList({}, !searching);
  const rootCode = root.data?.[0]?.code;
  const children = useOrgList({ parent: rootCode }, !searching && Boolean(rootCode));
  const matches = useOrgList({ q }, searching);
  if (searching) return { orgs: matches.data ?? [], loading: matches.isFetching };
  return {
    orgs: [...(root.data ?? []), ...(children.data ?? [])],
    loading: root.isFetching || children.isFetching,
  };
}
